import { describe, expect, it } from 'vitest';
import { agedDebt, ageBand, openItems, statement, type CouncilAccount } from '#lib/payments/account';
import { decideAllocation, type AllocationInput } from '#lib/payments/allocation';
import { councilOf, documentNumbersIn, parseBankFile, poundsToPence } from '#lib/payments/bank-file';
import type { DocumentAmount, Remittance } from '#lib/payments/payments';
import { journalForRemittance } from '#lib/payments/posting';
import { knownCustomers } from '#lib/invoicing/customers';

const doc = (number: string, grossPence: number, issueDate: string, dueDate: string, kind: DocumentAmount['kind'] = grossPence < 0 ? 'credit-note' : 'invoice'): DocumentAmount => ({ number, kind, placingLa: '390', issueDate, dueDate, grossPence });
const remittance = (id: string, amountPence: number, date: string, allocatedPence = 0): Remittance => ({
  remittanceId: id,
  placingLa: '390',
  date,
  amountPence,
  reference: '',
  source: 'manual',
  recordedBy: 'staff-finance',
  recordedAt: `${date}T10:00:00.000Z`,
  allocatedPence,
  version: 1,
  posted: true,
});

const INV1 = doc('NT-2526-000001', 1_791_143, '2026-03-01', '2026-03-31');
const INV3 = doc('NT-2627-000001', 1_328_571, '2026-04-01', '2026-05-01');
const CN = doc('NT-2627-000002', -287_143, '2026-04-01', '2026-05-01');

describe('allocating', () => {
  const input = (over: Partial<AllocationInput>): AllocationInput => ({
    request: { source: { type: 'remittance', remittanceId: 'r1' }, lines: [{ invoice: INV1.number, amountPence: 100 }] },
    remittance: remittance('r1', 1_000_000, '2026-04-20'),
    invoices: new Map([[INV1.number, { document: INV1, tally: { number: INV1.number, allocatedPence: 0, version: 0 } }]]),
    newId: () => 'a1',
    today: '2026-05-20',
    by: 'staff-finance',
    at: '2026-05-20T10:00:00.000Z',
    ...over,
  });

  it('a part payment settles part of an invoice; the remittance keeps the rest', () => {
    const decided = decideAllocation(input({ request: { source: { type: 'remittance', remittanceId: 'r1' }, lines: [{ invoice: INV1.number, amountPence: 300_000 }] } }));
    expect(decided.remittance?.allocatedPence).toBe(300_000);
    expect(decided.invoices).toEqual([{ before: { number: INV1.number, allocatedPence: 0, version: 0 }, allocatedPence: 300_000 }]);
    expect(decided.allocations).toEqual([expect.objectContaining({ invoice: INV1.number, amountPence: 300_000, date: '2026-05-20' })]);
  });

  it('refuses more than the invoice owes or the source has left, another council’s invoice, an invoice named twice', () => {
    const over = input({ request: { source: { type: 'remittance', remittanceId: 'r1' }, lines: [{ invoice: INV1.number, amountPence: 1_791_144 }] }, remittance: remittance('r1', 5_000_000, '2026-04-20') });
    expect(() => decideAllocation(over)).toThrow(/outstanding/);
    expect(() => decideAllocation(input({ remittance: remittance('r1', 99, '2026-04-20') }))).toThrow(/only 99 pence/);
    const other = { ...INV1, placingLa: '391' };
    expect(() => decideAllocation(input({ invoices: new Map([[INV1.number, { document: other, tally: { number: INV1.number, allocatedPence: 0, version: 0 } }]]) }))).toThrow(/LA 391/);
    expect(() => decideAllocation(input({ request: { source: { type: 'remittance', remittanceId: 'r1' }, lines: [{ invoice: INV1.number, amountPence: 1 }, { invoice: INV1.number, amountPence: 1 }] } }))).toThrow(/once/);
  });

  it('a credit note’s credit settles an invoice, up to the credit left', () => {
    const credit = { document: CN, tally: { number: CN.number, allocatedPence: 87_143, version: 1 } };
    const decided = decideAllocation(input({ request: { source: { type: 'credit-note', number: CN.number }, lines: [{ invoice: INV1.number, amountPence: 200_000 }] }, creditNote: credit }));
    expect(decided.creditNote).toEqual({ before: credit.tally, allocatedPence: 287_143 });
    expect(() => decideAllocation(input({ request: { source: { type: 'credit-note', number: CN.number }, lines: [{ invoice: INV1.number, amountPence: 200_001 }] }, creditNote: credit }))).toThrow(/200000 pence/);
  });
});

