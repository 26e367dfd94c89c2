/**
 * Crash safety of a month's run: the invoice builder runs as its own Node process (the real
 * handler, configured by its environment, fed from the queue as Lambda's event source mapping
 * would) and is killed with SIGKILL at random points, at least five times, each time resumed by a
 * fresh process. Its documents are then compared with those of a clean run of the same month on a
 * fresh copy of every table and queue: identical documents, numbers, lines and pence, no gap, no
 * duplicate; and the same ledger.
 *
 * 2,000 placements across 12 councils. September is run first (in this process, in both stacks)
 * so that October's run has corrections to make: back-dated ends and corrected prices become credit
 * notes and supplementary invoices, late admissions late or supplementary invoices.
 */
import { fileURLToPath } from 'node:url';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '#lib/clock';
import { ENV } from '#lib/config';
import type { IssuedDocument } from '#lib/invoicing/documents';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import { invoiceKeys } from '#lib/invoicing/invoice-keys';
import { invoicingRuns } from '#functions/invoicing/wiring';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { Journal } from '#lib/ledger/journal';
import { trialBalance } from '#lib/ledger/trial-balance';
import type { Placement } from '#lib/placements/schema';
import { addDays } from '#lib/time/calendar';
import { emulatorClients, provisionStack, type ProvisionedStack } from '#tests/support/emulators';
import { bundledWorker, followWorker, releaseInFlight, removeBundledWorker, spawnWorker, type QueueWorker } from '#tests/support/worker-process';
import { generatePlacements, placementOf, runInProcess, seedPlacements } from '#tests/support/invoicing-world';
import { seededRandom } from '#tests/support/seeded-random';
import { receiveAll } from '#tests/support/sqs-event';

const WORKER = await bundledWorker(fileURLToPath(new URL('../support/invoice-builder-worker.ts', import.meta.url)));
afterAll(() => removeBundledWorker(WORKER));
const MIN_KILLS = 5;
const MONTH = '2026-10';
/** This file's own instant: October's run, on 2 November (the worker processes' stack clock too). */
const NOW = '2026-11-02T09:00:00.000Z';
/** The kill points are random from this seed: `CRASH_TEST_SEED=<seed>` repeats a run's kills. */
const SEED = process.env.CRASH_TEST_SEED ? Number(process.env.CRASH_TEST_SEED) : Math.floor(Math.random() * 2 ** 31);

const db = DynamoDBDocumentClient.from(emulatorClients().dynamodb);
const sqs = emulatorClients().sqs;

/** The same world in every stack: September's placements, then what changed before October's run. */
const initial = generatePlacements({ seed: 20261101, count: 1_960, from: '2026-05-01', to: '2026-10-31', idPrefix: 'crash' });
function changesAfterSeptember(placements: readonly Placement[]): Placement[] {
  const random = seededRandom(7);
  const open = placements.filter((p) => !p.ending && p.startDate < '2026-08-20');
  const changed: Placement[] = [];
  // 60 ends back-dated into August and September; 20 prices corrected upwards and 10 downwards.
  for (const p of open.slice(0, 60)) {
    const end = addDays('2026-08-20', Math.floor(random() * 40));
    changed.push(placementOf({ placementId: p.placementId, placingLa: p.placingLa, startDate: p.startDate, endDate: end, weeklyPence: p.agreedWeeklyPricePence, extras: p.extras, purchaseOrder: p.purchaseOrder }));
  }
  for (const [i, p] of open.slice(60, 90).entries()) {
    changed.push({ ...p, agreedWeeklyPricePence: p.agreedWeeklyPricePence + (i < 20 ? 7_001 : -5_003) });
  }
  // 40 admissions recorded late, back to August and September.
  changed.push(...generatePlacements({ seed: 99, count: 40, from: '2026-08-01', to: '2026-09-30', idPrefix: 'late' }));
  return changed;
}

interface World {
  stack: ProvisionedStack;
  store: DynamoInvoiceStore;
  jobs: { url: string; arn: string };
}

