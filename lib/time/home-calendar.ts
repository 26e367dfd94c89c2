import * as z from '#lib/validation';
import { IsoDate } from './iso-date';
import { Risk } from '#lib/codes/pds-risks';
import { sharesNight, type Period } from './period';

/**
 * A home's calendar: every current and future hold on its beds (offers and
 * placements), kept in ONE item per home with a version. Deciding that a new
 * hold does not overlap and writing it is a single conditional write on that
 * version, so two offers or admissions can never hold the same bed-night:
 * the loser's condition fails and it is told 409. One item per home also
 * gives matching the current residents of every home in one query.
 *
 * Nights: a hold from A to E occupies the nights A … E−1 (the leaving day is
 * not a night). An open hold (no `to`) runs on indefinitely.
 */

/** What matching needs to know about a child living in (or offered) a bed: never a name. */
export const ResidentProfile = /* @__PURE__ */ z.schema(() => z.object({
  referralId: z.optional(z.string()),
  dateOfBirth: IsoDate,
  sex: z.enum(['F', 'M']),
  /** Risks the child presents (PDS v2 risk fields that are "Risk Present"). */
  risks: z.array(Risk),
  /** Own child of the council (PR1) or placed by another council (PR2). */
  placedBy: z.string().check(z.regex(/^\d{3}$/)),
}));
export type ResidentProfile = z.infer<typeof ResidentProfile>;

export const Hold = /* @__PURE__ */ z.schema(() => z.object({
  id: z.string().check(z.minLength(1)),
  bedId: z.string().check(z.minLength(1)),
  kind: z.enum(['offer', 'placement']),
  from: IsoDate,
  /** The leaving day (exclusive); absent = open-ended. */
  to: z.optional(IsoDate),
  /** Offers lapse at this instant unless accepted; placements never do. */
  expiresAt: z.optional(z.iso.datetime()),
  resident: ResidentProfile,
}));
export type Hold = z.infer<typeof Hold>;

export const HomeCalendar = /* @__PURE__ */ z.schema(() => z.object({
  homeId: z.string(),
  /** Incremented by every write; the condition of the next one. 0 = never written. */
  version: z.int().check(z.gte(0)),
  holds: z.array(Hold),
}));
export type HomeCalendar = z.infer<typeof HomeCalendar>;

/** A hold still counts unless it is an offer whose time has run out. */
export function isLive(hold: Hold, nowMs: number): boolean {
  return hold.expiresAt === undefined || Date.parse(hold.expiresAt) > nowMs;
}

/** The live holds on a bed that share a night with `period`. */
export function clashes(calendar: HomeCalendar, bedId: string, period: Period, nowMs: number, ignoreHoldId?: string): Hold[] {
  return calendar.holds.filter(
    (h) => h.bedId === bedId && h.id !== ignoreHoldId && isLive(h, nowMs) && sharesNight(h, period),
  );
}
