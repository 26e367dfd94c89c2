import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from '#tests/support/sequencer';

/**
 * The run's own temporary directory, however vitest was started (`npm test`, `npx vitest run --project
 * infra` …): TMPDIR for its workers and all they start, removed when vitest exits. CDK writes an assembly
 * to a new temporary directory for every app a test synthesizes without an outdir (two dozen a run), and
 * Chromium its profiles there; nothing of a run is left in the system's temporary directory.
 */
const runTmp = mkdtempSync(join(tmpdir(), 'cared-for-vitest-'));
process.env.TMPDIR = runTmp;
process.on('exit', () => rmSync(runTmp, { recursive: true, force: true }));

/**
 * Three projects, so that the unit tests start no emulator and synthesize nothing:
 *   unit   tests/unit (pure domain rules, worked examples, in-memory adapters): `npx vitest run --project unit`
 *   stack  everything that needs the embedded emulators (integration, e2e, browser, and the two unit files
 *          that read them): ONE emulator start and ONE synth for the whole run, shared through `inject`
 *          (tests/support/global-setup.ts).
 *   infra  tests/infra, on the synthesized template only (the same one synth: tests/support/run-template.ts).
 * The files of each project share processes, one file after another in each (`isolate: false`); a stack
 * file points its handlers at its own tables through the environment before importing them, so each starts
 * on the process's first environment and fresh modules of ours (tests/support/fresh-modules.ts).
 */

/** Unit files that read the shared emulators or the synthesized template. */
const UNIT_FILES_ON_THE_STACK = ['tests/unit/provision.test.ts', 'tests/unit/schedule-delivery.test.ts'];

export default defineConfig({
  test: {
    exclude: ['tests/bench/**', 'node_modules/**'],
    setupFiles: ['tests/support/wall-clock.ts'],
    // Generous: the suite must pass on a loaded 2-core machine too (e2e set-ups bundle every function).
    // Speed is measured by the benches in tests/bench, never by these limits.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // vitest's default is one file at a time on two cores (cores − 1), the usual machine here and in CI; most
    // files spend their time waiting on the emulators, their functions' processes or Chromium, so three at
    // once keep both cores busy.
    maxWorkers: Math.max(3, availableParallelism()),
    // The stack files first, the longest first; then infra, then unit (tests/support/sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude: ['tests/bench/**', 'node_modules/**', ...UNIT_FILES_ON_THE_STACK],
          // One process runs many unit files, one after another, each with its setup files run again: half the
          // unit project's CPU was starting a process and importing the same modules once per file. The unit
          // files keep no state between files (vi.stubEnv, fake timers and resetModules are undone in their own hooks).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/browser/**/*.test.ts', ...UNIT_FILES_ON_THE_STACK],
          globalSetup: ['tests/support/global-setup.ts'],
          // Files share processes, each starting on the process's first environment and fresh modules of ours
          // (tests/support/fresh-modules.ts): a process per file was ~0.3 s more CPU a file.
          setupFiles: ['tests/support/fresh-modules.ts'],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts'],
          globalSetup: ['tests/support/template-setup.ts'],
          // As the unit project: aws-cdk-lib loaded once per process, not once per file. The shared template
          // is frozen (tests/infra/support.ts), so no file can change it for the next.
          isolate: false,
        },
      },
    ],
  },
});