describe('a council’s account', () => {
  const account: CouncilAccount = {
    placingLa: '390',
    documents: [INV1, INV3, CN],
    remittances: [remittance('r1', 2_842_571, '2026-05-10', 2_832_571)],
    allocations: [
      { allocationId: 'a1', placingLa: '390', source: { type: 'credit-note', number: CN.number }, invoice: INV1.number, amountPence: 287_143, date: '2026-05-12', by: 'f', at: '2026-05-12T10:00:00.000Z' },
      { allocationId: 'a2', placingLa: '390', source: { type: 'remittance', remittanceId: 'r1' }, invoice: INV1.number, amountPence: 1_504_000, date: '2026-05-12', by: 'f', at: '2026-05-12T10:00:00.000Z' },
      { allocationId: 'a3', placingLa: '390', source: { type: 'remittance', remittanceId: 'r1' }, invoice: INV3.number, amountPence: 1_328_571, date: '2026-05-12', by: 'f', at: '2026-05-12T10:00:00.000Z' },
    ],
  };

  it('open items before and after the allocations: each as it stood that day', () => {
    expect(openItems(account, '2026-05-11').map((i) => [i.ref, i.outstandingPence, i.daysPastDue])).toEqual([
      [INV1.number, 1_791_143, 41],
      [INV3.number, 1_328_571, 10],
      [CN.number, -287_143, 10],
      ['r1', -2_842_571, 1],
    ]);
    expect(openItems(account, '2026-05-20').map((i) => [i.kind, i.outstandingPence])).toEqual([['unallocated-cash', -10_000]]);
  });

  it('the statement: balance brought forward, documents and payments in date order, balance carried forward', () => {
    const s = statement(account, '2026-04-01', '2026-05-20');
    expect(s.openingBalancePence).toBe(1_791_143);
    expect(s.lines.map((l) => [l.date, l.kind, l.amountPence, l.balancePence])).toEqual([
      ['2026-04-01', 'invoice', 1_328_571, 3_119_714],
      ['2026-04-01', 'credit-note', -287_143, 2_832_571],
      ['2026-05-10', 'payment', -2_842_571, -10_000],
    ]);
    expect(s).toMatchObject({ documentsPence: 1_041_428, paymentsPence: 2_842_571, closingBalancePence: -10_000 });
  });

  it('aged debt: by days past due, each council’s total its statement’s closing balance on every day', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91].map(ageBand)).toEqual(['current', '1-30', '1-30', '31-60', '31-60', '61-90', '61-90', '90+']);
    for (const day of ['2026-03-15', '2026-04-15', '2026-05-11', '2026-05-20', '2026-09-01']) {
      const aged = agedDebt([account], day);
      expect(aged.totalPence, day).toBe(statement(account, '2026-01-01', day).closingBalancePence);
      expect(aged.totalPence, day).toBe(openItems(account, day).reduce((s, i) => s + i.outstandingPence, 0));
    }
    expect(agedDebt([account], '2026-05-11').councils[0]!.bands).toEqual({ current: 0, '1-30': -287_143 + 1_328_571 - 2_842_571, '31-60': 1_791_143, '61-90': 0, '90+': 0 });
  });

  it('a remittance posts bank against debtors control, keyed on the remittance', () => {
    expect(journalForRemittance(remittance('r1', 2_842_571, '2026-05-10'))).toMatchObject({
      idempotencyKey: 'remittance:r1',
      date: '2026-05-10',
      source: { type: 'remittance', id: 'r1' },
      lines: [
        { account: '99000-9300', debitPence: 2_842_571, creditPence: 0 },
        { account: '99000-9100', debitPence: 0, creditPence: 2_842_571 },
      ],
    });
  });
});

describe('the bank file', () => {
  it('reads pounds into pence without floats; refuses what is not a positive sum', () => {
    expect(['1234.56', '£1,234.5', '0.07', '12', ' 3,000.00 '].map(poundsToPence)).toEqual([123_456, 123_450, 7, 1_200, 300_000]);
    for (const bad of ['12.345', '-5.00', '1,23.00', 'abc', '0', '0.00', '']) expect(poundsToPence(bad), bad).toBeUndefined();
  });

  it('gives each row a stable id: identical rows apart by their place among their twins; the same file the same ids', () => {
    const csv = 'Date,Amount,Reference,Payer\n18/05/2026,12.34,BACS,GATESHEAD COUNCIL\n2026-05-18,12.34,BACS,Gateshead  Council\n2026-05-19,1.00,NT-2627-000007,NEWCASTLE UPON TYNE COUNCIL';
    const rows = parseBankFile(csv);
    expect(rows.map((r) => [r.date, r.amountPence])).toEqual([
      ['2026-05-18', 1234],
      ['2026-05-18', 1234],
      ['2026-05-19', 100],
    ]);
    expect(new Set(rows.map((r) => r.remittanceId)).size).toBe(3);
    expect(parseBankFile(csv).map((r) => r.remittanceId)).toEqual(rows.map((r) => r.remittanceId));
    expect(rows.map((r) => councilOf(r, knownCustomers()))).toEqual(['390', '390', '391']);
    expect(documentNumbersIn('remit nt-2627-000007 and NT-2627-000008')).toEqual(['NT-2627-000007', 'NT-2627-000008']);
  });

  it('names every bad row and field, and a missing column', () => {
    expect(() => parseBankFile('date,amount,reference\n2026-05-18,1.00,X')).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ field: 'csv.header.payer', rule: 'required' })] }));
    try {
      parseBankFile('date,amount,reference,payer\n2026-02-30,1.00,X,GATESHEAD COUNCIL\n2026-05-18,-1.00,Y,GATESHEAD COUNCIL');
      expect.unreachable();
    } catch (error) {
      expect((error as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['rows.1.date', 'rows.2.amount']);
    }
  });
});
