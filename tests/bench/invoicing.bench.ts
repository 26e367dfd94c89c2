/**
 * The monthly invoicing run and the trial balance, against the embedded emulators.
 *
 *   npm run bench -- invoicing          (BENCH_SIZES=1000,100000 for a region's scale; BENCH_POSTINGS)
 *
 * Run: for 1,000, 5,000 and 10,000 placements across 12 councils (start dates May–October 2026,
 * a third ended, extras on some), September is invoiced first (untimed: the months before it were
 * billed elsewhere, INVOICING_START_MONTH 2026-09), then October's run is timed from start to
 * complete: the registry read and fan-out, each council's placements read through the
 * byPlacingAuthority index with its September documents, drafting and staging, then numbering and
 * issuing every document (one transaction each) and sending its journal. Jobs run one after
 * another in this process, through the same library the invoicing functions wrap (in AWS the
 * council jobs run in parallel Lambdas). Read and write units are what DynamoDB Local reports with
 * ReturnConsumedCapacity TOTAL, counted by a middleware on the client.
 *
 * Trial balance: sumsAsAt (two Queries per account of the chart: month balances before the month,
 * day balances within it) at 1,000 postings made through DynamoLedger.post, and at 100,000
 * postings whose journals and balances are written in bulk (BatchWriteItem) as the posting
 * transactions would have left them.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '#lib/clock';
import { invoicingRuns } from '#functions/invoicing/wiring';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import { ACCOUNTS } from '#lib/ledger/chart';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { Journal, movements, periodOf } from '#lib/ledger/journal';
import { ledgerKeys } from '#lib/ledger/ledger-keys';
import { addDays } from '#lib/time/calendar';
import { generatePlacements, runInProcess, seedPlacements } from '#tests/support/invoicing-world';
import { seededRandom } from '#tests/support/seeded-random';
import { startEmulatorStack } from './emulator-stack';
import { BenchRecorder } from './results';
import { countCapacity, median, percentile, runPool } from './stats';

const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
const POSTINGS = (process.env.BENCH_POSTINGS ?? '1000,100000').split(',').map(Number);

const recorder = new BenchRecorder('invoicing');
const stack = await startEmulatorStack();
try {
  const { clients } = stack;
  const counted = countCapacity(clients.dynamodb);
  const db = stack.documentClient();

  // --- the run ---------------------------------------------------------------------------
  const runRows = [];
  const perSize: Array<{ size: number; ms: number; read: number; write: number }> = [];
  for (const size of SIZES) {
    const resources = await stack.provision(`bench-inv-${size}`);
    const queue = { url: resources.InvoiceJobsQueue!.url!, arn: resources.InvoiceJobsQueue!.arn };
    const wiring = {
      placementsTable: resources.PlacementsTable!.name,
      invoicesTable: resources.InvoicesTable!.name,
      invoiceJobsQueueUrl: queue.url,
      ledgerPostingsQueueUrl: resources.LedgerPostingsQueue!.url!,
      deliveriesQueueUrl: resources.DeliveriesQueue!.url!,
      prefix: 'NT',
      paymentTermsDays: 30,
      startMonth: '2026-09',
    };
    await seedPlacements(db, wiring.placementsTable, generatePlacements({ seed: size, count: size, from: '2026-05-01', to: '2026-10-31', idPrefix: 'bench' }), 16);
    const runs = invoicingRuns(db, clients.sqs, wiring, systemClock);
    const september = performance.now();
    await runInProcess(runs, '2026-09', clients.sqs, queue);
    const septemberMs = performance.now() - september;

    counted.reset();
    const started = performance.now();
    await runInProcess(runs, '2026-10', clients.sqs, queue);
    const ms = performance.now() - started;
    const units = { ...counted.units };
    const docs = await new DynamoInvoiceStore(db, wiring.invoicesTable, 'NT').forRun('2026-10');
    runRows.push({
      placements: size,
      'October run ms': ms.toFixed(0),
      'ms / placement': (ms / size).toFixed(3),
      documents: docs.length,
      lines: docs.reduce((n, d) => n + d.lines.length, 0),
      'RCU / placement': (units.read / size).toFixed(2),
      'WCU / placement': (units.write / size).toFixed(2),
      'RCU total': units.read.toFixed(0),
      'WCU total': units.write.toFixed(0),
      'September (first) run ms': septemberMs.toFixed(0),
    });
    perSize.push({ size, ms, read: units.read / size, write: units.write / size });
  }
  recorder.table('Invoicing run: October 2026, 12 councils, September documents checked for corrections', runRows);
  const [smallest, largest] = [perSize[0]!, perSize[perSize.length - 1]!];
  recorder.measure({
    measure: `one month's invoicing run, ${largest.size.toLocaleString('en-GB')} placements`,
    figure: Number((largest.ms / 1000).toFixed(2)),
    unit: 's',
    ...(largest.size >= 100_000 ? { goal: { op: '<' as const, value: 60 } } : {}),
    note: largest.size >= 100_000 ? 'jobs one after another in one process' : 'the goal is for 100,000 placements: BENCH_SIZES=1000,100000',
  });
  if (largest.size > smallest.size) {
    const flat = `from ${smallest.size.toLocaleString('en-GB')} to ${largest.size.toLocaleString('en-GB')} placements`;
    recorder.measure({ measure: `read units per placement ${flat} (ratio)`, figure: Number((largest.read / smallest.read).toFixed(3)), unit: '×', goal: { op: '<=', value: 1.1 }, note: `${smallest.read.toFixed(2)} → ${largest.read.toFixed(2)} RCU/placement` });
    recorder.measure({ measure: `write units per placement ${flat} (ratio)`, figure: Number((largest.write / smallest.write).toFixed(3)), unit: '×', goal: { op: '<=', value: 1.1 }, note: `${smallest.write.toFixed(2)} → ${largest.write.toFixed(2)} WCU/placement` });
  }

  // --- the trial balance ------------------------------------------------------------------
  const random = seededRandom(42);
  const PAIRS = [
    [ACCOUNTS.debtorsControl, ACCOUNTS.placementIncome],
    [ACCOUNTS.section17Support, ACCOUNTS.creditorsControl],
    [ACCOUNTS.section17ProfessionalFees, ACCOUNTS.bank],
    [ACCOUNTS.placementIncome, ACCOUNTS.debtorsControl],
  ] as const;
  const journalAt = (i: number, prefix: string): Journal => {
    const [debit, credit] = PAIRS[i % PAIRS.length]!;
    const pence = 1 + Math.floor(random() * 2_000_000);
    return Journal.parse({
      idempotencyKey: `${prefix}-${i}`,
      date: addDays('2026-04-01', Math.floor(random() * 365)),
      description: 'benchmark posting',
      source: { type: 'adjustment', id: `${prefix}-${i}` },
      lines: [
        { account: debit, debitPence: pence },
        { account: credit, creditPence: pence },
      ],
    });
  };

  const tbRows = [];
  for (const postings of POSTINGS) {
    const resources = await stack.provision(`bench-tb-${postings}`);
    const ledgerTable = resources.LedgerTable!.name;
    const ledger = new DynamoLedger(db, ledgerTable);
    const journals = Array.from({ length: postings }, (_, i) => journalAt(i, `tb${postings}`));
    const loadStarted = performance.now();
    let how: string;
    if (postings <= 5_000) {
      how = 'DynamoLedger.post';
      await runPool(postings, 16, async (i) => void (await ledger.post(journals[i]!, '2027-04-01T00:00:00.000Z')));
    } else {
      how = 'bulk BatchWriteItem';
      // What the posting transactions would have left: each journal, and each account's month and day balances.
      const balances = new Map<string, { pk: string; sk: string; debitPence: number; creditPence: number }>();
      for (const journal of journals) {
        for (const [account, m] of movements(journal)) {
          for (const key of [ledgerKeys.monthBalance(account, periodOf(journal)), ledgerKeys.dayBalance(account, journal.date)]) {
            const id = `${key.pk}|${key.sk}`;
            const b = balances.get(id) ?? { ...key, debitPence: 0, creditPence: 0 };
            b.debitPence += m.debitPence;
            b.creditPence += m.creditPence;
            balances.set(id, b);
          }
        }
      }
      const items = [
        ...journals.map((j) => ({ ...ledgerKeys.journal(j.idempotencyKey), ...ledgerKeys.period(periodOf(j), j.date, j.idempotencyKey), journal: j, postedAt: '2027-04-01T00:00:00.000Z' })),
        ...balances.values(),
      ];
      const batches = Math.ceil(items.length / 25);
      await runPool(batches, 16, async (b) => {
        let pending = items.slice(b * 25, b * 25 + 25).map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [ledgerTable]: pending } }));
          pending = (UnprocessedItems?.[ledgerTable] ?? []) as typeof pending;
        }
      });
    }
    const loadMs = performance.now() - loadStarted;

    // Warm, then time: as at year end (12 month balances + nothing of the month) and mid-month (months before + days of the month).
    for (let i = 0; i < 3; i++) await ledger.sumsAsAt('2027-03-31');
    const timings: Record<string, number[]> = { '2027-03-31': [], '2026-11-15': [] };
    const readUnits: Record<string, number> = {};
    for (const asAt of Object.keys(timings)) {
      for (let i = 0; i < 20; i++) {
        counted.reset();
        const t0 = performance.now();
        const sums = await ledger.sumsAsAt(asAt);
        timings[asAt]!.push(performance.now() - t0);
        readUnits[asAt] = counted.units.read;
        const total = [...sums.values()].reduce((s, x) => s + x.debitPence - x.creditPence, 0);
        if (total !== 0) throw new Error(`trial balance as at ${asAt} does not balance: ${total}`);
      }
    }
    for (const asAt of Object.keys(timings)) {
      const sorted = [...timings[asAt]!].sort((a, b) => a - b);
      tbRows.push({
        postings,
        'loaded by': how,
        'load s': (loadMs / 1000).toFixed(1),
        'as at': asAt,
        'sumsAsAt p50 ms': median(sorted).toFixed(2),
        'sumsAsAt p95 ms': percentile(sorted, 95).toFixed(2),
        'RCU per read': readUnits[asAt]!.toFixed(1),
      });
    }
  }
  recorder.table('Trial balance: DynamoLedger.sumsAsAt (7 accounts × 2 Queries), median and p95 of 20 reads', tbRows);
  recorder.write();
} finally {
  await stack.stop();
}
