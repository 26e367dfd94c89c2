/**
 * The order vitest hands test files to its workers (`sequence.sequencer` in vitest.config.ts): the stack
 * project's files first, the longest first, then the infra files, then the unit files.
 *
 * vitest's own order runs the projects one after another by name (infra, stack, unit) and, without a
 * cache of earlier runs (a fresh clone, CI), the larger files first: the longest stack files started
 * 40–55 s into a run and kept one core busy alone at its end, while the unit files, many and short,
 * came last. Longest first leaves the short files to fill both cores at the end. Each project stays one
 * block, so its workers go on from file to file (`isolate: false`) instead of starting a process for each.
 * The order is the same on every machine (vitest's cache of earlier durations is not read).
 */
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, longest first within each project: the stack files by their seconds in a
 * whole `npm test` on a quiet two-core machine (2 December 2026: late-records 26 s … ledger-balances 5 s),
 * the unit and infra files by a run of those two projects. A file not named here starts after these, the
 * larger files first (vitest's own rule without a cache).
 */
const LONGEST_FIRST = [
  'tests/e2e/late-records.test.ts',
  'tests/browser/access.test.ts',
  'tests/browser/section17.test.ts',
  'tests/browser/placements.test.ts',
  'tests/integration/dynamodb-outage.test.ts',
  'tests/integration/api-fuzz.test.ts',
  'tests/e2e/local-stack.test.ts',
  'tests/browser/finance.test.ts',
  'tests/e2e/poison-message.test.ts',
  'tests/e2e/start-command.test.ts',
  'tests/e2e/void-bed-alerts.test.ts',
  'tests/integration/no-double-booking.test.ts',
  'tests/integration/ledger-balances.test.ts',
  'tests/infra/platform.test.ts',
  'tests/infra/operations.test.ts',
  'tests/infra/manager-api.test.ts',
  'tests/unit/architecture.test.ts',
  'tests/unit/matching-comparison.test.ts',
  'tests/unit/invoice-pdf.test.ts',
];

/** The projects in the order they start. */
const PROJECT_ORDER = ['stack', 'infra', 'unit'];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const key = new Map(
      files.map((spec) => {
        const listed = LONGEST_FIRST.indexOf(relative(root, spec.moduleId));
        return [
          spec,
          {
            project: rank(PROJECT_ORDER.indexOf(spec.project.name), PROJECT_ORDER.length),
            listed: rank(listed, LONGEST_FIRST.length),
            bytes: statSync(spec.moduleId, { throwIfNoEntry: false })?.size ?? 0,
          },
        ];
      }),
    );
    return [...files].sort((a, b) => {
      const x = key.get(a)!;
      const y = key.get(b)!;
      return x.project - y.project || x.listed - y.listed || y.bytes - x.bytes;
    });
  }
}

/** An index in a list, or after the list when not in it. */
function rank(index: number, length: number): number {
  return index === -1 ? length : index;
}
