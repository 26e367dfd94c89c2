/**
 * A stay, a hold or any run of nights: from `from` to the leaving day `to`
 * (exclusive), so it covers the nights from … to−1; no `to` = open-ended.
 */
export interface Period {
  from: string;
  to?: string | undefined;
}

/** A period with an end: its nights are from … to−1. */
export interface ClosedPeriod extends Period {
  to: string;
}

/** Whether two periods share a night. Dates are ISO strings, which compare in calendar order. */
export function sharesNight(a: Period, b: Period): boolean {
  return (b.to === undefined || a.from < b.to) && (a.to === undefined || b.from < a.to);
}
