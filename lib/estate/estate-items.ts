import * as z from '#lib/validation';
import { Stay, type BedHistory } from '#lib/time/bed-history';
import { Hold, type HomeCalendar } from '#lib/time/home-calendar';
import { CALENDAR_SK, estateIndexKeys, estateKeys, EstateItemKind, HISTORY_SK_PREFIX, PROFILE_SK } from './estate-keys';
import { Home } from './schema';

/**
 * The stored shape of the estate table's item types, beside their keys:
 *
 *   PROFILE   { pk, sk, gsi1pk: HOME,     gsi1sk: homeId, version, home }
 *   CALENDAR  { pk, sk, gsi1pk: CALENDAR, gsi1sk: homeId, version, holds }
 *   HISTORY   { pk, sk, homeId, bedId, version, stays }   (no index keys: read by key only)
 *   CHANGE    { pk, sk, seq, homes: [{ homeId, profileVersion?, calendarVersion? }] }
 *
 * `version` sits at the top level of each so conditional writes can test it
 * (`version = :expected`; `attribute_not_exists(pk)` for the first write).
 * A home with no CALENDAR item has an empty calendar at version 0: the seed
 * never creates one, so the first hold's write is always the item's first.
 */

/** The keys and version of an item the byKind index lists: `gsi1pk` its kind, `gsi1sk` its home's id. */
const listedByKind = <S extends string, K extends string>(sk: S, kind: K) =>
  z.object({ pk: z.string(), sk: z.literal(sk), gsi1pk: z.literal(kind), gsi1sk: z.string(), version: z.int().check(z.gte(1)) });

export const HomeItem = /* @__PURE__ */ z.schema(() => z.extend(listedByKind(PROFILE_SK, EstateItemKind.home), { home: Home }));
export type HomeItem = z.infer<typeof HomeItem>;

export const CalendarItem = /* @__PURE__ */ z.schema(() => z.extend(listedByKind(CALENDAR_SK, EstateItemKind.calendar), { holds: z.array(Hold) }));
export type CalendarItem = z.infer<typeof CalendarItem>;

export const BedHistoryItem = /* @__PURE__ */ z.schema(() => z.object({
  pk: z.string(),
  sk: z.string().check(z.startsWith(HISTORY_SK_PREFIX)),
  homeId: z.string(),
  bedId: z.string(),
  version: z.int().check(z.gte(1)),
  stays: z.array(Stay),
}));
export type BedHistoryItem = z.infer<typeof BedHistoryItem>;

/** What one decision changed in the estate: the versions it wrote of each home's profile and calendar. */
export const EstateChange = /* @__PURE__ */ z.schema(() => z.object({
  /** 1, 2, 3 … in commit order, with no gaps: each change is written conditioned on its number being free. */
  seq: z.int().check(z.gte(1)),
  homes: z.array(
    z.object({
      homeId: z.string(),
      profileVersion: z.optional(z.int().check(z.gte(1))),
      calendarVersion: z.optional(z.int().check(z.gte(1))),
    }),
  ),
}));
export type EstateChange = z.infer<typeof EstateChange>;

export function changeItem(change: EstateChange) {
  return { ...estateKeys.change(change.seq), ...change };
}

export function changeFromItem(item: unknown): EstateChange {
  const { seq, homes } = EstateChange.parse(item);
  return { seq, homes };
}

/** A home as stored, with the version its next write must be conditioned on. */
export interface VersionedHome {
  home: Home;
  version: number;
}

export function homeItem(home: Home, version: number): HomeItem {
  return { ...estateKeys.home(home.id), ...estateIndexKeys.home(home.id), version, home };
}

export function calendarItem(calendar: HomeCalendar): CalendarItem {
  return {
    ...estateKeys.calendar(calendar.homeId),
    ...estateIndexKeys.calendar(calendar.homeId),
    version: calendar.version,
    holds: calendar.holds,
  };
}

export function bedHistoryItem(history: BedHistory): BedHistoryItem {
  const { homeId, bedId, version, stays } = history;
  return { ...estateKeys.bedHistory(homeId, bedId), homeId, bedId, version, stays };
}

export function bedHistoryFromItem(item: unknown): BedHistory {
  const { homeId, bedId, version, stays } = BedHistoryItem.parse(item);
  return { homeId, bedId, version, stays };
}

export function homeFromItem(item: unknown): VersionedHome {
  const parsed = HomeItem.parse(item);
  return { home: parsed.home, version: parsed.version };
}

export function calendarFromItem(item: unknown): HomeCalendar {
  const parsed = CalendarItem.parse(item);
  return { homeId: parsed.gsi1sk, version: parsed.version, holds: parsed.holds };
}

/** The calendar of a home that has never held a bed. */
export const emptyCalendar = (homeId: string): HomeCalendar => ({ homeId, version: 0, holds: [] });
