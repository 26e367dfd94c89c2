/**
 * `npm run report -- kpis --from YYYY-MM-DD --to YYYY-MM-DD [--format table|json|csv] [--data-dir DIR]`:
 * the council's KPIs for a period (`to` exclusive) from the running local stack, worked out by the
 * same code as `GET /api/kpis` (lib/kpis/), reading the stack's tables named in .local/stack.json.
 * Prints tables to stdout; progress goes to stderr while it reads.
 */
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import { DynamoKpiBook } from '#lib/placements/dynamo-kpi-book';
import { dynamoKpiSources } from '#lib/kpis/dynamo-kpi-sources';
import { kpisCsv, MAX_KPI_PERIOD_NIGHTS } from '#lib/kpis/kpi-report';
import { KpiService, type KpiProgress } from '#lib/kpis/kpi-service';
import { kpisAsText } from '#lib/kpis/kpi-text';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { IsoDate } from '#lib/time/iso-date';
import { daysBetween } from '#lib/time/calendar';
import { run, runningStack, stackTables } from './control';

const USAGE = 'usage: npm run report -- kpis --from YYYY-MM-DD --to YYYY-MM-DD [--format table|json|csv] [--data-dir DIR]';

function take(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const [, value] = argv.splice(i, 2);
  if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
  return value;
}

function date(value: string | undefined, flag: string): string {
  if (!value || !IsoDate.safeParse(value).success) throw new Error(`${flag} ${value ?? ''}: expected a date YYYY-MM-DD\n${USAGE}`);
  return value;
}

/** Progress on stderr: one line rewritten in place on a terminal, a line per step elsewhere; nothing for quick runs. */
function progressReporter(): { report: (p: KpiProgress) => void; done: () => void } {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastPrinted = 0;
  let lastStep = '';
  let shown = false;
  return {
    report(p) {
      const now = Date.now();
      const finished = p.done === p.total;
      // Quiet for the first half second (a small estate is done by then), then at most four times a second.
      if (now - started < 500 || (!finished && now - lastPrinted < 250 && p.step === lastStep)) return;
      const line = `reading ${p.step}: ${p.done}/${p.total} (${((now - started) / 1000).toFixed(1)} s)`;
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else if (finished || p.step !== lastStep) process.stderr.write(`${line}\n`);
      lastPrinted = now;
      lastStep = p.step;
      shown = true;
    },
    done() {
      if (tty && shown) process.stderr.write('\r\x1b[K');
    },
  };
}

run(async () => {
  const argv = process.argv.slice(2);
  const info = runningStack(argv);
  const from = date(take(argv, '--from'), '--from');
  const to = date(take(argv, '--to'), '--to');
  const format = take(argv, '--format') ?? 'table';
  const [what] = argv;
  if (what !== 'kpis') throw new Error(USAGE);
  if (!['table', 'json', 'csv'].includes(format)) throw new Error(`--format ${format}: table, json or csv\n${USAGE}`);
  if (to <= from) throw new Error(`--to must be after --from (it is the first day after the period)\n${USAGE}`);
  if (daysBetween(from, to) > MAX_KPI_PERIOD_NIGHTS) throw new Error(`at most ${MAX_KPI_PERIOD_NIGHTS} nights`);

  const { db, table, close } = stackTables(info);
  const estate = table('EstateTable');
  const invoicesTable = info.tables.InvoicesTable;
  const service = new KpiService(
    dynamoKpiSources({
      estate: new DynamoEstateStore(db, estate),
      books: new DynamoKpiBook(db, table('PlacementsTable')),
      ledger: new DynamoLedger(db, table('LedgerTable')),
      // Reading documents needs no prefix (it matters to numbering alone).
      ...(invoicesTable ? { invoices: new DynamoInvoiceStore(db, invoicesTable, 'READONLY') } : {}),
    }),
  );
  const progress = progressReporter();
  const started = performance.now();
  try {
    const report = await service.kpis({ from, to }, progress.report);
    progress.done();
    if (format === 'json') console.log(JSON.stringify(report, null, 2));
    else if (format === 'csv') process.stdout.write(kpisCsv(report));
    else {
      console.log(kpisAsText(report));
      console.log(`(${report.occupancy.overall.beds} sellable beds read in ${((performance.now() - started) / 1000).toFixed(2)} s)`);
    }
  } finally {
    close();
  }
});
