/**
 * Payments, end to end on the emulators through the API as finance: remittances recorded and posted
 * (bank against debtors control, through the ledger-postings queue and the real ledger poster),
 * allocated in the four worked examples (a part payment, one remittance over two invoices, a credit
 * note used against an invoice, an overpayment left as unallocated cash), and a bank file imported
 * twice. After each step the trial balance balances, the debtors control account equals the sum of
 * every council's open items, and each council's aged debt equals its statement's closing balance.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV } from '#lib/config';
import type { IssuedDocument } from '#lib/invoicing/documents';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';
import { emulatorClients } from '#tests/support/emulators';
import { drainThrough, placementOf, seedPlacements } from '#tests/support/invoicing-world';
import { lambdaContext } from '#tests/support/lambda-context';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const NOW = '2026-05-20T12:00:00.000Z';
const TODAY = '2026-05-20';
const runEvent = (time: string) => ({ version: '0', id: time, 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time, region: 'eu-west-2', resources: [], detail: {} });

let h: ApiHarness;
let builder: SqsHandler;
let poster: SqsHandler;
let docs: IssuedDocument[];
const byKind = (la: string, kind: IssuedDocument['kind'], month: string) => docs.find((d) => d.placingLa === la && d.kind === kind && d.month === month)!;
let INV1: IssuedDocument; // Gateshead, February
let INV2: IssuedDocument; // Newcastle, February
let CN: IssuedDocument; // Gateshead, credit for February (a back-dated end)
let INV3: IssuedDocument; // Gateshead, March
let INV4: IssuedDocument; // Newcastle, March

async function ok(answer: Promise<{ status: number; body: any }>, status = 200) {
  const settled = await answer;
  expect(settled.status, JSON.stringify(settled.body)).toBe(status);
  return settled.body;
}
const finance = { as: 'finance' as const };

async function postLedger(): Promise<void> {
  expect((await drainThrough(poster, emulatorClients().sqs, h.stack.queues.LedgerPostingsQueue!, 10, 'ledger-poster')).failures).toEqual([]);
}

/** The three figures that must agree after every step; returns them for the record. */
async function books(): Promise<{ debtors: number; openItems: Record<string, number>; aged: Record<string, number>; closing: Record<string, number>; balanced: boolean }> {
  await postLedger();
  const tb = await ok(h.call('GET', '/api/ledger/trial-balance', { ...finance, query: { asAt: TODAY } }));
  const debtors = tb.accounts.find((a: any) => a.account === '99000-9100').balancePence;
  const aged = await ok(h.call('GET', '/api/aged-debt', finance));
  const openItems: Record<string, number> = {};
  const closing: Record<string, number> = {};
  const agedBy: Record<string, number> = {};
  // Every council with an account: those the aged debt lists (anything open) and the two invoiced here.
  for (const la of [...new Set(['390', '391', ...aged.councils.map((c: any) => c.placingLa as string)])]) {
    openItems[la] = (await ok(h.call('GET', `/api/councils/${la}/open-items`, finance))).totalPence;
    closing[la] = (await ok(h.call('GET', `/api/councils/${la}/statement`, { ...finance, query: { from: '2026-01-01', to: TODAY } }))).closingBalancePence;
    agedBy[la] = aged.councils.find((c: any) => c.placingLa === la)?.totalPence ?? 0;
  }
  // The books agree: debits equal credits; debtors control is the sum of the open items; aged debt is the statements' closing balances.
  expect(tb.balanced).toBe(true);
  expect(Object.values(openItems).reduce((s, p) => s + p, 0)).toBe(debtors);
  expect(aged.totalPence).toBe(debtors);
  expect(agedBy).toEqual(closing);
  expect(closing).toEqual(openItems);
  return { debtors, openItems, aged: agedBy, closing, balanced: tb.balanced };
}

