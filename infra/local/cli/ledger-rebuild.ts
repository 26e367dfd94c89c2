/**
 * `npm run ledger:rebuild [-- --check] [--from YYYY-MM] [--to YYYY-MM] [--data-dir DIR]`: works the
 * ledger's month and day balances (with the month's analysis, lib/ledger/balances.ts) out again
 * from the journals of each month of the running local stack (.local/stack.json) and writes those
 * that are missing or differ only in their analysis; `--check` only says which differ. Run once
 * after deploying the analysis (balances kept before it have none). Safe while journals are being
 * posted: each item is written conditioned on the debits and credits read. Against a deployed stack
 * the same DynamoLedger.rebuildBalances runs with the stack's table name.
 */
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { MONTH, nextMonth, type Month } from '#lib/time/calendar';
import { run, runningStack, stackTables } from './control';

/** Months from the first financial year the baseline was set in, to the end of next year. */
const FIRST_MONTH = '2016-04';

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (!value || !MONTH.test(value)) throw new Error(`${name} takes a month, YYYY-MM`);
  return value;
}

run(async () => {
  const argv = process.argv.slice(2);
  const info = runningStack(argv);
  const check = argv.includes('--check');
  const { db, table, close } = stackTables(info);
  // By default to the end of the year after the stack's own (a moved clock may be years from the wall clock's).
  const from = option(argv, '--from') ?? FIRST_MONTH;
  const to = option(argv, '--to') ?? `${Number(info.clock.now.slice(0, 4)) + 1}-12`;
  const months: Month[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  const started = performance.now();
  const outcome = await new DynamoLedger(db, table('LedgerTable')).rebuildBalances(months, { check }).finally(close);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const rewritten = outcome.differing.length - (check ? outcome.differing.length : outcome.conflicting.length);
  console.log(
    `Ledger balances of ${outcome.months} months (${from} to ${to}) from ${outcome.journals} journals in ${seconds} s: ` +
      (outcome.differing.length === 0 ? 'none differed' : `${outcome.differing.length} differed${check ? '' : `, ${rewritten} rewritten`}`),
  );
  if (outcome.conflicting.length > 0) console.log(`Not rewritten (their debits or credits differ from the journals, or a posting came meanwhile: run it again): ${outcome.conflicting.join(', ')}`);
  if (check && outcome.differing.length > 0) console.log(`Differing: ${outcome.differing.join(', ')}`);
  return outcome.conflicting.length > 0 || (check && outcome.differing.length > 0) ? 1 : 0;
});
