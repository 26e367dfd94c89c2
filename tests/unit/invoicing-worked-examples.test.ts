import { describe, expect, it } from 'vitest';
import type { BillablePlacement } from '#lib/invoicing/billable';
import { vatPence } from '#lib/invoicing/charge';
import { divideHalfUp, proRataPence } from '#lib/money';
import { adjustmentsFor, type IssuedLine } from '#lib/invoicing/corrections';
import { linesForMonth, nightsInMonth } from '#lib/invoicing/lines';
import { financialYearLabel, formatDocumentNumber } from '#lib/invoicing/numbering';
import { billablePlacement, HARBOUR_VIEW_WEEKLY } from '#tests/support/billable-placement';

/** Purley Close's price: £2,800 + 12% £336 + £500 = £3,636 a week. */
const PURLEY_CLOSE_WEEKLY = 363_600;

const placement = billablePlacement;

const bedPence = (p: BillablePlacement, month: string) => linesForMonth(p, month).find((l) => l.component === 'bed')?.netPence ?? 0;

describe('charging a month', () => {
  it('rounds weekly × nights / 7 half-up, once per line', () => {
    expect(proRataPence(402_000, 12)).toBe(689_143); // 689,142.857…
    expect(proRataPence(100, 3)).toBe(43); // 42.857…
    expect(proRataPence(100, 1)).toBe(14); // 14.285…
    expect(divideHalfUp(7, 2)).toBe(4); // exactly half goes up
  });

  it('a placement across a month end: the admission night counts, the month runs to its last night', () => {
    const p = placement({ from: '2026-10-20' });
    expect(nightsInMonth(p, '2026-10')).toBe(12); // 20 … 31 October
    expect(bedPence(p, '2026-10')).toBe(689_143);
    expect(bedPence(p, '2026-11')).toBe(1_722_857); // 30 nights: 1,722,857.14…
  });

  it('admitted and ended inside one month: the leaving day is not charged', () => {
    const p = placement({ from: '2026-11-03', to: '2026-11-17' });
    expect(nightsInMonth(p, '2026-11')).toBe(14);
    expect(bedPence(p, '2026-11')).toBe(804_000); // exactly two weeks
    expect(bedPence(p, '2026-12')).toBe(0);
  });

  it('a 12-week assessment across three months: each month rounds on its own', () => {
    const p = placement({ from: '2026-11-01', to: '2027-01-24', homeName: 'Purley Close', weeklyPricePence: PURLEY_CLOSE_WEEKLY });
    expect(['2026-11', '2026-12', '2027-01'].map((m) => nightsInMonth(p, m))).toEqual([30, 31, 23]); // 84 nights
    const months = ['2026-11', '2026-12', '2027-01'].map((m) => bedPence(p, m));
    expect(months).toEqual([1_558_286, 1_610_229, 1_194_686]);
    // Three roundings up leave the total a penny over 12 × £3,636: the rule is once per line, not per placement.
    expect(months.reduce((a, b) => a + b, 0)).toBe(4_363_201);
  });

  it.each([
    ['2027-02', 28, 280_000],
    ['2026-11', 30, 300_000],
    ['2026-12', 31, 310_000],
  ])('a whole month of %s has %i nights: £700 a week charges %i pence', (month, nights, pence) => {
    const p = placement({ from: '2026-01-01', weeklyPricePence: 70_000 });
    expect(nightsInMonth(p, month)).toBe(nights);
    expect(bedPence(p, month)).toBe(pence);
  });

  it('the October clock change does not change the nights: 25 October is one night, not 25 hours', () => {
    const p = placement({ from: '2026-10-20', to: '2026-10-30' });
    expect(nightsInMonth(p, '2026-10')).toBe(10);
    expect(bedPence(p, '2026-10')).toBe(574_286); // 574,285.71…
  });

  it('extras: a weekly education place pro rata over its own period, and a one-off in the month of its date', () => {
    const p = placement({
      from: '2026-11-03',
      to: '2026-11-17',
      extras: [
        { id: 'edu', basis: 'weekly', kind: 'education-place', description: 'Education place', weeklyPence: 60_000, from: '2026-11-10' },
        { id: 'taxi', basis: 'one-off', kind: 'transport', description: 'Transport to school', amountPence: 4_500, date: '2026-11-10' },
      ],
    });
    const lines = linesForMonth(p, '2026-11');
    expect(lines.map((l) => [l.component, l.nights, l.netPence])).toEqual([
      ['bed', 14, 804_000],
      ['extra:edu', 7, 60_000], // 10 … 16 November
      ['extra:taxi', undefined, 4_500],
    ]);
    expect(lines.every((l) => l.vatCode === 'OS' && l.account === '04127-5501')).toBe(true);
    expect(linesForMonth(p, '2026-12')).toEqual([]);
  });

  it('VAT at the standard rate rounds half-up on the line; outside scope adds none', () => {
    expect(vatPence(4_503, 'SR')).toBe(901); // 900.6
    expect(vatPence(-4_503, 'SR')).toBe(-901);
    expect(vatPence(804_000, 'OS')).toBe(0);
  });
});

