import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Journal, contraOf, movements, total } from '#lib/ledger/journal';
import { journalForDocument } from '#lib/ledger/postings';
import { fieldErrors } from '#lib/http/problem';

const invoice = Journal.parse(journalForDocument({ number: 'NT-2627-000001', kind: 'invoice', issueDate: '2026-12-01', placingLa: '390', netPence: 1_722_857, vatPence: 0 }));

describe('journals', () => {
  it('an invoice debits the council\'s debtor account and credits placement income', () => {
    expect(invoice.lines.map((l) => [l.account, l.debitPence, l.creditPence])).toEqual([
      ['99000-9100', 1_722_857, 0],
      ['04127-5501', 0, 1_722_857],
    ]);
    expect(invoice.idempotencyKey).toBe('invoice:NT-2627-000001');
  });

  it('a credit note posts the reverse', () => {
    const credit = Journal.parse(journalForDocument({ number: 'NT-2627-000002', kind: 'credit-note', issueDate: '2027-01-01', placingLa: '390', netPence: -631_714, vatPence: 0 }));
    expect(credit.lines.map((l) => [l.account, l.debitPence, l.creditPence])).toEqual([
      ['04127-5501', 631_714, 0],
      ['99000-9100', 0, 631_714],
    ]);
  });

  it('an invoice with a standard-rated extra debits the debtor with the gross and credits the VAT to VAT output', () => {
    // A weekly transport extra at £35.00 net, standard-rated: VAT £7.00; placement nights £1,000.00 outside the scope.
    const withVat = Journal.parse(journalForDocument({ number: 'NT-2627-000003', kind: 'invoice', issueDate: '2027-01-01', placingLa: '391', netPence: 103_500, vatPence: 700 }));
    expect(withVat.lines.map((l) => [l.account, l.debitPence, l.creditPence])).toEqual([
      ['99000-9100', 104_200, 0],
      ['04127-5501', 0, 103_500],
      ['99000-9400', 0, 700],
    ]);
    const credit = Journal.parse(journalForDocument({ number: 'NT-2627-000004', kind: 'credit-note', issueDate: '2027-01-02', placingLa: '391', netPence: -3_500, vatPence: -700 }));
    expect(credit.lines.map((l) => [l.account, l.debitPence, l.creditPence])).toEqual([
      ['04127-5501', 3_500, 0],
      ['99000-9400', 700, 0],
      ['99000-9100', 0, 4_200],
    ]);
  });

  it('for any document, the debtor moves by its gross (what the council owes: its open item) and the journal balances', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 1, max: 50_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (isInvoice, net, vat) => {
        const sign = isInvoice ? 1 : -1;
        const journal = Journal.parse(journalForDocument({ number: 'NT-2627-000005', kind: isInvoice ? 'invoice' : 'credit-note', issueDate: '2027-01-01', placingLa: '390', netPence: sign * net, vatPence: sign * vat }));
        const debtor = journal.lines.filter((l) => l.account === '99000-9100').reduce((sum, l) => sum + l.debitPence - l.creditPence, 0);
        expect(debtor).toBe(sign * (net + vat));
      }),
    );
  });

  it.each([
    ['unbalanced', { lines: [{ account: '99000-9100', debitPence: 100 }, { account: '04127-5501', creditPence: 99 }] }, 'lines', 'debits must equal credits'],
    ['one line', { lines: [{ account: '99000-9100', debitPence: 0, creditPence: 0 }] }, 'lines', 'at least two lines'],
    ['an unknown account', { lines: [{ account: '12345-6789', debitPence: 100 }, { account: '04127-5501', creditPence: 100 }] }, 'lines.0.account', 'chart of accounts'],
    ['a line both debit and credit', { lines: [{ account: '99000-9100', debitPence: 100, creditPence: 100 }, { account: '04127-5501', creditPence: 0 }] }, 'lines.0', 'either a debit or a credit'],
  ])('refuses a journal that is %s, naming the field', (_name, lines, field, message) => {
    const result = Journal.safeParse({ idempotencyKey: 'k', date: '2026-12-01', description: 'd', source: { type: 'adjustment', id: 'a' }, ...lines });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toEqual(expect.arrayContaining([expect.objectContaining({ field: field, message: expect.stringContaining(message) })]));
  });

  it('a contra journal reverses every line and references the original', () => {
    const contra = contraOf(invoice, '2027-01-05', 'raised in error');
    expect(contra.reverses).toBe(invoice.idempotencyKey);
    expect(contra.lines.map((l) => [l.account, l.debitPence, l.creditPence])).toEqual([
      ['99000-9100', 0, 1_722_857],
      ['04127-5501', 1_722_857, 0],
    ]);
  });

  it('property: any balanced journal and its contra net every account to zero', () => {
    const accounts = ['99000-9100', '99000-9200', '99000-9300', '04127-5501', '04130-3019', '04130-2904'];
    const balancedJournal = fc
      .array(fc.record({ account: fc.constantFrom(...accounts), pence: fc.integer({ min: 1, max: 10_000_000 }) }), { minLength: 1, maxLength: 10 })
      .chain((debits) =>
        fc.constantFrom(...accounts).map((creditAccount) => ({
          idempotencyKey: 'p',
          date: '2026-12-01',
          description: 'property',
          source: { type: 'adjustment' as const, id: 'p' },
          lines: [
            ...debits.map((d) => ({ account: d.account, debitPence: d.pence })),
            { account: creditAccount, creditPence: debits.reduce((s, d) => s + d.pence, 0) },
          ],
        })),
      );
    fc.assert(
      fc.property(balancedJournal, (input) => {
        const journal = Journal.parse(input);
        expect(total(journal.lines, 'debitPence')).toBe(total(journal.lines, 'creditPence'));
        const net = new Map<string, number>();
        for (const j of [journal, contraOf(journal, '2026-12-02', 'test')]) {
          for (const [account, m] of movements(j)) net.set(account, (net.get(account) ?? 0) + m.debitPence - m.creditPence);
        }
        expect([...net.values()].every((v) => v === 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
