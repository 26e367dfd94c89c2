import type { Home } from '#lib/estate';
import type { Stay } from '#lib/time/bed-history';
import type { HomeCalendar } from '#lib/time/home-calendar';
import type { SentAlert } from '#lib/void-beds/ports';

/** What the console needs from outside besides the API's services: its reads (below) and where sessions are kept. */
export type { SessionStore } from './session/session';

/**
 * Read-only views the console needs beyond the API's routes (the whole estate's calendars and
 * bed histories at once for the board; the void-bed alerts sent), over the same stores, worked
 * out with the same domain functions. Writes never go here: every change goes through the API.
 */
export interface ConsoleReads {
  /** Every home and every stored calendar, as stored now (kept between requests and brought up to date from the estate's change feed). */
  estate(): Promise<{ homes: Home[]; calendars: ReadonlyMap<string, HomeCalendar> }>;
  /** Each of these beds' stays (their histories, read by key a hundred at a time). */
  stays(beds: ReadonlyArray<{ homeId: string; bedId: string }>): Promise<Map<string, Stay[]>>;
  /** One home's calendar (empty if none is stored). */
  calendar(homeId: string): Promise<HomeCalendar>;
  /** The void-bed alerts sent in these months, newest first. */
  sentAlerts(months: readonly string[], limit: number): Promise<SentAlert[]>;
}
