/**
 * "Now" in the tests. A test never reads the wall clock: it takes `TEST_NOW` (the instant the suite
 * runs at) or fixes an instant of its own, dates its sample data relative to it, and gives the
 * handlers it calls the same time through the stack's clock (lib/stack-clock.ts).
 *
 * `TEST_NOW` is `CARED_FOR_TEST_NOW` when set (`npm run test:dates` sets it to each of its instants)
 * and otherwise 2026-12-01T12:00:00Z, so a plain `npm test` gives the same answers on any day.
 */
import { installLocalClock, type Clock } from '#lib/clock';
import { londonDateAt } from '#lib/time/calendar';

export const TEST_NOW_VARIABLE = 'CARED_FOR_TEST_NOW';
export const DEFAULT_TEST_NOW = '2026-12-01T12:00:00.000Z';

function testNow(): string {
  const value = process.env[TEST_NOW_VARIABLE];
  if (value === undefined || value === '') return DEFAULT_TEST_NOW;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/T\d{2}:\d{2}/.test(value) || !/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new Error(`${TEST_NOW_VARIABLE}=${value}: expected an ISO instant with its offset, e.g. 2027-03-31T23:30:00+01:00`);
  }
  return new Date(ms).toISOString();
}

/** The instant this run of the suite is at (ISO, UTC). */
export const TEST_NOW: string = testNow();
export const TEST_NOW_MS: number = Date.parse(TEST_NOW);
/** The London calendar date at `TEST_NOW`. */
export const testToday: string = londonDateAt(TEST_NOW_MS);

/** A clock that stands still until a test moves it. */
export interface ManualClock extends Clock {
  /** The London calendar date now. */
  today(): string;
  iso(): string;
  set(instant: string | number): void;
  advance(ms: number): void;
}

export function manualClock(at: string | number = TEST_NOW): ManualClock {
  let now = typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(now)) throw new Error(`not an instant: ${String(at)}`);
  return {
    nowMs: () => now,
    today: () => londonDateAt(now),
    iso: () => new Date(now).toISOString(),
    set: (instant) => {
      now = typeof instant === 'number' ? instant : Date.parse(instant);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/**
 * Makes the stack's clock (what every handler imported in this test file reads) a manual clock at
 * `at`, and returns it. Call `restore()` to put the wall clock back (rarely needed: the stack's test files
 * share processes, but tests/support/fresh-modules.ts takes the clock back before each file).
 */
export function useStackClock(at: string | number = TEST_NOW): ManualClock & { restore(): void } {
  const clock = manualClock(at);
  const restore = installLocalClock(clock);
  return { ...clock, restore };
}