beforeAll(async () => {
  h = await startApiHarness('payments', { now: NOW });
  vi.stubEnv(ENV.invoicePrefix, 'NT');
  vi.stubEnv(ENV.paymentTermsDays, '30');
  builder = (await import('#functions/invoice-builder/handler')).handler as unknown as SqsHandler;
  poster = (await import('#functions/ledger-poster/handler')).handler as unknown as SqsHandler;
  const runFunction = (await import('#functions/invoicing-run/handler')).handler as unknown as (event: unknown, context: Context) => Promise<unknown>;
  const run = async (time: string) => {
    await runFunction(runEvent(time), lambdaContext('invoicing-run'));
    expect((await drainThrough(builder, emulatorClients().sqs, h.stack.queues.InvoiceJobsQueue!, 5, 'invoice-builder')).failures).toEqual([]);
  };
  // February: Gateshead (390) two placements, Newcastle (391) one. Then Gateshead's first is ended
  // back on 24 February and a new one starts on 1 March: March's run credits five February nights.
  await seedPlacements(h.db, h.tables.placements, [
    placementOf({ placementId: 'pay-p1', placingLa: '390', startDate: '2026-02-10', weeklyPence: 402_000 }),
    placementOf({ placementId: 'pay-p2', placingLa: '390', startDate: '2026-02-01', endDate: '2026-02-15', weeklyPence: 350_000 }),
    placementOf({ placementId: 'pay-p3', placingLa: '391', startDate: '2026-02-20', weeklyPence: 420_000, purchaseOrder: 'NCL-PO-77' }),
  ]);
  await run('2026-03-01T02:00:00Z');
  await seedPlacements(h.db, h.tables.placements, [
    placementOf({ placementId: 'pay-p1', placingLa: '390', startDate: '2026-02-10', endDate: '2026-02-24', weeklyPence: 402_000 }),
    placementOf({ placementId: 'pay-p7', placingLa: '390', startDate: '2026-03-01', weeklyPence: 300_000 }),
  ]);
  await run('2026-04-01T02:00:00Z');
  const store = new DynamoInvoiceStore(h.db, h.stack.tables.InvoicesTable!, 'NT');
  docs = [...(await store.forRun('2026-02')), ...(await store.forRun('2026-03'))];
  [INV1, INV2, CN, INV3, INV4] = [byKind('390', 'invoice', '2026-02'), byKind('391', 'invoice', '2026-02'), byKind('390', 'credit-note', '2026-02'), byKind('390', 'invoice', '2026-03'), byKind('391', 'invoice', '2026-03')];
}, 180_000);
afterAll(() => h?.stop());

describe('the documents to be paid', () => {
  it('February and March: four invoices and a credit note, posted; the books agree before any payment', async () => {
    expect([INV1, INV2, CN, INV3, INV4].map((d) => [d.placingLa, d.kind, d.grossPence, d.dueDate])).toEqual([
      ['390', 'invoice', 1_791_143, '2026-03-31'],
      ['391', 'invoice', 540_000, '2026-03-31'],
      ['390', 'credit-note', -287_143, '2026-05-01'],
      ['390', 'invoice', 1_328_571, '2026-05-01'],
      ['391', 'invoice', 1_860_000, '2026-05-01'],
    ]);
    const figures = await books();
    expect(figures.debtors).toBe(1_791_143 + 540_000 - 287_143 + 1_328_571 + 1_860_000);
    // Aged on 20 May: February's invoices are 50 days past due, March's (and the credit) 19.
    const aged = await ok(h.call('GET', '/api/aged-debt', finance));
    expect(aged.councils.map((c: any) => [c.placingLa, c.bands])).toEqual([
      ['390', { current: 0, '1-30': 1_328_571 - 287_143, '31-60': 1_791_143, '61-90': 0, '90+': 0 }],
      ['391', { current: 0, '1-30': 1_860_000, '31-60': 540_000, '61-90': 0, '90+': 0 }],
    ]);
    console.log(`payments: before any payment debtors ${figures.debtors} = open items ${JSON.stringify(figures.openItems)} = aged ${JSON.stringify(figures.aged)}`);
  });
});

