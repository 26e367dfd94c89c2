// Mutation testing of the money and rule modules: `npm run mutation -- <module>` (tests/mutation/run.ts)
// picks the file to mutate and the unit tests that guard it; this file holds what every run shares.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'tests/mutation/vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  concurrency: 1,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['/cdk.out', '/.local', '/reports', '/coverage', '/docs'], // root folders only: lib/api/docs is code
  thresholds: { high: 90, low: 85, break: null },
};
