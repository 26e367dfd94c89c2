/**
 * The stack's clock: the one clock every handler and composition root takes (domain code is handed
 * it as a `Clock`). Deployed, it is the wall clock, always. Under the local runner (`npm start`) it
 * is the runner's clock, which can start at any instant and be moved forward; tests set it the same
 * way (`installLocalClock` in lib/clock.ts), so a handler under test sees the test's "now".
 *
 * The runner's execution environment (infra/local/lambda-worker.ts) installs its clock before the
 * function's bundle loads, and the runner sets `CARED_FOR_LOCAL_CLOCK` in the function's environment.
 * A function that finds that variable anywhere else (in AWS, or in a process the runner did not
 * start) refuses to start, so a deployed stack can never run on a shifted clock.
 */
import { inLambda, installedLocalClock, ShiftedClockRefused, systemClock, type Clock } from '#lib/clock';

/** Set by the local runner in every function's environment; nothing else may set it. */
export const LOCAL_CLOCK_VARIABLE = 'CARED_FOR_LOCAL_CLOCK';

export const stackClock: Clock = {
  nowMs: () => (installedLocalClock() ?? systemClock).nowMs(),
};

/**
 * Throws when this process is asked to run on a shifted clock outside the local runner. Runs when the
 * module loads, so a function's cold start fails with the reason instead of serving on the wrong time.
 */
export function assertClockNotShiftedOutsideLocalRunner(env: NodeJS.ProcessEnv = process.env): void {
  if (env[LOCAL_CLOCK_VARIABLE] === undefined) return;
  if (inLambda(env) || installedLocalClock() === undefined) {
    throw new ShiftedClockRefused(
      `${LOCAL_CLOCK_VARIABLE} asks this function to run on a shifted clock, which only the local runner (npm start) can do: ` +
        'a deployed function always runs on real time. Remove the variable from its environment.',
    );
  }
}

assertClockNotShiftedOutsideLocalRunner();
