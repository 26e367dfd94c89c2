import { defineConfig } from 'vitest/config';

/**
 * The vitest configuration Stryker runs: only the unit tests named in MUTATION_TESTS (set by
 * tests/mutation/run.ts), with no emulators and no synthesized template, so each mutant costs
 * only the tests that guard the module.
 */
const tests = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);
if (tests.length === 0) throw new Error('MUTATION_TESTS names no test file: run `npm run mutation -- <module>`');

export default defineConfig({
  test: { include: tests, pool: 'forks', testTimeout: 30_000 },
});
