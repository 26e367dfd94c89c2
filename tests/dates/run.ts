/**
 * `npm run test:dates [-- --at <instant> … | --farthest] [-- <vitest filters>]`: the whole suite at
 * chosen instants, one run after another, then a table of instant × passed/failed.
 *
 * At each instant the tests' now (TEST_NOW, tests/support/clock.ts) is that instant, so every test
 * that dates its data from now runs on that day: a month's last minute, the financial year's end and
 * start, both clock changes, a leap day. And the wall clock of every test process (`Date`) is moved
 * far from it, WALL_CLOCK_SKEW later (tests/support/wall-clock.ts): code that reads the wall clock
 * where it should read the stack's sees another day, month and year, and a test fails.
 *
 *   --at <instant>   run at this instant only (repeatable); ISO with its zone
 *   --farthest       run at the listed instant farthest from today's date (what .ci/run does)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_NOW_VARIABLE } from '#tests/support/clock';
import { WALL_CLOCK_VARIABLE } from '#tests/support/wall-clock';

/** The instants the suite runs at, with why each. */
export const INSTANTS: ReadonlyArray<{ at: string; why: string }> = [
  { at: '2026-12-01T12:00:00Z', why: 'the day issue 10 was written' },
  { at: '2026-12-31T23:59:00Z', why: "the last minute of a month (and of the year)" },
  { at: '2027-03-31T23:30:00+01:00', why: 'the financial year’s last half hour' },
  { at: '2027-04-01T00:30:00+01:00', why: 'the next financial year’s first half hour' },
  { at: '2026-10-25T01:30:00Z', why: 'the autumn clock change: 01:30 GMT, the hour London lives twice' },
  { at: '2027-03-28T02:30:00+01:00', why: 'the spring clock change: the first half hour of summer time' },
  { at: '2028-02-29T12:00:00Z', why: 'a leap day' },
  { at: '2029-03-14T12:00:00Z', why: 'the sample child’s 18th birthday' },
];

/** How far the wall clock is moved from the tests' now: another day, month and year. */
export const WALL_CLOCK_SKEW_MS = (1_000 * 24 + 7) * 3_600_000;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });

interface Outcome {
  at: string;
  ok: boolean;
  passed: number;
  failed: number;
  files: number;
  failedFiles: string[];
  seconds: number;
  log: string;
}

function parseArgs(argv: string[]): { instants: string[]; filters: string[] } {
  const instants: string[] = [];
  const filters: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--at') {
      const at = argv[++i];
      if (!at || Number.isNaN(Date.parse(at)) || !/(Z|[+-]\d{2}:\d{2})$/.test(at)) throw new Error(`--at ${at ?? ''}: expected an ISO instant with its zone`);
      instants.push(at);
    } else if (arg === '--farthest') {
      // wall clock: which listed instant is farthest from the real today is about the real today
      const today = Date.now();
      instants.push([...INSTANTS].sort((a, b) => Math.abs(Date.parse(b.at) - today) - Math.abs(Date.parse(a.at) - today))[0]!.at);
    } else filters.push(arg);
  }
  return { instants: instants.length > 0 ? instants : INSTANTS.map((i) => i.at), filters };
}

function runAt(at: string, filters: string[], dir: string, index: number): Promise<Outcome> {
  const json = join(dir, `${index + 1}.json`);
  const log = join(dir, `${index + 1}.log`);
  const wall = new Date(Date.parse(at) + WALL_CLOCK_SKEW_MS).toISOString();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vitest', 'run', '--reporter=dot', '--reporter=json', `--outputFile.json=${json}`, ...filters], {
      cwd: ROOT,
      env: { ...process.env, [TEST_NOW_VARIABLE]: at, [WALL_CLOCK_VARIABLE]: wall, CI: process.env.CI ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      writeFileSync(log, Buffer.concat(chunks));
      const report = existsSync(json)
        ? (JSON.parse(readFileSync(json, 'utf8')) as { numPassedTests: number; numFailedTests: number; numTotalTestSuites: number; testResults: Array<{ name: string; status: string }> })
        : undefined;
      resolve({
        at,
        ok: code === 0,
        passed: report?.numPassedTests ?? 0,
        failed: report?.numFailedTests ?? 0,
        files: report?.testResults.length ?? 0,
        failedFiles: (report?.testResults ?? []).filter((r) => r.status !== 'passed').map((r) => r.name.replace(`${ROOT}/`, '')),
        seconds: (performance.now() - started) / 1000,
        log,
      });
    });
  });
}

function table(outcomes: Outcome[]): string {
  const rows = [['instant', 'Europe/London', 'result', 'tests passed', 'failed', 'files', 'seconds']];
  for (const o of outcomes) {
    rows.push([o.at, LONDON.format(Date.parse(o.at)), o.ok ? 'passed' : 'FAILED', String(o.passed), String(o.failed), String(o.files), o.seconds.toFixed(0)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<number> {
  const { instants, filters } = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'cared-for-test-dates-'));
  console.log(`The suite at ${instants.length} instant(s); at each, the wall clock of the test processes reads 1,000 days and 7 hours later. Logs in ${dir} (kept if an instant fails)`);
  const outcomes: Outcome[] = [];
  for (const [i, at] of instants.entries()) {
    const why = INSTANTS.find((x) => x.at === at)?.why;
    console.log(`\n▶ ${at} (${LONDON.format(Date.parse(at))} in London${why ? `: ${why}` : ''})`);
    const outcome = await runAt(at, filters, dir, i);
    outcomes.push(outcome);
    console.log(`  ${outcome.ok ? 'passed' : 'FAILED'}: ${outcome.passed} passed, ${outcome.failed} failed in ${outcome.seconds.toFixed(0)} s${outcome.ok ? '' : `; ${outcome.failedFiles.join(', ')}; see ${outcome.log}`}`);
  }
  console.log(`\n${table(outcomes)}\n`);
  const passed = outcomes.every((o) => o.ok);
  // Nothing left in /tmp by a run that passed; the logs of one that failed are what to read next.
  if (passed) rmSync(dir, { recursive: true, force: true });
  return passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
