/** What the estate needs from outside (its adapters implement them): its homes and calendars read in bulk, and its change feed. */
import type { HomeCalendar } from '#lib/time/home-calendar';
import type { EstateChange, VersionedHome } from './estate-items';

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
