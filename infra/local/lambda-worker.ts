/**
 * One local Lambda execution environment: a Node process that imports the function's bundled
 * handler once (the cold start) and then runs one invocation at a time (warm), as Lambda does.
 *
 * Started by lambda-runtime.ts with `child_process.fork` and run by plain Node 24, which strips
 * the types itself: this file uses erasable TypeScript only and imports nothing but Node built-ins
 * and the stack clock (lib/stack-clock.ts, erasable too), so the function's code runs without tsx or
 * any loader of ours in the process.
 *
 * The runner's clock comes with every message: it is installed as the stack clock (the global the
 * bundle's own copy of lib/stack-clock.ts reads) before the bundle loads, and set again before each
 * invocation; between messages it runs on by this process's monotonic clock. `Date` reads it too, so
 * the libraries in the bundle (Powertools' idempotency expiry and log timestamps, jose's defaults)
 * see the stack's time as the function's own code does: this process is a machine set to that date.
 */
import { existsSync } from 'node:fs';
import { flushCompileCache } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installLocalClock } from '#lib/clock';
import type { FromWorker, ToWorker, WorkerError } from './lambda-runtime';

// Node read it when this process started (lambda-runtime.ts): the function's own variables are Lambda's, not ours.
delete process.env.NODE_COMPILE_CACHE;

type Handler = (event: unknown, context: Record<string, unknown>) => unknown;

let handler: Handler | undefined;

const WallDate = Date;
const runnerTime = { clockMs: WallDate.now(), at: performance.now() };
const stackNow = (): number => Math.round(runnerTime.clockMs + (performance.now() - runnerTime.at));
installLocalClock({ nowMs: stackNow });

function setClock(clockMs: number): void {
  runnerTime.clockMs = clockMs;
  runnerTime.at = performance.now();
}

/** `Date` on the stack's clock: `new Date()`, `Date.now()` and `Date()` read it; every other use is the real `Date`'s. */
function StackDate(this: unknown, ...args: unknown[]): unknown {
  if (!new.target) return new WallDate(stackNow()).toString();
  return args.length === 0 ? new WallDate(stackNow()) : Reflect.construct(WallDate, args, new.target);
}
StackDate.prototype = WallDate.prototype;
Object.setPrototypeOf(StackDate, WallDate);
StackDate.now = stackNow;
globalThis.Date = StackDate as unknown as DateConstructor;

function send(message: FromWorker): void {
  process.send?.(message);
}

function toError(error: unknown, fallbackType = 'Error'): WorkerError {
  if (error instanceof Error) {
    return { errorType: error.name || fallbackType, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: fallbackType, errorMessage: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error), trace: [] };
}

/** `index.handler` → the module `index.{mjs,js,cjs}` in the task root and its export `handler`. */
async function load(taskRoot: string, handlerSpec: string): Promise<Handler> {
  const dot = handlerSpec.lastIndexOf('.');
  const modulePath = handlerSpec.slice(0, dot);
  const exportName = handlerSpec.slice(dot + 1);
  const file = ['.mjs', '.js', '.cjs'].map((ext) => join(taskRoot, modulePath + ext)).find((f) => existsSync(f));
  if (!file || dot <= 0) {
    throw Object.assign(new Error(`Cannot find module '${modulePath}' in ${taskRoot}`), { name: 'Runtime.ImportModuleError' });
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const candidate = module[exportName] ?? (module.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof candidate !== 'function') {
    throw Object.assign(new Error(`${modulePath}.${exportName} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return candidate as Handler;
}

async function onMessage(message: ToWorker): Promise<void> {
  setClock(message.clockMs);
  if (message.type === 'init') {
    const started = performance.now();
    try {
      handler = await load(message.taskRoot, message.handler);
      // Written now: the runner ends environments with SIGKILL, before Node would write it at exit.
      flushCompileCache();
      send({ type: 'ready', initMs: performance.now() - started });
    } catch (error) {
      send({ type: 'init-error', error: toError(error, 'Runtime.ImportModuleError') });
    }
    return;
  }
  if (!handler) {
    send({ type: 'result', id: message.id, ok: false, error: { errorType: 'Runtime.NotReady', errorMessage: 'not initialised', trace: [] } });
    return;
  }
  const { remainingMs, ...fields } = message.context;
  const deadline = performance.now() + remainingMs;
  const context = {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())),
  };
  try {
    const value = await handler(JSON.parse(message.event), context);
    // Lambda serialises the result as JSON; undefined becomes null.
    send({ type: 'result', id: message.id, ok: true, payload: JSON.stringify(value ?? null) });
  } catch (error) {
    send({ type: 'result', id: message.id, ok: false, error: toError(error) });
  }
}

// Ends with the runner, however the runner ends (the IPC channel closes even on SIGKILL).
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group; the runner decides when environments end.
process.on('SIGINT', () => undefined);
process.on('message', (message: ToWorker) => {
  void onMessage(message);
});
