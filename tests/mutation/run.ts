/**
 * Mutation testing of the money and rule modules, one module at a time (Stryker with its vitest
 * runner; CPU-heavy, so a script, not part of `npm test` or CI):
 *
 *   npm run mutation -- invoice-lines      one module
 *   npm run mutation -- all                every module in turn, then a table of scores
 *
 * Each module names the file Stryker mutates and the unit tests that guard it; a mutant survives
 * when those tests still pass with it. Stryker's own report (clear text, and JSON under
 * reports/mutation/) lists each survivor with its line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync } from 'node:fs';

export const MODULES = {
  'invoice-lines': { mutate: ['lib/invoicing/lines.ts', 'lib/invoicing/charge.ts', 'lib/money.ts'], tests: ['tests/unit/invoicing-worked-examples.test.ts', 'tests/unit/invoicing-exports.test.ts', 'tests/unit/invoice-lines.test.ts'] },
  pricing: { mutate: ['lib/estate/pricing.ts'], tests: ['tests/unit/pricing.test.ts', 'tests/unit/placement-decisions.test.ts'] },
  'section17-rules': { mutate: ['lib/section17/rules.ts'], tests: ['tests/unit/section17-rules.test.ts'] },
  'hard-rules': { mutate: ['lib/matching/hard-rules.ts'], tests: ['tests/unit/matching-rules.test.ts', 'tests/unit/decision-rules.test.ts'] },
  'bed-nights': { mutate: ['lib/kpis/occupancy.ts'], tests: ['tests/unit/kpis.test.ts', 'tests/unit/bed-nights.test.ts'] },
} as const satisfies Record<string, { mutate: readonly string[]; tests: readonly string[] }>;

type ModuleName = keyof typeof MODULES;

interface StrykerReport {
  files: Record<string, { mutants: { status: string }[] }>;
}

function run(name: ModuleName): { file: string; killed: number; survived: number; noCoverage: number; score: number }[] {
  const module = MODULES[name];
  const result = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs', '--mutate', module.mutate.join(',')], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_TESTS: module.tests.join(',') },
  });
  if (result.status !== 0) throw new Error(`stryker failed on ${name} (exit ${result.status})`);
  const reportFile = `reports/mutation/${name}.json`;
  renameSync('reports/mutation/mutation.json', reportFile);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as StrykerReport;
  return Object.entries(report.files).map(([file, { mutants }]) => {
    const count = (...statuses: string[]) => mutants.filter((m) => statuses.includes(m.status)).length;
    const killed = count('Killed', 'Timeout');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    const scored = killed + survived + noCoverage;
    return { file, killed, survived, noCoverage, score: scored === 0 ? 100 : Math.round((killed / scored) * 1000) / 10 };
  });
}

const asked = process.argv[2];
const names = asked === 'all' ? (Object.keys(MODULES) as ModuleName[]) : asked && asked in MODULES ? [asked as ModuleName] : undefined;
if (!names) {
  console.error(`usage: npm run mutation -- <${Object.keys(MODULES).join(' | ')} | all>`);
  process.exit(2);
}
const rows = names.flatMap((name) => run(name).map((row) => ({ module: name, ...row })));
console.log('\nmodule           file                                  killed  survived  no coverage  score %');
for (const r of rows) {
  console.log(`${r.module.padEnd(16)} ${r.file.padEnd(37)} ${String(r.killed).padStart(6)}  ${String(r.survived).padStart(8)}  ${String(r.noCoverage).padStart(11)}  ${r.score.toFixed(1).padStart(7)}`);
}
