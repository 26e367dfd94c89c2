import type { HomeCalendar } from '#lib/time/home-calendar';
import type { EstateReader } from './ports';
import type { Home } from './schema';

export type { EstateChangeFeed, EstateReader } from './ports';

/** The whole estate as matching sees it: every home, and the calendar of each (empty where none is stored). */
export interface EstateSnapshot {
  homes: Home[];
  calendars: ReadonlyMap<string, HomeCalendar>;
}



/** Reads every home and every calendar (in parallel: they are independent queries). */
export async function loadEstate(reader: EstateReader): Promise<EstateSnapshot> {
  const [homes, calendars] = await Promise.all([reader.listHomes(), reader.listCalendars()]);
  return {
    homes: homes.map((h) => h.home),
    calendars: new Map(calendars.map((c) => [c.homeId, c])),
  };
}
