/**
 * Lambda semantics for the local stack. Each function gets a pool of execution environments, one
 * Node process each (lambda-worker.ts): the first invocation in an environment imports the bundle
 * (cold start), later ones reuse it (warm). At most `concurrency` environments exist at once and an
 * invocation beyond that waits for one to free up. An invocation that outlives the function's
 * timeout gets Lambda's `Sandbox.Timedout` error and its environment is killed, so the next
 * invocation starts cold, as in Lambda.
 *
 * The functions run on the stack's clock (local-clock.ts): every message to an environment carries
 * the clock's time, which the environment installs as the stack clock of the function's code
 * (lib/stack-clock.ts) before the bundle loads and again before each invocation, so a clock moved
 * while environments are warm reaches them too, whatever their own wall clock says.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from '#lib/clock';
import { LOCAL_CLOCK_VARIABLE } from '#lib/stack-clock';
import { LOCAL_REGION, PROJECT_ROOT } from './constants';

/** Lambda's own limit on a synchronous response. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** Lambda's limit on the init phase of an on-demand environment. */
const INIT_TIMEOUT_MS = 10_000;
/** Concurrent environments per function when the template reserves none. */
export const DEFAULT_CONCURRENCY = 10;

const workerScript = fileURLToPath(new URL('./lambda-worker.ts', import.meta.url));

/**
 * Node's compile cache for the environments (`NODE_COMPILE_CACHE`, which the worker removes from its
 * environment before the bundle loads): the worker script's stripped types and the bundle's compiled
 * code are kept from one cold start to the next, about 0.08 s of CPU a cold start (a test run has hundreds).
 * Kept with the other build caches of this checkout (node_modules/.cache/cared-for).
 */
const COMPILE_CACHE_VARIABLE = 'NODE_COMPILE_CACHE';
const compileCacheDir = join(PROJECT_ROOT, 'node_modules', '.cache', 'cared-for', 'lambda-compile-cache');

// ---------------------------------------------------------------------------------------------
// Messages between the runner and a worker (imported as types by lambda-worker.ts)

export interface WorkerError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export interface WorkerContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  /** The function's time left when the invocation was sent (each process counts down on its own monotonic clock). */
  remainingMs: number;
}

export type ToWorker =
  | { type: 'init'; taskRoot: string; handler: string; clockMs: number }
  | { type: 'invoke'; id: string; event: string; context: WorkerContext; clockMs: number };

export type FromWorker =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: WorkerError }
  | { type: 'result'; id: string; ok: true; payload: string }
  | { type: 'result'; id: string; ok: false; error: WorkerError };

// ---------------------------------------------------------------------------------------------

export interface FunctionSpec {
  logicalId: string;
  /** The function's local name (as FunctionName in AWS). */
  name: string;
  /** Used to prefix its log lines, e.g. `intake`. */
  shortName: string;
  arn: string;
  /** `index.handler`. */
  handler: string;
  /** The bundled asset directory (cdk.out/asset.<hash>). */
  codeDir: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Most environments at once: reserved concurrency, or {@link DEFAULT_CONCURRENCY}. */
  concurrency: number;
  /** The function's environment, resolved to local values. */
  environment: Record<string, string>;
}

export type InvokeResult =
  | { ok: true; payload: unknown; requestId: string; durationMs: number; initMs?: number; logs: string[] }
  | { ok: false; error: WorkerError; requestId: string; durationMs: number; initMs?: number; logs: string[] };

export interface LocalFunctionOptions {
  /** Where each line the function prints goes (already prefixed by the caller's choice). */
  log: (spec: FunctionSpec, line: string) => void;
  /** Variables every environment gets besides the function's own (endpoints, credentials …). */
  baseEnvironment: Record<string, string>;
  /** The stack's clock, which the function's code reads as its stack clock. @default the wall clock */
  clock?: Clock;
}

interface Invocation {
  id: string;
  logs: string[];
  settle: (result: InvokeResult) => void;
  started: number;
  initMs?: number;
}

/** One execution environment: a Node process with the handler imported. */
class ExecutionEnvironment {
  readonly child: ChildProcess;
  readonly ready: Promise<number>;
  current: Invocation | undefined;
  dead = false;
  private stdoutRest = '';
  private stderrRest = '';

