/**
 * Calendar dates (ISO `YYYY-MM-DD`, no time, no zone) and the few operations
 * the domain needs on them. Arithmetic runs on days since 1970-01-01 so it is
 * immune to clock changes: a night is a date, never 24 hours.
 */

const MS_PER_DAY = 86_400_000;
const HYPHEN = 45;
const ZERO = 48;

/** The number written in `date` from `start` to `end` (exclusive), or NaN if any character is not a digit. */
function digits(date: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = date.charCodeAt(i) - ZERO;
    if (!(digit >= 0 && digit <= 9)) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

// Read character by character, not with a regular expression: matching calls this for every bed of an estate.
export function toEpochDay(date: string): number {
  const year = digits(date, 0, 4);
  const month = digits(date, 5, 7);
  const day = digits(date, 8, 10);
  if (date.length !== 10 || date.charCodeAt(4) !== HYPHEN || date.charCodeAt(7) !== HYPHEN || Number.isNaN(year + month + day)) {
    throw new Error(`not an ISO calendar date: ${date}`);
  }
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromEpochDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export const addDays = (date: string, days: number): string => fromEpochDay(toEpochDay(date) + days);

/** Days from `from` to `to` (positive when `to` is later). */
export const daysBetween = (from: string, to: string): number => toEpochDay(to) - toEpochDay(from);

/** A calendar month `YYYY-MM`. */
export type Month = string;

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** 2000 to 2099: a date or month outside is a typo (0000, 9999) or a probe, never a real record here. */
export const plausibleYear = (dateOrMonth: string): boolean => dateOrMonth >= '2000' && dateOrMonth < '2100';
export const PLAUSIBLE_MONTH = /^20\d{2}-(0[1-9]|1[0-2])$/;

export const firstDayOf = (month: Month): string => `${month}-01`;

export function nextMonth(month: Month): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function previousMonth(month: Month): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export const monthOf = (date: string): Month => date.slice(0, 7);

/** Months from `from` on to `to` (2026-11 to 2027-01: 2); negative where `to` comes first. */
export const monthsBetween = (from: Month, to: Month): number => monthIndex(to) - monthIndex(from);
const monthIndex = (month: Month) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));

/** Whole years of age on `on` for someone born on `dateOfBirth` (a 29 February birthday turns on 1 March). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * Made on first use, not when the module loads: the first formatter with a time zone loads ICU's zone
 * data (10–15 ms), which a function that never asks for a London date need not pay at cold start.
 */
let londonDate: Intl.DateTimeFormat | undefined;

/** Since 1972 London has been on UTC in winter and one hour ahead in summer (never two). */
const LONDON_ONE_HOUR_AT_MOST_FROM = Date.UTC(1972, 0, 1);
const LAST_HOUR_OF_THE_UTC_DAY = 23 * 3_600_000;

/** The calendar date in Europe/London at an instant (e.g. a schedule event's `time`). */
export function londonDateAt(instantMs: number): string {
  // Before 23:00 UTC the London date is the UTC date, worked out without the (slow) time-zone lookup.
  const day = Math.floor(instantMs / MS_PER_DAY);
  if (instantMs >= LONDON_ONE_HOUR_AT_MOST_FROM && instantMs - day * MS_PER_DAY < LAST_HOUR_OF_THE_UTC_DAY) return fromEpochDay(day);
  londonDate ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
  return londonDate.format(instantMs);
}

/** The April–March financial year a date falls in, labelled by its start year: 2026-04-01 … 2027-03-31 → 2026. */
export function financialYearOf(date: string): number {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m >= 4 ? y : y - 1;
}