async function prepare(name: string): Promise<World> {
  const stack = await provisionStack(name);
  const wiring = {
    placementsTable: stack.tables.PlacementsTable!,
    invoicesTable: stack.tables.InvoicesTable!,
    invoiceJobsQueueUrl: stack.queues.InvoiceJobsQueue!.url,
    ledgerPostingsQueueUrl: stack.queues.LedgerPostingsQueue!.url,
    deliveriesQueueUrl: stack.queues.DeliveriesQueue!.url,
    prefix: 'NT',
    paymentTermsDays: 30,
  };
  await seedPlacements(db, wiring.placementsTable, initial);
  await runInProcess(invoicingRuns(db, sqs, wiring, fixedClock(NOW)), '2026-09', sqs, stack.queues.InvoiceJobsQueue!);
  await seedPlacements(db, wiring.placementsTable, changesAfterSeptember(initial));
  // October's run, as the API asks for it.
  await sqs.send(new SendMessageCommand({ QueueUrl: wiring.invoiceJobsQueueUrl, MessageBody: JSON.stringify({ type: 'run', month: MONTH }) }));
  return { stack, store: new DynamoInvoiceStore(db, wiring.invoicesTable, 'NT'), jobs: stack.queues.InvoiceJobsQueue! };
}

function startWorker(world: World): QueueWorker {
  const child = spawnWorker(WORKER, {
    [ENV.placementsTable]: world.stack.tables.PlacementsTable!,
    [ENV.estateTable]: world.stack.tables.EstateTable!,
    [ENV.invoicesTable]: world.stack.tables.InvoicesTable!,
    [ENV.invoiceJobsQueueUrl]: world.jobs.url,
    INVOICE_JOBS_QUEUE_ARN: world.jobs.arn,
    [ENV.ledgerPostingsQueueUrl]: world.stack.queues.LedgerPostingsQueue!.url,
    [ENV.deliveriesQueueUrl]: world.stack.queues.DeliveriesQueue!.url,
    [ENV.invoicePrefix]: 'NT',
    [ENV.paymentTermsDays]: '30',
    RUN_MONTH: MONTH,
    STACK_CLOCK_AT: NOW,
  });
  return followWorker(child);
}

const release = (world: World, worker: QueueWorker) => releaseInFlight(sqs, world.jobs.url, worker);

/**
 * A job whose worker was killed five times goes to the dead-letter queue on its next receive, as
 * in AWS (maxReceiveCount 5), and the alarm tells a person, who redrives it. Here the test is the
 * person: anything dead-lettered is sent back to the queue while a worker runs.
 */
let redriven = 0;
async function redrive(world: World): Promise<void> {
  const dlq = world.stack.queues.InvoiceJobsQueueDlq!;
  for (const record of await receiveAll(sqs, dlq.url, dlq.arn)) {
    await sqs.send(new SendMessageCommand({ QueueUrl: world.jobs.url, MessageBody: record.body }));
    redriven++;
  }
}

