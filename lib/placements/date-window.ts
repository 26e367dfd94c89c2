import { financialYearOf } from '#lib/time/calendar';
import { InvalidDecision } from './decision-errors';

/**
 * The dates an admission, end or move may carry. Late records are daily life
 * (an emergency placement on a Friday night is entered on Monday; a placing
 * council confirms weeks later), so they may reach back to the start of the
 * previous financial year: as far as an invoicing run re-checks for
 * corrections (lib/invoicing/run-period.ts), so every late record still
 * reaches an invoice. Ahead: at most a year.
 */
export interface DateWindow {
  /** The first date allowed: 1 April of the previous financial year. */
  earliest: string;
  /** The last date allowed: the same date a year on (28 February for 29 February). */
  latest: string;
}

export function placementDateWindow(today: string): DateWindow {
  const [year, month, day] = today.split('-') as [string, string, string];
  const nextYear = Number(year) + 1;
  const leapDayWithoutLeapYear = month === '02' && day === '29';
  return {
    earliest: `${financialYearOf(today) - 1}-04-01`,
    latest: `${nextYear}-${month}-${leapDayWithoutLeapYear ? '28' : day}`,
  };
}

/** Refuses (400, naming the field and the allowed dates) a date outside the window around `today`. */
export function ensureInDateWindow(field: string, date: string, today: string): void {
  const { earliest, latest } = placementDateWindow(today);
  if (date < earliest) {
    throw new InvalidDecision(field, 'too_small', `${field} may go back to the start of the previous financial year: ${earliest} or later`);
  }
  if (date > latest) {
    throw new InvalidDecision(field, 'too_big', `${field} may be at most a year ahead: ${latest} or earlier`);
  }
}
