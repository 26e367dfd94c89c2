/**
 * vitest setupFiles: when `CARED_FOR_WALL_CLOCK` is set (`npm run test:dates` sets it), the wall clock
 * of every test file's process (`Date`, `Date.now()`) reads that instant when the file starts and runs
 * on from there. The tests and the handlers they call take their time from the test (tests/support/clock.ts)
 * and the stack's clock, never from the wall clock, so moving it must change nothing; code that reads
 * `Date.now()` where it should read a clock gets a day, month and year unlike the test's, and a test fails.
 * Listed in package.json's `sideEffects`: the delivery crash test's worker imports it for its effect alone,
 * and esbuild, which bundles the worker, would otherwise leave it out.
 */
export const WALL_CLOCK_VARIABLE = 'CARED_FOR_WALL_CLOCK';

const wall = process.env[WALL_CLOCK_VARIABLE];
if (wall) {
  const target = Date.parse(wall);
  if (Number.isNaN(target)) throw new Error(`${WALL_CLOCK_VARIABLE}=${wall} is not an ISO instant`);
  // The unit and infra projects run many files in one process, this file again before each: shift the real Date, once.
  const realDate = Symbol.for('cared-for.tests.real-date');
  const RealDate: DateConstructor = ((globalThis as typeof globalThis & { [realDate]?: DateConstructor })[realDate] ??= Date);
  const offsetMs = target - RealDate.now();
  class ShiftedDate extends RealDate {
    constructor(...args: ConstructorParameters<DateConstructor> | []) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...(args as ConstructorParameters<DateConstructor>));
    }
    static override now(): number {
      return RealDate.now() + offsetMs;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