async function untilExit(world: World, worker: QueueWorker): Promise<number | null> {
  let exited = false;
  void worker.exited.then(() => (exited = true));
  while (!exited) {
    await redrive(world);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return worker.exited;
}

async function everyDocument(world: World): Promise<IssuedDocument[]> {
  return [...(await world.store.forRun('2026-09')), ...(await world.store.forRun(MONTH))];
}

/** Posts every journal the builders sent, as the ledger poster does; returns the trial balance at the end of the year. */
async function postJournals(world: World) {
  const ledger = new DynamoLedger(db, world.stack.tables.LedgerTable!);
  const queue = world.stack.queues.LedgerPostingsQueue!;
  const messages = await receiveAll(sqs, queue.url, queue.arn);
  const results = await Promise.all(messages.map((m) => ledger.post(Journal.parse(JSON.parse(m.body)), '2026-11-01T03:00:00.000Z')));
  return { messages: messages.length, posted: results.filter((r) => r === 'posted').length, trialBalance: trialBalance('2027-03-31', await ledger.sumsAsAt('2027-03-31')) };
}

let crashed: World;
let clean: World;
const kills: Array<{ afterMs: number; staged: number; done: number; documents: number }> = [];

beforeAll(async () => {
  [crashed, clean] = await Promise.all([prepare('crash'), prepare('clean')]);

  // The clean run: one worker, never interrupted.
  const cleanWorker = startWorker(clean);
  expect(await cleanWorker.exited, cleanWorker.log.join('\n')).toBe(0);

  // The crashed run: killed at random points, each time resumed by a new worker. Two kills at a
  // random time after the worker is up (while it starts the run and drafts), the rest when a random
  // number of October's documents has been issued (while it numbers, issues and sends journals).
  const total = (await clean.store.forRun(MONTH)).length;
  const random = seededRandom(SEED);
  console.log(`crash test: kill points from seed ${SEED} (CRASH_TEST_SEED=${SEED} repeats them)`);
  const atDocuments = new Set<number>();
  while (atDocuments.size < MIN_KILLS) atDocuments.add(1 + Math.floor(random() * (total - 1)));
  const targets = [{ afterMs: 30 + Math.floor(random() * 300) }, { afterMs: 30 + Math.floor(random() * 300) }, ...[...atDocuments].sort((a, b) => a - b).map((documents) => ({ documents }))];
  for (const target of targets) {
    const worker = startWorker(crashed);
    await worker.ready;
    const started = performance.now();
    let exited = false;
    void worker.exited.then(() => (exited = true));
    for (;;) {
      if (exited) break;
      await redrive(crashed);
      if ('afterMs' in target ? performance.now() - started >= target.afterMs : (await crashed.store.countForRun(MONTH)) >= target.documents) break;
      await new Promise((resolve) => setTimeout(resolve, 'afterMs' in target ? 5 : 2));
    }
    if (exited) continue;
    if (process.env.DEBUG_CRASH) console.log('KILL', target);
    worker.child.kill('SIGKILL');
    await worker.exited;
    const run = await crashed.store.getRun(MONTH);
    kills.push({ afterMs: Math.round(performance.now() - started), staged: run?.staged.length ?? 0, done: run?.done.length ?? 0, documents: await crashed.store.countForRun(MONTH) });
    await release(crashed, worker);
  }
  const last = startWorker(crashed);
  expect(await untilExit(crashed, last), last.log.join('\n')).toBe(0);
  console.log(`crash test (seed ${SEED}): ${kills.length} kills (ms after start, councils staged, councils done, documents issued): ${kills.map((k) => `${k.afterMs}/${k.staged}/${k.done}/${k.documents}`).join(' ')}; ${redriven} job(s) redriven from the DLQ`);
});

describe('a run killed at random points and resumed', () => {
  it('was killed at least five times before it completed', () => {
    expect(kills.length, `kill points from seed ${SEED}`).toBeGreaterThanOrEqual(MIN_KILLS);
  });

  it('issued exactly the documents a clean run issued: numbers, lines and pence', async () => {
    const [fromCrashed, fromClean] = await Promise.all([everyDocument(crashed), everyDocument(clean)]);
    const october = fromClean.filter((d) => d.runMonth === MONTH);
    // October corrects September: every kind of document is there.
    expect(new Set(october.map((d) => d.kind))).toEqual(new Set(['invoice', 'credit-note', 'supplementary-invoice']));
    expect(fromCrashed, `kill points from seed ${SEED}`).toEqual(fromClean);
    console.log(`crash test: ${fromClean.length} documents compared (${october.length} in October's run), ${fromClean.reduce((n, d) => n + d.lines.length, 0)} lines`);
  });

  it('numbered them without gaps or duplicates, each from its own slot', async () => {
    const docs = await everyDocument(crashed);
    expect(docs.map((d) => d.number)).toEqual(docs.map((_, i) => `NT-2627-${String(i + 1).padStart(6, '0')}`));
    expect(new Set(docs.map((d) => d.slot)).size).toBe(docs.length);
    const counter = await db.send(new GetCommand({ TableName: crashed.stack.tables.InvoicesTable!, Key: invoiceKeys.counter('NT', '2627'), ConsistentRead: true }));
    expect(counter.Item?.next).toBe(docs.length + 1);
    const slots = await Promise.all(docs.map((d) => db.send(new GetCommand({ TableName: crashed.stack.tables.InvoicesTable!, Key: invoiceKeys.slot(d.slot) }))));
    expect(slots.map((s) => s.Item?.number)).toEqual(docs.map((d) => d.number));
  });

  it('left the same ledger: journals re-sent after a crash post once, and debtors equal income', async () => {
    const [a, b] = await Promise.all([postJournals(crashed), postJournals(clean)]);
    expect(a.trialBalance).toEqual(b.trialBalance);
    expect(a.posted).toBe(b.posted);
    const balance = (account: string) => a.trialBalance.accounts.find((x) => x.account === account)!.balancePence;
    expect(balance('99000-9100')).toBe(-balance('04127-5501'));
    expect(balance('99000-9100')).toBeGreaterThan(0);
    console.log(`crash test: ledger ${a.messages} messages (clean run ${b.messages}) → ${a.posted} journals; debtors ${balance('99000-9100')} pence`);
  });
});
