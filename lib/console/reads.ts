import type { Home } from '#lib/estate/schema';
import type { HomeCalendar } from '#lib/placements/calendar';

/**
 * Read-only views the console needs beyond the API's routes (the whole
 * estate's calendars at once for the board; recent void-bed alerts), over
 * the same stores and with the same domain functions. Writes never go here:
 * every change goes through the API's routes.
 */
export interface ConsoleReads {
  /** Every home and every stored calendar (two index queries, however large the estate). */
  estate(): Promise<{ homes: Home[]; calendars: Map<string, HomeCalendar> }>;
}
