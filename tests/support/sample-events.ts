/**
 * The sample events under events/ are written as of one day, SAMPLE_EVENTS_DAY: a referral needed
 * from that day, a child of fifteen on it, last month's invoicing run. A test that runs at another
 * instant reads them re-dated: every valid calendar date and timestamp moved by the days between
 * SAMPLE_EVENTS_DAY and the test's today, and every month `YYYY-MM` by the months between, so the
 * story stays the same (needed from today, fifteen today, last month's run) on any day.
 * Signed deliveries (whose signature covers the dates) are read as they are, with readEvent.
 */
import { addDays, daysBetween, monthOf } from '#lib/time/calendar';
import { testToday } from './clock';
import { readEvent } from './webhook';

export const SAMPLE_EVENTS_DAY = '2026-12-01';

const DATE = /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)/g;
const MONTH = /(?<![\d-])(\d{4})-(0[1-9]|1[0-2])(?![\d-])/g;

const isCalendarDate = (y: number, m: number, d: number) => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/** `text` with its dates moved from SAMPLE_EVENTS_DAY's point of view to `today`'s. Invalid dates (a 30 February on purpose) stay. */
export function redate(text: string, today: string): string {
  const days = daysBetween(SAMPLE_EVENTS_DAY, today);
  const months = monthIndex(monthOf(today)) - monthIndex(monthOf(SAMPLE_EVENTS_DAY));
  if (days === 0) return text;
  return text
    .replace(DATE, (whole, y: string, m: string, d: string) => (isCalendarDate(Number(y), Number(m), Number(d)) ? addDays(whole, days) : whole))
    .replace(MONTH, (_whole, y: string, m: string) => {
      const index = Number(y) * 12 + Number(m) - 1 + months;
      return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    });
}

/** A sample event's text (path under events/), re-dated to `today` (the test's today unless given). */
export const sampleEvent = (name: string, today: string = testToday): string => redate(readEvent(name), today);
