import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/wall-clock.ts'],
    // Generous: the suite must pass on a loaded 2-core machine too (e2e set-ups bundle every function).
    // Speed is measured by the benches in tests/bench, never by these limits.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
