import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV } from '#lib/config';
import { sampleEstate } from '#lib/estate/seed';
import { DynamoBillableSource } from '#lib/invoicing/dynamo-billable-source';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import type { IssuedDocument } from '#lib/invoicing/documents';
import { INVOICE_CSV_COLUMNS } from '#lib/invoicing/exports';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';
import { formatPence } from '#lib/money';
import { extractText } from 'unpdf';
import { firstDayOf, monthOf, nextMonth } from '#lib/time/calendar';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';
import { emulatorClients } from '#tests/support/emulators';
import { drainThrough, placementItem, placementOf, seedPlacements } from '#tests/support/invoicing-world';

/**
 * Monthly invoicing end to end against DynamoDB Local and fauxqs, no mocks: the schedule's
 * function and the API start runs, the invoice builder handles every job it finds on the queue,
 * the ledger poster posts every journal the builder sent, and the API exports the results.
 */

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let h: ApiHarness;
let builder: SqsHandler;
let poster: SqsHandler;
let runFunction: (event: unknown, context: Context) => Promise<any>;
let store: DynamoInvoiceStore;

const FEB_RUN_EVENT = { version: '0', id: 'e-1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time: '2026-03-01T02:00:00Z', region: 'eu-west-2', resources: [], detail: {} };

// Gateshead (390): one open from 10 February, one from 1 to 15 February. Newcastle (391): one
// from 20 February with a weekly education place and a one-off transport charge. Hartlepool (805):
// one from 5 March.
const P1 = placementOf({ placementId: 'inv-p1', placingLa: '390', startDate: '2026-02-10', weeklyPence: 402_000 });
const P2 = placementOf({ placementId: 'inv-p2', placingLa: '390', startDate: '2026-02-01', endDate: '2026-02-15', weeklyPence: 350_000 });
const P3 = placementOf({
  placementId: 'inv-p3',
  placingLa: '391',
  startDate: '2026-02-20',
  weeklyPence: 420_000,
  purchaseOrder: 'NCL-PO-77',
  extras: [
    { kind: 'education-place', basis: 'weekly', amountPence: 35_000 },
    { kind: 'transport', basis: 'one-off', amountPence: 12_000 },
  ],
});
const P4 = placementOf({ placementId: 'inv-p4', placingLa: '805', startDate: '2026-03-05', weeklyPence: 500_000 });

async function drainJobs() {
  const { failures } = await drainThrough(builder, emulatorClients().sqs, h.stack.queues.InvoiceJobsQueue!, 5, 'invoice-builder');
  expect(failures).toEqual([]);
}
async function drainLedger() {
  const { failures, records } = await drainThrough(poster, emulatorClients().sqs, h.stack.queues.LedgerPostingsQueue!, 10, 'ledger-poster');
  expect(failures).toEqual([]);
  return records;
}
const numbers = (docs: IssuedDocument[]) => docs.map((d) => d.number);

beforeAll(async () => {
  h = await startApiHarness('invoicing');
  vi.stubEnv(ENV.invoicePrefix, 'NT');
  vi.stubEnv(ENV.paymentTermsDays, '30');
  builder = (await import('#functions/invoice-builder/handler')).handler as unknown as SqsHandler;
  poster = (await import('#functions/ledger-poster/handler')).handler as unknown as SqsHandler;
  runFunction = (await import('#functions/invoicing-run/handler')).handler as never;
  store = new DynamoInvoiceStore(h.db, h.stack.tables.InvoicesTable!, 'NT');
}, 120_000);
afterAll(() => h?.stop());

describe('the placing-council registry', () => {
  it('an admission registers its placing council in the same transaction', async () => {
    const harbourView = sampleEstate().find((home) => home.id === 'harbour-view')!;
    expect((await h.call('PUT', '/api/homes/harbour-view', { body: harbourView })).status).toBe(200);
    await h.createReferral('INV-ADMIT');
    const admitted = await h.call('POST', '/api/referrals/INV-ADMIT/admission', { body: { bedId: 'hv-3', startDate: h.clock.today() } });
    expect(admitted.status).toBe(201);

    const source = new DynamoBillableSource(h.db, h.tables.placements, INVOICING_SETTINGS.extraVatCodes);
    expect(await source.placingCouncils()).toEqual(['390']);
    // Its placement, through the council's index, as invoicing sees it.
    expect(await source.placementsOf('390', '2099-01-01')).toEqual([
      expect.objectContaining({ placementId: admitted.body.placementId, purchaseOrder: 'PO-GH-48213', childReference: 'GH-CLA-7731', weeklyPricePence: admitted.body.agreedWeeklyPricePence }),
    ]);
  });
});

describe('a month’s run', () => {
  it('February, from the schedule: one invoice per council with nights, in pence, numbered in FY 2025/26', async () => {
    await seedPlacements(h.db, h.tables.placements, [P1, P2, P3, P4]);

    const started = await runFunction(FEB_RUN_EVENT, {} as Context);
    expect(started).toMatchObject({ month: '2026-02', kind: 'started', councils: ['390', '391', '805'], jobs: 3 });
    await drainJobs();

    const docs = await store.forRun('2026-02');
    expect(docs.map((d) => [d.number, d.kind, d.placingLa, d.netPence, d.issueDate, d.dueDate])).toEqual([
      // 19 nights at £4,020 (10–28 Feb) = 1,091,142.86 → 1,091,143; 14 nights at £3,500 = 700,000.
      ['NT-2526-000001', 'invoice', '390', 1_091_143 + 700_000, '2026-03-01', '2026-03-31'],
      // 9 nights at £4,200 = 540,000; education 9 nights at £350 = 45,000; transport once 12,000.
      ['NT-2526-000002', 'invoice', '391', 540_000 + 45_000 + 12_000, '2026-03-01', '2026-03-31'],
    ]);
    expect(docs[1]!.lines.map((l) => [l.component, l.nights, l.netPence, l.vatCode, l.purchaseOrder])).toEqual([
      ['bed', 9, 540_000, 'OS', 'NCL-PO-77'],
      ['extra:1-education-place', 9, 45_000, 'OS', 'NCL-PO-77'],
      ['extra:2-transport', undefined, 12_000, 'OS', 'NCL-PO-77'],
    ]);
    expect(await store.getRun('2026-02')).toMatchObject({ councils: ['390', '391', '805'], staged: ['390', '391', '805'], done: ['390', '391', '805'], completedAt: expect.any(String) });
    expect(await drainLedger()).toBe(2);
  });

  it('running it twice (a second firing, duplicated jobs) yields the same documents and nothing more', async () => {
    const before = await store.forRun('2026-02');
    expect(await runFunction(FEB_RUN_EVENT, {} as Context)).toMatchObject({ month: '2026-02', kind: 'complete' });
    // Jobs delivered again, as at-least-once delivery may.
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    await emulatorClients().sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: h.stack.queues.InvoiceJobsQueue!.url,
        Entries: [
          { Id: '1', MessageBody: JSON.stringify({ type: 'council', month: '2026-02', placingLa: '390' }) },
          { Id: '2', MessageBody: JSON.stringify({ type: 'number', month: '2026-02' }) },
          { Id: '3', MessageBody: JSON.stringify({ type: 'run', month: '2026-02' }) },
        ],
      }),
    );
    await drainJobs();
    expect(await store.forRun('2026-02')).toEqual(before);
    expect(await drainLedger()).toBe(0);
  });

  it('March, asked for through the API after a back-dated end and a late admission: a credit note and a supplementary invoice referencing February’s, numbered from 1 in FY 2026/27', async () => {
    // Prepare: P1 ended on 24 February (decided in March); P5 admitted back to 25 February for Newcastle.
    const ended = placementOf({ placementId: 'inv-p1', placingLa: '390', startDate: '2026-02-10', endDate: '2026-02-24', weeklyPence: 402_000 });
    await h.db.send(new PutCommand({ TableName: h.tables.placements, Item: placementItem(ended) }));
    await seedPlacements(h.db, h.tables.placements, [placementOf({ placementId: 'inv-p5', placingLa: '391', startDate: '2026-02-25', weeklyPence: 300_000, purchaseOrder: 'NCL-PO-78' })]);

    // Act
    expect((await h.call('POST', '/api/invoicing/runs', { as: 'residential-manager', body: { month: '2026-03' } })).status).toBe(403);
    const asked = await h.call('POST', '/api/invoicing/runs', { as: 'finance', body: { month: '2026-03' } });
    expect(asked).toMatchObject({ status: 202, body: { month: '2026-03', queued: true } });
    await drainJobs();

    // Assess
    const docs = await store.forRun('2026-03');
    expect(docs.map((d) => [d.number, d.kind, d.placingLa, d.month, d.corrects, d.netPence])).toEqual([
      // P1 was charged 19 February nights; it had 14 (10–23): 804,000 − 1,091,143.
      ['NT-2627-000001', 'credit-note', '390', '2026-02', 'NT-2526-000001', -287_143],
      // 31 nights at £4,200 = 1,860,000, education 155,000; P5 31 nights at £3,000 = 1,328,571.43 → 1,328,571.
      ['NT-2627-000002', 'invoice', '391', '2026-03', undefined, 1_860_000 + 155_000 + 1_328_571],
      // P5's 4 February nights (25–28) at £3,000 = 171,428.57 → 171,429.
      ['NT-2627-000003', 'supplementary-invoice', '391', '2026-02', 'NT-2526-000002', 171_429],
      // 27 nights (5–31 March) at £5,000 = 1,928,571.43 → 1,928,571.
      ['NT-2627-000004', 'invoice', '805', '2026-03', undefined, 1_928_571],
    ]);
    expect(docs[0]!.lines).toEqual([expect.objectContaining({ placementId: 'inv-p1', adjusts: 'NT-2526-000001', netPence: -287_143, description: expect.stringMatching(/^Correction to NT-2526-000001 \(2026-02\)/) })]);
    expect(await drainLedger()).toBe(4);
  });

  it('numbers run without gaps within each financial year', async () => {
    const all = [...(await store.forRun('2026-02')), ...(await store.forRun('2026-03'))];
    expect(numbers(all)).toEqual(['NT-2526-000001', 'NT-2526-000002', 'NT-2627-000001', 'NT-2627-000002', 'NT-2627-000003', 'NT-2627-000004']);
  });

  it('refuses a run already complete, runs out of month order, a month not yet ended, and a month that is not one', async () => {
    expect(await h.call('POST', '/api/invoicing/runs', { as: 'finance', body: { month: '2026-02' } })).toMatchObject({ status: 409, body: { type: expect.stringMatching(/run-complete$/) } });
    expect(await h.call('POST', '/api/invoicing/runs', { as: 'finance', body: { month: '2026-01' } })).toMatchObject({ status: 409, body: { type: expect.stringMatching(/run-out-of-order$/) } });
    const thisMonth = monthOf(h.clock.today());
    expect(await h.call('POST', '/api/invoicing/runs', { as: 'finance', body: { month: thisMonth } })).toMatchObject({ status: 409, body: { type: expect.stringMatching(/month-not-ended$/) } });
    expect(await h.call('POST', '/api/invoicing/runs', { as: 'finance', body: { month: '2026-13' } })).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'month' })] } });
  });
});

