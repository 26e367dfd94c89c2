import * as z from '#lib/validation';
import { IsoDate } from './iso-date';
import { sharesNight, type Period } from './period';

/**
 * A bed's history: every stay it has ever held, as bare intervals, in ONE
 * item per bed with a version. The home's calendar keeps only current and
 * future holds (what matching reads); the history keeps them all, so "no two
 * stays on a bed share a night" is decided over any period: a decision that
 * adds or changes a stay writes the bed's history conditioned on the version
 * it checked, in the same transaction as everything else it writes.
 *
 * Intervals, not night sets: a stay held for years is one entry (~70 bytes),
 * so the item grows with the number of stays, never with their length. At a
 * new stay every week a bed's history reaches 100 KB after about 25 years;
 * the item limit is 400 KB.
 *
 * Offers are not stays: they hold only current and future nights, which the
 * calendar decides on its own.
 */

export const Stay = /* @__PURE__ */ z.schema(() => z.object({
  /** The placement's id. */
  id: z.string().check(z.minLength(1)),
  from: IsoDate,
  /** The leaving day (exclusive); absent = open-ended. */
  to: z.optional(IsoDate),
}));
export type Stay = z.infer<typeof Stay>;

export const BedHistory = /* @__PURE__ */ z.schema(() => z.object({
  homeId: z.string(),
  bedId: z.string(),
  /** Incremented by every write; the condition of the next one. 0 = never written. */
  version: z.int().check(z.gte(0)),
  stays: z.array(Stay),
}));
export type BedHistory = z.infer<typeof BedHistory>;

export const emptyBedHistory = (homeId: string, bedId: string): BedHistory => ({ homeId, bedId, version: 0, stays: [] });

/** Stays on the bed that share a night with `period`, other than `ignoreId`. */
export function stayClashes(history: BedHistory, period: Period, ignoreId?: string): Stay[] {
  return history.stays.filter((s) => s.id !== ignoreId && sharesNight(s, period));
}

/** The history with `stay` recorded (added, or replacing the entry of the same id: an end moves its leaving day), ordered by start. */
export function withStay(history: BedHistory, stay: Stay): Stay[] {
  return [...history.stays.filter((s) => s.id !== stay.id), stay].sort((a, b) => a.from.localeCompare(b.from) || a.id.localeCompare(b.id));
}