describe('correcting an issued month', () => {
  const issuedFor = (p: BillablePlacement, month: string, invoice: string): IssuedLine[] =>
    linesForMonth(p, month).map((l) => ({ ...l, originalInvoice: invoice }));

  it('a back-dated end produces a credit note for the nights no longer owed', () => {
    // November was invoiced for a placement still open; it is then ended on 20 November.
    const before = placement({ from: '2026-10-20' });
    const after = placement({ from: '2026-10-20', to: '2026-11-20' });
    const adjustments = adjustmentsFor(linesForMonth(after, '2026-11'), issuedFor(before, '2026-11', 'NT-2627-000042'), 'NT-2627-000042');

    expect(adjustments.supplements).toEqual([]);
    expect(adjustments.credits).toEqual([
      expect.objectContaining({ key: 'P1:2026-11:bed', nights: 19, adjusts: 'NT-2627-000042', netPence: 1_091_143 - 1_722_857 }),
    ]);
    expect(adjustments.credits[0]!.netPence).toBe(-631_714);
  });

  it('a corrected price produces a supplementary invoice for the difference, and a second run adds nothing more', () => {
    const before = placement({ from: '2026-11-01', to: '2026-11-15' });
    const after = placement({ from: '2026-11-01', to: '2026-11-15', weeklyPricePence: 410_000 });
    const first = adjustmentsFor(linesForMonth(after, '2026-11'), issuedFor(before, '2026-11', 'NT-2627-000042'), 'NT-2627-000042');
    expect(first.supplements.map((l) => l.netPence)).toEqual([16_000]); // 2 weeks × £80
    const issuedSinceThen = [...issuedFor(before, '2026-11', 'NT-2627-000042'), ...first.supplements.map((l) => ({ ...l, originalInvoice: 'NT-2627-000042' }))];
    expect(adjustmentsFor(linesForMonth(after, '2026-11'), issuedSinceThen, 'NT-2627-000042')).toEqual({ credits: [], supplements: [] });
  });

  it('a late admission into an invoiced month is charged on a supplementary invoice referencing that month\'s original', () => {
    const late = placement({ placementId: 'P2', from: '2026-11-25' });
    const adjustments = adjustmentsFor(linesForMonth(late, '2026-11'), [], 'NT-2627-000042');
    expect(adjustments.supplements).toEqual([expect.objectContaining({ key: 'P2:2026-11:bed', nights: 6, netPence: 344_571, adjusts: 'NT-2627-000042' })]);
  });
});

describe('numbering', () => {
  it('numbers within the April–March year of the issue date', () => {
    expect(formatDocumentNumber('NT', '2027-03-01', 412)).toBe('NT-2627-000412');
    // March's invoices are issued on 1 April and open the new year's sequence.
    expect(formatDocumentNumber('NT', '2027-04-01', 1)).toBe('NT-2728-000001');
    expect(financialYearLabel('2099-12-01')).toBe('9900');
  });

  it('refuses a sequence it cannot print in six digits', () => {
    expect(() => formatDocumentNumber('NT', '2027-04-01', 0)).toThrow();
    expect(() => formatDocumentNumber('NT', '2027-04-01', 1_000_000)).toThrow();
  });
});
