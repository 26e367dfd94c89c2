import type { HomeCalendar } from '#lib/time/home-calendar';
import type { EstateChange, VersionedHome } from './estate-items';
import type { Home } from './schema';

/** The whole estate as matching sees it: every home, and the calendar of each (empty where none is stored). */
export interface EstateSnapshot {
  homes: Home[];
  calendars: ReadonlyMap<string, HomeCalendar>;
}

/** Reading the estate in bulk, for matching and void-bed checks. */
export interface EstateReader {
  /** Every home, in home id order. */
  listHomes(): Promise<VersionedHome[]>;
  /** Every stored calendar, in home id order (homes that never held a bed have none). */
  listCalendars(): Promise<HomeCalendar[]>;
}

/**
 * The estate's change feed: every decision that writes a home's profile or calendar also writes an
 * EstateChange numbered in commit order, in the same transaction (lib/placements' store does it).
 */
export interface EstateChangeFeed {
  /** The number of the last change (0 when there is none yet). */
  latestChange(): Promise<number>;
  /** Every change numbered after `seq`, in order: what moved since a snapshot taken at `seq`. */
  changesSince(seq: number): Promise<EstateChange[]>;
  /** The named homes' profiles and calendars as stored now (read from the table itself, not an index). */
  readHomes(homeIds: readonly string[]): Promise<{ homes: VersionedHome[]; calendars: HomeCalendar[] }>;
}

/** Reads every home and every calendar (in parallel: they are independent queries). */
export async function loadEstate(reader: EstateReader): Promise<EstateSnapshot> {
  const [homes, calendars] = await Promise.all([reader.listHomes(), reader.listCalendars()]);
  return {
    homes: homes.map((h) => h.home),
    calendars: new Map(calendars.map((c) => [c.homeId, c])),
  };
}