describe('the ledger', () => {
  it('has every journal: debtors equal placement income in the trial balance, which balances', async () => {
    const march = await h.call('GET', '/api/ledger/trial-balance', { as: 'finance', query: { asAt: '2026-03-31' } });
    const april = await h.call('GET', '/api/ledger/trial-balance', { as: 'finance', query: { asAt: '2026-04-30' } });
    const balance = (tb: any, account: string) => tb.accounts.find((a: any) => a.account === account).balancePence;

    expect(balance(march.body, '99000-9100')).toBe(1_791_143 + 597_000);
    // February 2,388,143 − 287,143 credited + 3,343,571 + 171,429 + 1,928,571 invoiced in April.
    expect(balance(april.body, '99000-9100')).toBe(7_544_571);
    expect(balance(april.body, '04127-5501')).toBe(-7_544_571);
    expect(april.body).toMatchObject({ balanced: true, totalDebitPence: april.body.totalCreditPence });
  });

  it('lists a period’s journals a page at a time and exports them as the GL imports them', async () => {
    const first = await h.call('GET', '/api/ledger/journals', { as: 'finance', query: { period: '2026-04', limit: '3' } });
    const second = await h.call('GET', '/api/ledger/journals', { as: 'finance', query: { period: '2026-04', limit: '3', cursor: first.body.cursor } });
    expect([...first.body.items, ...second.body.items].map((j: any) => j.idempotencyKey).sort()).toEqual([
      'credit-note:NT-2627-000001',
      'invoice:NT-2627-000002',
      'invoice:NT-2627-000003',
      'invoice:NT-2627-000004',
    ]);
    const gl = await h.call('GET', '/api/ledger/gl-export', { as: 'finance', query: { period: '2026-04' } });
    expect(gl.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(gl.body.split('\r\n').filter(Boolean)).toHaveLength(1 + 4 * 2);
    expect((await h.call('GET', '/api/ledger/gl-export', { as: 'team-manager', query: { period: '2026-04' } })).status).toBe(403);
  });
});

describe('exports through the API', () => {
  it('reports a run’s progress', async () => {
    const run = await h.call('GET', '/api/invoicing/runs/2026-03', { as: 'finance' });
    expect(run).toMatchObject({ status: 200, body: { month: '2026-03', status: 'complete', councils: { expected: 3, staged: 3, done: 3 }, documentsIssued: 4 } });
    expect((await h.call('GET', '/api/invoicing/runs/2025-01', { as: 'finance' })).status).toBe(404);
  });

  it('lists a run’s documents and a council’s, a page at a time, without their lines', async () => {
    const first = await h.call('GET', '/api/invoices', { as: 'finance', query: { month: '2026-03', limit: '3' } });
    const second = await h.call('GET', '/api/invoices', { as: 'finance', query: { month: '2026-03', limit: '3', cursor: first.body.cursor } });
    expect([...first.body.items, ...second.body.items].map((d: any) => d.number)).toEqual(['NT-2627-000001', 'NT-2627-000002', 'NT-2627-000003', 'NT-2627-000004']);
    expect(second.body.cursor).toBeUndefined();
    expect(first.body.items[0]).toMatchObject({ kind: 'credit-note', placingAuthority: { laNumber: '390', name: 'Gateshead' }, lineCount: 1 });
    expect(first.body.items[0].lines).toBeUndefined();

    const newcastle = await h.call('GET', '/api/invoices', { as: 'placements-officer', query: { council: '391' } });
    expect(newcastle.body.items.map((d: any) => [d.number, d.month])).toEqual([
      ['NT-2526-000002', '2026-02'],
      ['NT-2627-000003', '2026-02'],
      ['NT-2627-000002', '2026-03'],
    ]);
    const missing = await h.call('GET', '/api/invoices', { as: 'finance' });
    expect(missing).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'query.council' })] } });
    const forged = await h.call('GET', '/api/invoices', { as: 'finance', query: { council: '391', cursor: first.body.cursor } });
    expect(forged.status).toBe(400);
  });

  it('reads one document as JSON, as a flat CSV a finance system imports, and as a printable page', async () => {
    const json = await h.call('GET', '/api/invoices/NT-2627-000002', { as: 'finance' });
    expect(json.body).toMatchObject({ number: 'NT-2627-000002', kind: 'invoice', purchaseOrders: ['NCL-PO-77', 'NCL-PO-78'], netPence: 3_343_571, vatPence: 0, grossPence: 3_343_571 });
    expect(json.body.slot).toBeUndefined();

    const csv = await h.call('GET', '/api/invoices/NT-2627-000002.csv', { as: 'finance' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = csv.body.trim().split('\r\n');
    expect(rows[0]).toBe(INVOICE_CSV_COLUMNS.join(','));
    expect(rows.slice(1).map((r: string) => r.split(',').slice(0, 7).join(','))).toEqual([
      'NT-2627-000002,2026-04-01,391,NCL-PO-77,04127-5501,OS,1860000',
      'NT-2627-000002,2026-04-01,391,NCL-PO-77,04127-5501,OS,155000',
      'NT-2627-000002,2026-04-01,391,NCL-PO-78,04127-5501,OS,1328571',
    ]);
    expect((await h.call('GET', '/api/invoices/NT-2627-000002', { as: 'finance', query: { format: 'csv' } })).body).toBe(csv.body);

    const html = await h.call('GET', '/api/invoices/NT-2627-000001', { as: 'finance', query: { format: 'html' } });
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<h1>Credit note</h1>');
    expect(html.body).toContain('-£2,871.43');
    expect(html.body).toContain('Gateshead');
    expect(html.body).toContain(INVOICING_SETTINGS.issuer.name);
    expect((await h.call('GET', '/api/invoices/NT-2627-000001.html', { as: 'finance' })).body).toBe(html.body);

    // The PDF, drawn from the same model: base64 for API Gateway to hand out as bytes.
    const pdf = await h.call('GET', '/api/invoices/NT-2627-000002.pdf', { as: 'finance' });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { text } = await extractText(new Uint8Array(Buffer.from(pdf.body, 'base64')), { mergePages: true });
    expect(text).toContain('NT-2627-000002');
    // The home is named as the estate names it (the id where the estate does not know it).
    expect(text).toContain("Harbour View children's home, child ref");
    expect(text).toContain(`Total due ${formatPence(json.body.grossPence)}`);
    expect((await h.call('GET', '/api/invoices/NT-2627-000002', { as: 'finance', query: { format: 'pdf' } })).body).toBe(pdf.body);
  });

  it('answers 404 for a document that does not exist and 400 for a number of the wrong shape; not to roles without the right', async () => {
    expect((await h.call('GET', '/api/invoices/NT-2627-999999', { as: 'finance' })).status).toBe(404);
    expect((await h.call('GET', '/api/invoices/not-a-number', { as: 'finance' })).status).toBe(400);
    expect((await h.call('GET', '/api/invoices/NT-2627-000001', { as: 'team-manager' })).status).toBe(403);
    expect((await h.call('GET', '/api/invoices/NT-2627-000001', { as: 'finance', query: { format: 'xml' } })).status).toBe(406);
  });
});

describe('a run waits for its month to end, by the stack’s clock', () => {
  it('the schedule and the API refuse this month’s run, naming the rule and the stack’s date; with the clock past the month end, the run goes', async () => {
    const month = monthOf(h.clock.today());
    const firing = { ...FEB_RUN_EVENT, id: 'e-this-month', time: `${firstDayOf(nextMonth(month))}T02:00:00Z` };

    await expect(runFunction(firing, {} as Context)).rejects.toMatchObject({
      type: 'month-not-ended',
      message: `cannot run ${month}: a run charges whole months, so it starts once the month has ended (from ${firstDayOf(nextMonth(month))}), and by the stack's clock it is ${h.clock.today()}`,
    });
    expect(await h.call('POST', '/api/invoicing/runs', { as: 'finance', body: { month } })).toMatchObject({ status: 409, body: { type: expect.stringMatching(/month-not-ended$/), detail: expect.stringContaining(`it is ${h.clock.today()}`) } });
    expect(await store.getRun(month)).toBeUndefined();

    h.clock.set(firing.time);
    expect(await runFunction(firing, {} as Context)).toMatchObject({ month, kind: 'started' });
    expect(await store.getRun(month)).toMatchObject({ month });
  });
});
