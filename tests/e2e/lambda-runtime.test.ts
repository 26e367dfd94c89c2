/**
 * Lambda semantics of the local runtime: cold then warm environments, the context's remaining
 * time, the timeout enforced (and the environment replaced), errors reported as Lambda reports
 * them, and concurrency capped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFunction, type FunctionSpec, type InvokeResult } from '#infra/local/lambda-runtime';
import { LocalClock } from '#infra/local/local-clock';
import { TEST_NOW_MS } from '#tests/support/clock';
import { testDir } from '#tests/support/test-dir';

const source = `
let invocations = 0;
export const handler = async (event, context) => {
  invocations++;
  if (event.sleep) await new Promise((r) => setTimeout(r, event.sleep));
  if (event.fail) throw new TypeError('boom');
  if (event.exit) process.exit(3);
  const stackClock = globalThis[Symbol.for('cared-for.local-clock')];
  // wall clock: the probe shows that Date in the environment reads the stack's clock
  return { pid: process.pid, invocations, remaining: context.getRemainingTimeInMillis(), greeting: process.env.GREETING, compileCache: process.env.NODE_COMPILE_CACHE ?? null, tz: process.env.TZ, name: process.env.AWS_LAMBDA_FUNCTION_NAME, requestId: context.awsRequestId, stackNow: stackClock.nowMs(), dateNow: Date.now(), newDate: new Date().getTime(), atInit };
};
const atInit = globalThis[Symbol.for('cared-for.local-clock')].nowMs();
`;

const codeDir = join(testDir('runtime'), 'asset');
mkdirSync(codeDir, { recursive: true });
writeFileSync(join(codeDir, 'index.mjs'), source);

const made: LocalFunction[] = [];
function localFunction(overrides: Partial<FunctionSpec> = {}, clock?: LocalClock): LocalFunction {
  const fn = new LocalFunction(
    {
      logicalId: 'ProbeFunction',
      name: 'test-ProbeFunction',
      shortName: 'probe',
      arn: 'arn:aws:lambda:eu-west-2:000000000000:function:test-ProbeFunction',
      handler: 'index.handler',
      codeDir,
      runtime: 'nodejs24.x',
      timeoutSeconds: 2,
      memoryMb: 256,
      concurrency: 10,
      environment: { GREETING: 'hello' },
      ...overrides,
    },
    { baseEnvironment: {}, log: () => undefined, ...(clock ? { clock } : {}) },
  );
  made.push(fn);
  return fn;
}

type Probe = { pid: number; invocations: number; remaining: number; greeting: string; compileCache: string | null; tz: string; name: string; requestId: string; stackNow: number; dateNow: number; newDate: number; atInit: number };
const payload = (r: InvokeResult): Probe => {
  if (!r.ok) throw new Error(`${r.error.errorType}: ${r.error.errorMessage}`);
  return r.payload as Probe;
};

afterAll(async () => {
  await Promise.all(made.map((fn) => fn.stop()));
});

describe('LocalFunction', () => {
  it('imports the handler once (cold) and reuses the environment (warm), with its own variables', async () => {
    const fn = localFunction();
    const first = await fn.invoke({});
    const second = await fn.invoke({});
    expect(first.initMs).toBeGreaterThan(0);
    expect(second.initMs).toBeUndefined();
    expect(payload(second)).toMatchObject({ pid: payload(first).pid, invocations: 2, greeting: 'hello', tz: 'UTC', name: 'test-ProbeFunction' });
    // The runner's compile cache is the environment's, not a variable of the function's.
    expect(payload(first).compileCache).toBeNull();
    expect(payload(first).remaining).toBeGreaterThan(1500);
    expect(payload(first).remaining).toBeLessThanOrEqual(2000);
    expect(payload(first).requestId).toBe(first.requestId);
  });

  it('runs the code on the stack\'s clock, from its cold start on, and a warm environment sees the clock moved', async () => {
    const clock = new LocalClock(TEST_NOW_MS);
    const fn = localFunction({}, clock);
    const cold = payload(await fn.invoke({}));
    clock.moveTo(clock.nowMs() + 7 * 86_400_000);
    const warm = payload(await fn.invoke({}));

    expect(cold.atInit - TEST_NOW_MS).toBeGreaterThanOrEqual(0);
    expect(cold.atInit - TEST_NOW_MS).toBeLessThan(10_000);
    expect(warm.pid).toBe(cold.pid);
    expect(warm.stackNow - cold.stackNow).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(warm.stackNow - cold.stackNow).toBeLessThan(7 * 86_400_000 + 10_000);
    // Libraries that read Date see the same time.
    expect(Math.abs(warm.dateNow - warm.stackNow)).toBeLessThan(1_000);
    expect(Math.abs(warm.newDate - warm.stackNow)).toBeLessThan(1_000);
  });

  it('ends an invocation at the timeout with Sandbox.Timedout and starts the next one cold', async () => {
    const fn = localFunction({ timeoutSeconds: 1 });
    const warm = payload(await fn.invoke({}));
    const started = performance.now();
    const timedOut = await fn.invoke({ sleep: 5000 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(timedOut).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' } });
    const next = await fn.invoke({});
    expect(next.initMs).toBeGreaterThan(0);
    expect(payload(next).pid).not.toBe(warm.pid);
  });

  it('reports a thrown error as Lambda does and keeps the environment; a crash replaces it', async () => {
    const fn = localFunction();
    const ok = payload(await fn.invoke({}));
    expect(await fn.invoke({ fail: true })).toMatchObject({ ok: false, error: { errorType: 'TypeError', errorMessage: 'boom' } });
    expect(payload(await fn.invoke({})).pid).toBe(ok.pid);
    expect(await fn.invoke({ exit: true })).toMatchObject({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited with error: exit status 3' } });
    expect(payload(await fn.invoke({})).pid).not.toBe(ok.pid);
  });

  it('runs at most `concurrency` invocations at once; the rest wait for an environment', async () => {
    const fn = localFunction({ concurrency: 2 });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 4 }, () => fn.invoke({ sleep: 300 })));
    expect(new Set(results.map((r) => payload(r).pid)).size).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(590);
    expect(fn.stats).toMatchObject({ invocations: 4, coldStarts: 2 });
  });
});
