/** The one place that reads the wall clock; domain code receives a Clock. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export const fixedClock = (iso: string): Clock => ({ nowMs: () => Date.parse(iso) });

// ---------------------------------------------------------------------------------------------
// A clock installed in this process in place of the wall clock, for the stack's clock
// (lib/stack-clock.ts) to read: by the local runner's execution environments and by tests. A global,
// because a function's bundle carries its own copy of these modules.

const LOCAL_CLOCK = Symbol.for('cared-for.local-clock');
const holder = globalThis as { [LOCAL_CLOCK]?: Clock };

export class ShiftedClockRefused extends Error {
  override name = 'ShiftedClockRefused';
}

/** Lambda's runtime API is there in every real execution environment (AWS's or LocalStack's), never in the local runner's. */
export const inLambda = (env: NodeJS.ProcessEnv): boolean => env.AWS_LAMBDA_RUNTIME_API !== undefined;

/** The clock installed in this process, if any. */
export const installedLocalClock = (): Clock | undefined => holder[LOCAL_CLOCK];

/**
 * Installs `clock` as this process's stack clock (the local runner's environments, tests) and returns
 * a function that puts back what was there. Refused inside a real Lambda environment.
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

/** Takes away any clock installed in this process: the stack's clock is the wall clock again (tests whose files share a process). */
export function uninstallLocalClock(): void {
  delete holder[LOCAL_CLOCK];
}