describe('allocations, worked', () => {
  it('1. a part payment: Newcastle pays £3,000 of February’s £5,400', async () => {
    const remittance = await ok(h.call('POST', '/api/remittances', { ...finance, body: { placingLa: '391', date: '2026-04-20', amountPence: 300_000, reference: INV2.number } }), 201);
    expect(remittance).toMatchObject({ placingLa: '391', amountPence: 300_000, allocatedPence: 0, posted: true, recordedBy: 'staff-finance' });
    await ok(h.call('POST', '/api/allocations', { ...finance, body: { source: { type: 'remittance', remittanceId: remittance.remittanceId }, lines: [{ invoice: INV2.number, amountPence: 300_000 }] } }), 201);
    const open = await ok(h.call('GET', '/api/councils/391/open-items', finance));
    expect(open.items.map((i: any) => [i.ref, i.outstandingPence])).toEqual([
      [INV2.number, 240_000],
      [INV4.number, 1_860_000],
    ]);
    const figures = await books();
    expect(figures.debtors).toBe(5_232_571 - 300_000);
    console.log(`payments 1 (part payment): debtors ${figures.debtors}; open items ${JSON.stringify(figures.openItems)}; aged = closing ${JSON.stringify(figures.closing)}`);
  });

  it('2. one remittance, two invoices: Newcastle clears both', async () => {
    const remittance = await ok(h.call('POST', '/api/remittances', { ...finance, body: { placingLa: '391', date: '2026-05-02', amountPence: 2_100_000, reference: `${INV2.number} ${INV4.number}` } }), 201);
    const { allocations } = await ok(
      h.call('POST', '/api/allocations', {
        ...finance,
        body: { source: { type: 'remittance', remittanceId: remittance.remittanceId }, lines: [{ invoice: INV2.number, amountPence: 240_000 }, { invoice: INV4.number, amountPence: 1_860_000 }] },
      }),
      201,
    );
    expect(allocations.map((a: any) => [a.invoice, a.amountPence])).toEqual([
      [INV2.number, 240_000],
      [INV4.number, 1_860_000],
    ]);
    expect((await ok(h.call('GET', '/api/councils/391/open-items', finance))).items).toEqual([]);
    expect(await ok(h.call('GET', `/api/remittances/${remittance.remittanceId}`, finance))).toMatchObject({ allocatedPence: 2_100_000 });
    const figures = await books();
    expect(figures.openItems['391']).toBe(0);
    console.log(`payments 2 (two invoices, one remittance): debtors ${figures.debtors}; open items ${JSON.stringify(figures.openItems)}`);
  });

  it('3. a credit note used against an invoice: Gateshead’s credit for five February nights settles part of February', async () => {
    await ok(h.call('POST', '/api/allocations', { ...finance, body: { source: { type: 'credit-note', number: CN.number }, lines: [{ invoice: INV1.number, amountPence: 287_143 }] } }), 201);
    const open = await ok(h.call('GET', '/api/councils/390/open-items', finance));
    expect(open.items.map((i: any) => [i.ref, i.kind, i.outstandingPence])).toEqual([
      [INV1.number, 'invoice', 1_791_143 - 287_143],
      [INV3.number, 'invoice', 1_328_571],
    ]);
    const figures = await books();
    // An allocation moves nothing in the ledger: the credit note already reduced debtors when it was issued.
    expect(figures.debtors).toBe(1_504_000 + 1_328_571);
    console.log(`payments 3 (credit note against an invoice): debtors ${figures.debtors}; open items ${JSON.stringify(figures.openItems)}`);
  });

  it('4. an overpayment: Gateshead pays £100 more than it owes; the rest stays as unallocated cash', async () => {
    const remittance = await ok(h.call('POST', '/api/remittances', { ...finance, body: { placingLa: '390', date: '2026-05-10', amountPence: 2_842_571, reference: 'MARCH AND FEB' } }), 201);
    await ok(
      h.call('POST', '/api/allocations', {
        ...finance,
        body: { source: { type: 'remittance', remittanceId: remittance.remittanceId }, lines: [{ invoice: INV1.number, amountPence: 1_504_000 }, { invoice: INV3.number, amountPence: 1_328_571 }] },
      }),
      201,
    );
    const open = await ok(h.call('GET', '/api/councils/390/open-items', finance));
    expect(open.items).toEqual([expect.objectContaining({ kind: 'unallocated-cash', ref: remittance.remittanceId, outstandingPence: -10_000, daysPastDue: 10 })]);
    const figures = await books();
    expect(figures.debtors).toBe(-10_000);
    const statement = await ok(h.call('GET', '/api/councils/390/statement', { ...finance, query: { from: '2026-04-01', to: TODAY } }));
    expect(statement).toMatchObject({ openingBalancePence: 1_791_143, documentsPence: 1_328_571 - 287_143, paymentsPence: 2_842_571, closingBalancePence: -10_000 });
    // The same statement and the aged debt as CSV (pence) and printable HTML (£).
    const csv = await h.call('GET', '/api/councils/390/statement', { ...finance, query: { from: '2026-04-01', to: TODAY, format: 'csv' } });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.trim().split('\r\n')).toEqual([
      'date,type,ref,description,amount_pence,balance_pence',
      '2026-04-01,opening-balance,,Balance brought forward,,1791143',
      expect.stringMatching(/^2026-04-01,invoice,NT-2627-\d{6},.*,1328571,3119714$/),
      expect.stringMatching(/^2026-04-01,credit-note,/),
      expect.stringMatching(/^2026-05-10,payment,.*,-2842571,-10000$/),
      '2026-05-20,closing-balance,,Balance carried forward,,-10000',
    ]);
    const agedCsv = await h.call('GET', '/api/aged-debt', { ...finance, query: { format: 'csv' } });
    expect(agedCsv.body.split('\r\n')[0]).toBe('la,council,current_pence,days_1_30_pence,days_31_60_pence,days_61_90_pence,days_90_plus_pence,total_pence');
    expect(agedCsv.body).toContain('390,Gateshead,0,-10000,0,0,0,-10000');
    const html = await h.call('GET', '/api/aged-debt', { ...finance, query: { format: 'html' } });
    expect(html.body).toContain('<h1>Aged debt at 20 May 2026</h1>');
    expect(html.body).toContain('Gateshead (390)');
    console.log(`payments 4 (overpayment): debtors ${figures.debtors}; open items ${JSON.stringify(figures.openItems)}; Gateshead's statement April–May: opening ${statement.openingBalancePence}, documents ${statement.documentsPence}, payments ${statement.paymentsPence}, closing ${statement.closingBalancePence}`);
  });

  it('refuses an allocation beyond what is outstanding or left, to another council, or of an invoice as a source; nothing written', async () => {
    const remittance = await ok(h.call('POST', '/api/remittances', { ...finance, body: { placingLa: '391', date: '2026-05-15', amountPence: 5_000, reference: 'on account' } }), 201);
    const source = { type: 'remittance', remittanceId: remittance.remittanceId };
    const refused = async (body: unknown, type: string) => {
      const answer = await h.call('POST', '/api/allocations', { ...finance, body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(409);
      expect(answer.body.type).toMatch(new RegExp(`/${type}$`));
    };
    await refused({ source, lines: [{ invoice: INV4.number, amountPence: 1 }] }, 'allocation-exceeds-invoice');
    await refused({ source, lines: [{ invoice: INV1.number, amountPence: 100 }] }, 'other-council');
    await refused({ source: { type: 'credit-note', number: INV1.number }, lines: [{ invoice: INV3.number, amountPence: 1 }] }, 'not-a-credit-note');
    expect((await h.call('POST', '/api/allocations', { ...finance, body: { source: { type: 'remittance', remittanceId: 'nope' }, lines: [{ invoice: INV4.number, amountPence: 1 }] } })).status).toBe(404);
    expect(await ok(h.call('GET', `/api/remittances/${remittance.remittanceId}`, finance))).toMatchObject({ allocatedPence: 0 });
    await books();
  });
});

describe('a bank file', () => {
  const file = [
    'date,amount,reference,payer,la',
    '18/05/2026,"1,234.56",REMIT 4471,NEWCASTLE UPON TYNE COUNCIL,',
    '2026-05-18,12.34,BACS,GATESHEAD COUNCIL,',
    '2026-05-18,12.34,BACS,GATESHEAD COUNCIL,',
    '2026-05-19,250.00,FROM CITY OF YORK,CITY OF YORK COUNCIL,816',
  ].join('\n');

  it('imported twice records each remittance once (a row is known by its contents), posts each once, and the books still agree', async () => {
    const first = await ok(h.call('POST', '/api/bank-files', { ...finance, body: { csv: file } }));
    expect(first).toMatchObject({ rows: 4, recorded: 4, alreadyRecorded: 0 });
    // Two identical rows are two payments: the second is told apart by its place among its twins.
    expect(new Set(first.remittances.map((r: any) => r.remittanceId)).size).toBe(4);
    await postLedger();
    const tbAfterFirst = await ok(h.call('GET', '/api/ledger/trial-balance', { ...finance, query: { asAt: TODAY } }));
    const second = await ok(h.call('POST', '/api/bank-files', { ...finance, body: { csv: file } }));
    expect(second).toMatchObject({ rows: 4, recorded: 0, alreadyRecorded: 4 });
    expect(second.remittances.map((r: any) => r.remittanceId)).toEqual(first.remittances.map((r: any) => r.remittanceId));
    await postLedger();
    const tbAfterSecond = await ok(h.call('GET', '/api/ledger/trial-balance', { ...finance, query: { asAt: TODAY } }));
    expect(tbAfterSecond.accounts).toEqual(tbAfterFirst.accounts);
    const figures = await books();
    // York (816) is not one of our placing councils: its money is held on account, and counted.
    expect(figures.openItems['816']).toBe(-25_000);
    console.log(`payments: bank file of ${first.rows} rows imported twice: first recorded ${first.recorded}, second recorded ${second.recorded} (already recorded ${second.alreadyRecorded}); debtors ${figures.debtors}`);
  });

  it('refuses a file with an unreadable row or an unknown payer, naming the row, and records nothing of it', async () => {
    const bad = await h.call('POST', '/api/bank-files', { ...finance, body: { csv: 'date,amount,reference,payer\n2026-05-19,12.345,X,GATESHEAD COUNCIL\n2026-13-01,1.00,Y,GATESHEAD COUNCIL\n2026-05-19,1.00,Z,SOMEONE ELSE' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['rows.1.amount', 'rows.2.date']);
    const unknown = await h.call('POST', '/api/bank-files', { ...finance, body: { csv: 'date,amount,reference,payer\n2026-05-19,1.00,Z,SOMEONE ELSE' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'rows.1.payer', rule: 'unknown_payer' })]);
  });
});
