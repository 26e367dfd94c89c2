import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Nothing the stack runs or the tests check reads the wall clock: domain code is handed a `Clock`,
 * handlers take the stack's clock (lib/stack-clock.ts), tests take `TEST_NOW` (tests/support/clock.ts)
 * and measure durations with `performance.now()`. A line that must read the wall clock says why in a
 * `// wall clock:` comment on the line before. (`npm run test:dates` also runs the suite with the wall
 * clock moved far from the tests' now, which catches a read this scan cannot see, inside a library.)
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WALL_CLOCK = /\bDate\.now\(\)|new Date\(\)|\bsystemClock\b|Temporal\.Now/;
/** Where the wall clock is read on purpose: the clock modules themselves, defaults of `clock` options, the test-only wall-clock shift. */
const ALLOWED = new Set(['lib/clock.ts', 'lib/stack-clock.ts', 'tests/support/wall-clock.ts', 'tests/unit/no-wall-clock.test.ts']);

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function wallClockReads(file: string): string[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  return lines.flatMap((line, i) => {
    if (!WALL_CLOCK.test(line) || line.trimStart().startsWith('*') || line.trimStart().startsWith('//')) return [];
    if ((lines[i - 1] ?? '').includes('// wall clock:')) return [];
    // `clock ?? systemClock`, `clock: Clock = systemClock`: a default for callers that pass none.
    if (/(\?\?|=)\s*systemClock\b/.test(line) || /import\b.*\bsystemClock\b/.test(line)) return [];
    return [`${file}:${i + 1}: ${line.trim()}`];
  });
}

describe('the wall clock', () => {
  it('is read by no handler, no domain module and no test', () => {
    const files = [...sources('lib'), ...sources('functions'), ...sources('tests')].filter((f) => !ALLOWED.has(f) && !f.startsWith('tests/bench/'));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(wallClockReads)).toEqual([]);
  });
});
