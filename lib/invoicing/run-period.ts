import { financialYearOf, londonDateAt, monthOf, nextMonth, previousMonth, type Month } from '#lib/time/calendar';

/**
 * The month a scheduled run invoices: the calendar month before the one the
 * schedule fired in, in Europe/London. The rule fires early on the 1st in UTC
 * (02:00), which is the 1st in London in winter and summer alike.
 */
export function monthToInvoice(eventTimeMs: number): Month {
  return previousMonth(monthOf(londonDateAt(eventTimeMs)));
}

/** Documents for a month are issued on the 1st of the month after it. */
export const issueDateFor = (runMonth: Month): string => `${nextMonth(runMonth)}-01`;

/**
 * Earlier months a run re-checks for corrections: from the start of the
 * previous financial year up to the month before the run month, so a change
 * reaching back into last year is still corrected.
 */
export function correctionMonthsFor(runMonth: Month): Month[] {
  const start = `${financialYearOf(`${runMonth}-01`) - 1}-04`;
  const months: Month[] = [];
  for (let m = start; m < runMonth; m = nextMonth(m)) months.push(m);
  return months;
}
