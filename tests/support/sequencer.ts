/**
 * The order vitest hands test files to its workers (`sequence.sequencer` in vitest.config.ts): the stack
 * project's files first, the longest first, then the infra files, then the unit files.
 *
 * vitest's own order runs the projects one after another by name (infra, stack, unit) and, without a
 * cache of earlier runs (a fresh clone, CI), the larger files first: the longest stack files started
 * 40–55 s into a run and kept one core busy alone at its end, while the unit files, many and short,
 * came last. Longest first leaves the short files to fill both cores at the end. The unit and infra
 * files stay together, each project in one block, so their workers go on from file to file
 * (`isolate: false`) instead of starting a process for each.
 */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each of the longest files took in a whole `npm test` on a quiet two-core machine
 * (2 December 2026). Only the order matters; a file not named here starts after these.
 */
const LONGEST_SECONDS: Record<string, number> = {
  'tests/e2e/late-records.test.ts': 26.3,
  'tests/browser/access.test.ts': 23.1,
  'tests/browser/section17.test.ts': 17.6,
  'tests/browser/placements.test.ts': 16.4,
  'tests/integration/dynamodb-outage.test.ts': 14.3,
  'tests/integration/api-fuzz.test.ts': 12.7,
  'tests/e2e/local-stack.test.ts': 12.4,
  'tests/browser/finance.test.ts': 11.8,
  'tests/e2e/poison-message.test.ts': 9.1,
  'tests/e2e/start-command.test.ts': 7.9,
  'tests/e2e/void-bed-alerts.test.ts': 5.9,
  'tests/integration/no-double-booking.test.ts': 5.5,
  'tests/integration/ledger-balances.test.ts': 5.1,
};

/** The projects in the order they start. */
const PROJECT_ORDER = ['stack', 'infra', 'unit'];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const key = new Map(
      files.map((spec) => {
        const cached = this.ctx.cache.getTestSpecificationResult(spec);
        const path = relative(root, spec.moduleId);
        return [
          spec,
          {
            project: projectRank(spec.project.name),
            failed: cached?.failed ? 0 : 1,
            // This machine's own figure when vitest kept one; else the list's; else the file's size decides.
            seconds: cached ? cached.duration / 1000 : (LONGEST_SECONDS[path] ?? 0),
            bytes: statSync(spec.moduleId, { throwIfNoEntry: false })?.size ?? 0,
          },
        ];
      }),
    );
    return [...files].sort((a, b) => {
      const x = key.get(a)!;
      const y = key.get(b)!;
      return x.project - y.project || x.failed - y.failed || y.seconds - x.seconds || y.bytes - x.bytes;
    });
  }
}

function projectRank(name: string): number {
  const rank = PROJECT_ORDER.indexOf(name);
  return rank === -1 ? PROJECT_ORDER.length : rank;
}
