import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, ageOn, daysBetween, financialYearOf, londonDateAt, monthsBetween, nextMonth, previousMonth, toEpochDay } from '#lib/time/calendar';

describe('calendar dates', () => {
  it('counts days across month ends, leap days and the October clock change alike', () => {
    expect(daysBetween('2026-01-31', '2026-03-01')).toBe(29);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2); // clocks go back on 25 October 2026
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('refuses what is not an ISO date', () => {
    expect(() => toEpochDay('25/12/2026')).toThrow(/ISO/);
  });

  it('steps months across years', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(previousMonth('2027-01')).toBe('2026-12');
  });

  it('counts the months between two months across years, negative where the second comes first', () => {
    expect(monthsBetween('2026-11', '2027-01')).toBe(2);
    expect(monthsBetween('2025-04', '2027-03')).toBe(23);
    expect(monthsBetween('2026-05', '2026-05')).toBe(0);
    expect(monthsBetween('2027-01', '2026-12')).toBe(-1);
  });

  it.each([
    ['2011-03-14', '2026-03-13', 14],
    ['2011-03-14', '2026-03-14', 15],
    ['2012-02-29', '2027-02-28', 14],
    ['2012-02-29', '2027-03-01', 15],
  ])('age of someone born %s on %s is %i', (dob, on, age) => {
    expect(ageOn(dob, on)).toBe(age);
  });

  it('reads the London date of an instant, in summer and winter time', () => {
    expect(londonDateAt(Date.parse('2026-06-30T23:30:00Z'))).toBe('2026-07-01'); // BST: 00:30 on 1 July
    expect(londonDateAt(Date.parse('2026-12-31T23:30:00Z'))).toBe('2026-12-31'); // GMT
  });

  it('property: the London date of any instant is the one the time-zone database gives, shortcut before 23:00 UTC or not', () => {
    const london = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(1940, 0, 1), max: Date.UTC(2100, 0, 1) }),
      // Around the clock changes and midnight, where the two could part.
      fc.tuple(fc.integer({ min: 1970, max: 2099 }), fc.constantFrom(2, 9), fc.integer({ min: 24, max: 31 }), fc.integer({ min: -90, max: 90 })).map(([y, m, d, minutes]) => Date.UTC(y, m, d, 0, 0) + minutes * 60_000),
    );
    fc.assert(fc.property(instant, (ms) => londonDateAt(ms) === london.format(ms)), { numRuns: 5_000 });
  });

  it('labels the April–March financial year by its start', () => {
    expect(financialYearOf('2027-03-31')).toBe(2026);
    expect(financialYearOf('2027-04-01')).toBe(2027);
  });
});
