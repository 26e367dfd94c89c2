import { describe, expect, it } from 'vitest';
import { vatPence } from '#lib/invoicing/charge';
import { linesForMonth, nightsInMonth, nightsSpanInMonth } from '#lib/invoicing/lines';
import { divideHalfUp, formatPence, proRataPence } from '#lib/money';
import { billablePlacement } from '#tests/support/billable-placement';

/**
 * Invoice lines and the money arithmetic under them at their edges, beside the worked examples in
 * invoicing-worked-examples.test.ts: spans that touch a month's first or last night, an extra's own
 * period inside the placement's, what each line says, and the integer-pence guards.
 */
const placement = billablePlacement;
type Extras = Parameters<typeof billablePlacement>[0]['extras'];

describe('the nights of a period in a month', () => {
  it('a stay admitted on the 1st and leaving on the 1st of the next month is the whole month, first to last night', () => {
    expect(nightsSpanInMonth({ from: '2026-11-01', to: '2026-12-01' }, '2026-11')).toEqual({ firstNight: '2026-11-01', lastNight: '2026-11-30', nights: 30 });
  });

  it('a stay leaving on the month’s last day has its last night the day before', () => {
    expect(nightsSpanInMonth({ from: '2026-10-01', to: '2026-11-30' }, '2026-11')).toEqual({ firstNight: '2026-11-01', lastNight: '2026-11-29', nights: 29 });
  });

  it('a stay admitted on the month’s last day has one night in it', () => {
    expect(nightsSpanInMonth({ from: '2026-11-30' }, '2026-11')).toEqual({ firstNight: '2026-11-30', lastNight: '2026-11-30', nights: 1 });
  });

  it('no night: leaving on the 1st, or admitted after the month', () => {
    expect(nightsSpanInMonth({ from: '2026-10-10', to: '2026-11-01' }, '2026-11')).toBeUndefined();
    expect(nightsSpanInMonth({ from: '2026-12-01' }, '2026-11')).toBeUndefined();
    expect(nightsInMonth({ from: '2026-12-01' }, '2026-11')).toBe(0);
  });
});

describe('the lines of a month', () => {
  it('the bed line names the home, the child’s reference, the nights and the weekly price', () => {
    const [bed] = linesForMonth(placement({ from: '2026-11-20' }), '2026-11');
    expect(bed).toMatchObject({
      key: 'P1:2026-11:bed',
      description: 'Harbour View, child ref GH-CLA-7731: 11 nights at £4,020.00 a week',
      firstNight: '2026-11-20',
      lastNight: '2026-11-30',
      nights: 11,
      netPence: 631_714, // 402,000 × 11 / 7 = 631,714.28…
    });
  });

  it('a weekly extra runs over its own period inside the placement’s, whichever ends first', () => {
    const extras: Extras = [
      // Starts after the placement and ends before it leaves: its own dates.
      { id: 'tutor', basis: 'weekly', kind: 'other', description: 'Tutoring', weeklyPence: 7_000, from: '2026-11-10', to: '2026-11-17' },
      // Ends after the placement leaves: the placement's end.
      { id: 'taxi', basis: 'weekly', kind: 'transport', description: 'School taxi', weeklyPence: 14_000, from: '2026-11-01', to: '2026-12-31' },
      // No dates: the placement's own period.
      { id: 'school', basis: 'weekly', kind: 'education-place', description: 'Education place', weeklyPence: 70_000 },
    ];
    const lines = linesForMonth(placement({ from: '2026-11-05', to: '2026-11-26', extras }), '2026-11');
    expect(lines.map((l) => [l.key, l.firstNight, l.lastNight, l.nights, l.netPence])).toEqual([
      ['P1:2026-11:bed', '2026-11-05', '2026-11-25', 21, 1_206_000],
      ['P1:2026-11:extra:tutor', '2026-11-10', '2026-11-16', 7, 7_000],
      ['P1:2026-11:extra:taxi', '2026-11-05', '2026-11-25', 21, 42_000],
      ['P1:2026-11:extra:school', '2026-11-05', '2026-11-25', 21, 210_000],
    ]);
    expect(lines[1]!.description).toBe('Tutoring: 7 nights at £70.00 a week');
  });

  it('an extra that starts before the placement is charged from the admission', () => {
    const extras: Extras = [{ id: 'early', basis: 'weekly', kind: 'other', description: 'Staffing', weeklyPence: 7_000, from: '2026-10-01' }];
    const [, extra] = linesForMonth(placement({ from: '2026-11-24', extras }), '2026-11');
    expect(extra).toMatchObject({ firstNight: '2026-11-24', nights: 7, netPence: 7_000 });
  });

  it('a one-off extra is charged in its month only, and says so', () => {
    const extras: Extras = [{ id: 'kit', basis: 'one-off', kind: 'other', description: 'School uniform', amountPence: 12_500, date: '2026-11-12' }];
    const p = placement({ from: '2026-10-01', extras });
    expect(linesForMonth(p, '2026-11').find((l) => l.component === 'extra:kit')).toMatchObject({
      key: 'P1:2026-11:extra:kit',
      description: 'School uniform (one-off, 2026-11-12)',
      netPence: 12_500,
    });
    expect(linesForMonth(p, '2026-10').some((l) => l.component === 'extra:kit')).toBe(false);
  });
});

describe('integer pence', () => {
  it('VAT on a credit is negative, on nothing is nothing', () => {
    expect(vatPence(-1_001, 'SR')).toBe(-200); // 200.2 rounds to 200
    expect(vatPence(0, 'SR')).toBe(0);
    expect(Object.is(vatPence(0, 'SR'), -0)).toBe(false);
  });

  it('rounds exactly half up and anything less down', () => {
    expect(divideHalfUp(5, 10)).toBe(1);
    expect(divideHalfUp(4, 10)).toBe(0);
    expect(divideHalfUp(14, 10)).toBe(1);
    expect(divideHalfUp(15, 10)).toBe(2);
    expect(divideHalfUp(20, 10)).toBe(2);
  });

  it('pro rata refuses fractions and negatives of pence or nights', () => {
    const refusal = new Error('proRataPence takes non-negative integer pence and nights');
    expect(() => proRataPence(100.5, 7)).toThrow(refusal);
    expect(() => proRataPence(100, 1.5)).toThrow(refusal);
    expect(() => proRataPence(-1, 7)).toThrow(refusal);
    expect(() => proRataPence(100, -1)).toThrow(refusal);
    expect(proRataPence(0, 0)).toBe(0);
  });

  it('shows pence as pounds with two decimals and thousands separated', () => {
    expect(formatPence(402_000)).toBe('£4,020.00');
    expect(formatPence(5)).toBe('£0.05');
  });
});
