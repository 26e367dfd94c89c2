/**
 * The stack's clock: the one clock every handler and composition root takes (domain code is handed
 * it as a `Clock`). Deployed, it is the wall clock, always. Under the local runner (`npm start`) it
 * is the runner's clock, which can start at any instant and be moved forward; tests set it the same
 * way, so a handler under test sees the test's "now".
 *
 * The runner's execution environment (infra/local/lambda-worker.ts) installs its clock before the
 * function's bundle loads, through a global that the bundle's own copy of this module reads. The
 * runner also sets `CARED_FOR_LOCAL_CLOCK` in the function's environment; a function that finds that
 * variable anywhere else (in AWS, or in a process the runner did not start) refuses to start, so a
 * deployed stack can never run on a shifted clock.
 */
import { systemClock, type Clock } from '#lib/clock';

/** Set by the local runner in every function's environment; nothing else may set it. */
export const LOCAL_CLOCK_VARIABLE = 'CARED_FOR_LOCAL_CLOCK';

const LOCAL_CLOCK = Symbol.for('cared-for.local-clock');
type Holder = { [LOCAL_CLOCK]?: Clock };
const holder = globalThis as Holder;

/** Lambda's runtime API is there in every real execution environment (AWS's or LocalStack's), never in ours. */
const inLambda = (env: NodeJS.ProcessEnv): boolean => env.AWS_LAMBDA_RUNTIME_API !== undefined;

export const stackClock: Clock = {
  nowMs: () => (holder[LOCAL_CLOCK] ?? systemClock).nowMs(),
};

/**
 * Makes `stackClock` read `clock` in this process (the local runner's environments, tests).
 * Returns a function that puts the wall clock back. Refused inside a real Lambda environment.
 */
export function installLocalClock(clock: Clock, env: NodeJS.ProcessEnv = process.env): () => void {
  if (inLambda(env)) throw new ShiftedClockRefused('a local clock cannot be installed in a Lambda execution environment');
  const previous = holder[LOCAL_CLOCK];
  holder[LOCAL_CLOCK] = clock;
  return () => {
    if (previous === undefined) delete holder[LOCAL_CLOCK];
    else holder[LOCAL_CLOCK] = previous;
  };
}

export class ShiftedClockRefused extends Error {
  override name = 'ShiftedClockRefused';
}

/**
 * Throws when this process is asked to run on a shifted clock outside the local runner. Runs when the
 * module loads, so a function's cold start fails with the reason instead of serving on the wrong time.
 */
export function assertClockNotShiftedOutsideLocalRunner(env: NodeJS.ProcessEnv = process.env): void {
  if (env[LOCAL_CLOCK_VARIABLE] === undefined) return;
  if (inLambda(env) || holder[LOCAL_CLOCK] === undefined) {
    throw new ShiftedClockRefused(
      `${LOCAL_CLOCK_VARIABLE} asks this function to run on a shifted clock, which only the local runner (npm start) can do: ` +
        'a deployed function always runs on real time. Remove the variable from its environment.',
    );
  }
}

assertClockNotShiftedOutsideLocalRunner();
