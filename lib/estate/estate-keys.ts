/**
 * Key layout of the estate table: one item collection per home.
 *   pk HOME#<homeId>  sk PROFILE   the Home (Statement of Purpose, beds, prices)
 *   pk HOME#<homeId>  sk CALENDAR  the HomeCalendar (every current and future hold)
 *   pk HOME#<homeId>  sk HISTORY#<bedId>  the BedHistory of one of its beds (every stay it ever held)
 *   pk ESTATE#CHANGES  sk <seq, 12 digits>  one estate change: the homes whose profile or calendar a
 *                                           decision wrote, numbered in commit order (see estate-cache.ts)
 *
 * GSI `byKind` (gsi1pk, gsi1sk): every PROFILE has gsi1pk HOME and every
 * CALENDAR gsi1pk CALENDAR, both with gsi1sk = homeId, so all homes (or all
 * calendars) come back from one paginated Query in home id order, never a Scan.
 */

export const ESTATE_KIND_INDEX = 'byKind';

export const PROFILE_SK = 'PROFILE' as const;
export const CALENDAR_SK = 'CALENDAR' as const;
export const HISTORY_SK_PREFIX = 'HISTORY#';
export const ESTATE_CHANGES_PK = 'ESTATE#CHANGES';

/** gsi1pk values of the `byKind` index. */
export const EstateItemKind = { home: 'HOME', calendar: 'CALENDAR' } as const;
export type EstateItemKind = (typeof EstateItemKind)[keyof typeof EstateItemKind];

const homePk = (homeId: string) => `HOME#${homeId}`;

export const estateKeys = {
  home: (homeId: string) => ({ pk: homePk(homeId), sk: PROFILE_SK }),
  calendar: (homeId: string) => ({ pk: homePk(homeId), sk: CALENDAR_SK }),
  bedHistory: (homeId: string, bedId: string) => ({ pk: homePk(homeId), sk: `${HISTORY_SK_PREFIX}${bedId}` }),
  change: (seq: number) => ({ pk: ESTATE_CHANGES_PK, sk: changeSk(seq) }),
};

/** Sequence numbers as sort keys that order as numbers do. */
export const changeSk = (seq: number) => String(seq).padStart(12, '0');

/** The index attributes to write beside the key on each item. */
export const estateIndexKeys = {
  home: (homeId: string) => ({ gsi1pk: EstateItemKind.home, gsi1sk: homeId }),
  calendar: (homeId: string) => ({ gsi1pk: EstateItemKind.calendar, gsi1sk: homeId }),
};
