import { describe, expect, it } from 'vitest';
import { ensureInDateWindow, placementDateWindow } from '#lib/placements/date-window';

/** How far back and ahead admissions, ends and moves may be dated, on the days where it could go wrong. */

describe('the dates a placement decision may carry', () => {
  it.each([
    ['2026-12-01', '2025-04-01', '2027-12-01'],
    // The last day of a financial year, and the first of the next: the earliest date moves on a year.
    ['2027-03-31', '2025-04-01', '2028-03-31'],
    ['2027-04-01', '2026-04-01', '2028-04-01'],
    // A leap day has no date a year on: the window ends on 28 February.
    ['2028-02-29', '2026-04-01', '2029-02-28'],
    ['2029-03-14', '2027-04-01', '2030-03-14'],
  ])('on %s: from %s to %s', (today, earliest, latest) => {
    expect(placementDateWindow(today)).toEqual({ earliest, latest });
  });

  it('refuses a date outside, naming the field and the date allowed (a 400 at the edge)', () => {
    expect(() => ensureInDateWindow('startDate', '2025-03-31', '2026-12-01')).toThrow(
      expect.objectContaining({ field: 'startDate', rule: 'too_small', message: 'startDate may go back to the start of the previous financial year: 2025-04-01 or later' }),
    );
    expect(() => ensureInDateWindow('date', '2027-12-02', '2026-12-01')).toThrow(
      expect.objectContaining({ field: 'date', rule: 'too_big', message: 'date may be at most a year ahead: 2027-12-01 or earlier' }),
    );
    expect(() => ensureInDateWindow('endDate', '2025-04-01', '2026-12-01')).not.toThrow();
    expect(() => ensureInDateWindow('endDate', '2027-12-01', '2026-12-01')).not.toThrow();
  });
});
