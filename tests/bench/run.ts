/**
 * `npm run bench -- NAME`: runs tests/bench/NAME.bench.ts, which prints its figures and writes them
 * as JSON under tests/bench/results/. `npm run bench -- all` runs every benchmark, one after another,
 * each in its own process, then prints one summary: every measure, its figure, its goal and the ratio.
 * Benchmarks measure; they never assert timings.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goalMet, goalRatio, readResults, RESULTS_DIR, type Measure } from './results';

/** The order `all` runs them in: the ones that start `npm` themselves last. */
const ORDER = ['bundles', 'intake', 'matching', 'kpis', 'invoicing', 'section17', 'console', 'start', 'test'];

const available = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
const name = process.argv[2];

if (name === 'all') {
  await runAll();
} else if (name && available.includes(name)) {
  await import(`./${name}.bench.ts`);
} else {
  console.error(`usage: npm run bench -- <${[...available, 'all'].join('|')}>`);
  process.exit(2);
}

async function runAll(): Promise<void> {
  // wall clock: a bench run's results are stamped with when they were measured; this tells fresh results from older files
  const started = Date.now();
  const load = [loadavg()];
  const failed: string[] = [];
  for (const bench of available) {
    console.log(`\n━━━ npm run bench -- ${bench} ━━━`);
    const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), bench], { stdio: 'inherit', env: process.env });
    if (run.status !== 0) failed.push(bench);
    load.push(loadavg());
  }
  const rows: Array<Record<string, string>> = [];
  const summary: Array<Measure & { bench: string; ratio?: number; met?: boolean }> = [];
  for (const bench of available) {
    const results = readResults(bench);
    if (!results || Date.parse(results.at) < started) {
      const why = failed.includes(bench) ? 'the bench exited with an error' : 'the bench wrote no figures this run';
      rows.push({ bench, measure: `(no figures: ${why})`, figure: '', goal: '', ratio: '', met: '' });
      continue;
    }
    for (const m of results.measures) {
      const ratio = goalRatio(m);
      const met = goalMet(m);
      summary.push({ bench, ...m, ...(ratio !== undefined ? { ratio } : {}), ...(met !== undefined ? { met } : {}) });
      rows.push({
        bench,
        measure: m.measure,
        figure: `${formatNumber(m.figure)} ${m.unit}`,
        goal: m.goal ? `${m.goal.op} ${formatNumber(m.goal.value)} ${m.unit}` : '',
        ratio: ratio === undefined ? '' : ratio.toFixed(2),
        met: met === undefined ? '' : met ? 'yes' : 'NO',
      });
    }
  }
  const loadAverages = load.map((l) => l[0]!.toFixed(1)).join(', ');
  console.log(`\n━━━ summary (${((Date.now() - started) / 60_000).toFixed(1)} min; 1-minute load average before each bench and at the end: ${loadAverages}) ━━━`);
  console.table(rows);
  // wall clock: when the summary was measured, for whoever reads it later
  writeFileSync(join(RESULTS_DIR, 'summary.json'), `${JSON.stringify({ at: new Date().toISOString(), loadAverages: load, failed, measures: summary }, null, 2)}\n`);
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-GB');
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(2);
}