  constructor(
    private readonly spec: FunctionSpec,
    private readonly options: LocalFunctionOptions,
    private readonly onDeath: (env: ExecutionEnvironment) => void,
  ) {
    const memory = Math.max(64, Math.floor(spec.memoryMb * 0.9));
    this.child = fork(workerScript, [], {
      cwd: spec.codeDir,
      // Lambda gives a function its own variables, not the developer's shell.
      env: { ...options.baseEnvironment, ...lambdaVariables(spec), ...spec.environment, [LOCAL_CLOCK_VARIABLE]: 'local-runner', [COMPILE_CACHE_VARIABLE]: compileCacheDir },
      // Not the runner's flags (tsx's loader): the function runs on plain Node, as in Lambda.
      execArgv: [`--max-old-space-size=${memory}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdoutRest = this.lines(this.stdoutRest + chunk.toString())));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderrRest = this.lines(this.stderrRest + chunk.toString())));
    this.child.on('message', (message: FromWorker) => this.onMessage(message));
    this.child.on('exit', (code, signal) => this.onExit(code, signal));
    this.child.on('error', () => undefined); // 'exit' follows and does the bookkeeping

    this.ready = new Promise<number>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => undefined);
    this.child.send({ type: 'init', taskRoot: spec.codeDir, handler: spec.handler, clockMs: this.clock.nowMs() } satisfies ToWorker);
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  private resolveReady!: (ms: number) => void;
  private rejectReady!: (error: WorkerError) => void;

  private lines(text: string): string {
    const parts = text.split('\n');
    const rest = parts.pop() ?? '';
    for (const line of parts) this.emit(line);
    return rest;
  }

  private emit(line: string): void {
    if (line === '') return;
    this.current?.logs.push(line);
    this.options.log(this.spec, line);
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'ready') return this.resolveReady(message.initMs);
    if (message.type === 'init-error') return this.rejectReady(message.error);
    const invocation = this.current;
    if (!invocation || invocation.id !== message.id) return;
    this.current = undefined;
    const base = { requestId: invocation.id, durationMs: performance.now() - invocation.started, initMs: invocation.initMs, logs: invocation.logs };
    if (!message.ok) return invocation.settle({ ok: false, error: message.error, ...base });
    if (Buffer.byteLength(message.payload) > MAX_RESPONSE_BYTES) {
      return invocation.settle({
        ok: false,
        error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, trace: [] },
        ...base,
      });
    }
    invocation.settle({ ok: true, payload: JSON.parse(message.payload), ...base });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stdoutRest) this.emit(this.stdoutRest);
    if (this.stderrRest) this.emit(this.stderrRest);
    this.dead = true;
    const error: WorkerError = {
      errorType: 'Runtime.ExitError',
      errorMessage: `Runtime exited with error: ${signal ? `signal: ${signal.toLowerCase()}` : `exit status ${code}`}`,
      trace: [],
    };
    this.rejectReady(error);
    const invocation = this.current;
    this.current = undefined;
    invocation?.settle({
      ok: false,
      error,
      requestId: invocation.id,
      durationMs: performance.now() - invocation.started,
      initMs: invocation.initMs,
      logs: invocation.logs,
    });
    this.onDeath(this);
  }

  invoke(invocation: Invocation, event: string): void {
    this.current = invocation;
    const context: WorkerContext = {
      functionName: this.spec.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.spec.arn,
      memoryLimitInMB: String(this.spec.memoryMb),
      awsRequestId: invocation.id,
      logGroupName: `/aws/lambda/${this.spec.name}`,
      logStreamName: `local/[$LATEST]${this.child.pid}`,
      remainingMs: this.spec.timeoutSeconds * 1000,
    };
    this.child.send({ type: 'invoke', id: invocation.id, event, context, clockMs: this.clock.nowMs() } satisfies ToWorker);
  }

  kill(): void {
    // Never handed out again, even before its exit arrives.
    this.dead = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * A function of the local stack: invoke it and it runs in one of its execution environments,
 * cold or warm, within its timeout and its concurrency.
 */
export class LocalFunction {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly waiting: Array<() => void> = [];
  private readonly capacityWatchers: Array<() => void> = [];
  private stopped = false;
  /** Invocations started, and how many of them started cold. */
  readonly stats = { invocations: 0, coldStarts: 0, timeouts: 0 };

  constructor(
    readonly spec: FunctionSpec,
    private readonly options: LocalFunctionOptions,
  ) {}

  /** Environments busy right now. */
  get busy(): number {
    return this.all.size - this.idle.length;
  }

  /** Runs the function once with `event` (any JSON value) and settles as Lambda would answer. */
  async invoke(event: unknown): Promise<InvokeResult> {
    const env = await this.acquire();
    const requestId = randomUUID();
    const started = performance.now();
    let initMs: number | undefined;
    this.stats.invocations++;
    try {
      if (env.cold) {
        this.stats.coldStarts++;
        initMs = await withTimeout(env.environment.ready, INIT_TIMEOUT_MS + this.spec.timeoutSeconds * 1000);
      } else {
        await env.environment.ready;
      }
    } catch (error) {
      env.environment.kill();
      const workerError = isWorkerError(error)
        ? error
        : { errorType: 'Runtime.InitTimeout', errorMessage: `Init did not finish within ${INIT_TIMEOUT_MS / 1000} seconds`, trace: [] };
      this.options.log(this.spec, `INIT_REPORT Status: error ${workerError.errorType}: ${workerError.errorMessage}`);
      return { ok: false, error: workerError, requestId, durationMs: performance.now() - started, logs: [] };
    }
    const result = await new Promise<InvokeResult>((resolve) => {
      const invocation: Invocation = { id: requestId, logs: [], settle: resolve, started: performance.now(), initMs };
      const timer = setTimeout(() => {
        if (env.environment.current !== invocation) return;
        this.stats.timeouts++;
        env.environment.current = undefined;
        env.environment.kill();
        resolve({
          ok: false,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`, trace: [] },
          requestId,
          durationMs: performance.now() - invocation.started,
          initMs,
          logs: invocation.logs,
        });
      }, this.spec.timeoutSeconds * 1000);
      const settle = invocation.settle;
      invocation.settle = (r) => {
        clearTimeout(timer);
        settle(r);
      };
      env.environment.invoke(invocation, JSON.stringify(event ?? null));
    });
    this.report(result);
    this.release(env.environment);
    return result;
  }

  private report(result: InvokeResult): void {
    const init = result.initMs === undefined ? '' : `\tInit Duration: ${result.initMs.toFixed(2)} ms`;
    const status = result.ok ? '' : `\tStatus: error ${result.error.errorType}: ${result.error.errorMessage}`;
    this.options.log(this.spec, `REPORT RequestId: ${result.requestId}\tDuration: ${result.durationMs.toFixed(2)} ms${init}${status}`);
  }

  private async acquire(): Promise<{ environment: ExecutionEnvironment; cold: boolean }> {
    for (;;) {
      if (this.stopped) throw new Error(`${this.spec.logicalId} is stopped`);
      const warm = this.idle.pop();
      if (warm && !warm.dead) return { environment: warm, cold: false };
      if (this.all.size < this.spec.concurrency) {
        const environment = new ExecutionEnvironment(this.spec, this.options, (dead) => this.forget(dead));
        this.all.add(environment);
        return { environment, cold: true };
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(environment: ExecutionEnvironment): void {
    if (!environment.dead && !this.stopped) this.idle.push(environment);
    this.notify();
  }

  private forget(environment: ExecutionEnvironment): void {
    this.all.delete(environment);
    const i = this.idle.indexOf(environment);
    if (i >= 0) this.idle.splice(i, 1);
    this.notify();
  }

  /** A slot may be free: the first waiting invocation tries it, and every watcher looks again. */
  private notify(): void {
    this.waiting.shift()?.();
    for (const watcher of this.capacityWatchers.splice(0)) watcher();
  }

  /** Resolves when an invocation could start without waiting for another to finish. */
  async waitForCapacity(): Promise<void> {
    while (!this.stopped && this.idle.length === 0 && this.all.size >= this.spec.concurrency) {
      await new Promise<void>((resolve) => this.capacityWatchers.push(resolve));
    }
  }

  /** Kills every environment; invocations in flight end with Runtime.ExitError. */
  async stop(): Promise<void> {
    this.stopped = true;
    const exits = [...this.all].map(
      (env) => new Promise<void>((resolve) => (env.dead ? resolve() : env.child.once('exit', () => resolve()))),
    );
    for (const env of this.all) env.kill();
    for (const wake of [...this.waiting.splice(0), ...this.capacityWatchers.splice(0)]) wake();
    await Promise.all(exits);
  }
}

/** What the Lambda runtime puts in every environment. */
function lambdaVariables(spec: FunctionSpec): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${spec.logicalId}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    LAMBDA_TASK_ROOT: spec.codeDir,
    _HANDLER: spec.handler,
    // Lambda runs in UTC; functions that need Europe/London say so themselves.
    TZ: 'UTC',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
}

function isWorkerError(value: unknown): value is WorkerError {
  return typeof value === 'object' && value !== null && 'errorType' in value && 'errorMessage' in value;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
