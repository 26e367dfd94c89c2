import * as z from '#lib/validation';
import { HardRule } from '#lib/codes/hard-rule-names';

/**
 * A match proposal: for one version of one referral, every candidate bed
 * (best first) with its score and the reason behind each part of it, and
 * every excluded home (or bed) with the first hard rule that excluded it.
 */

export { HardRule } from '#lib/codes/hard-rule-names';

/** Soft rules: each gives every candidate one score part. */
export const SoftRule = /* @__PURE__ */ z.schema(() => z.enum(['resident-impact', 'distance', 'education', 'camhs', 'occupancy', 'suitability', 'companions']));
export type SoftRule = z.infer<typeof SoftRule>;

export const ScorePart = /* @__PURE__ */ z.schema(() => z.object({ rule: SoftRule, points: z.int(), reason: z.string() }));
export type ScorePart = z.infer<typeof ScorePart>;

export const Candidate = /* @__PURE__ */ z.schema(() => z.object({
  homeId: z.string(),
  bedId: z.string(),
  score: z.int(),
  weeklyPricePence: z.int().check(z.gte(0)),
  /** The home's education place, where the referral needs one and the home charges for it. */
  educationPlaceWeeklyPence: z.optional(z.int().check(z.gte(0))),
  parts: z.array(ScorePart),
}));
export type Candidate = z.infer<typeof Candidate>;

export const Exclusion = /* @__PURE__ */ z.schema(() => z.object({
  homeId: z.string(),
  /** Present where the rule is about one bed; absent where it excluded the whole home. */
  bedId: z.optional(z.string()),
  rule: HardRule,
  reason: z.string(),
}));
export type Exclusion = z.infer<typeof Exclusion>;

export const Proposal = /* @__PURE__ */ z.schema(() => z.object({
  referralId: z.string(),
  referralVersion: z.int().check(z.gte(1)),
  /** The instant the proposal was worked out for: the referral version's receipt, so a re-run gives the same answer. */
  asOf: z.iso.datetime(),
  candidates: z.array(Candidate),
  excluded: z.array(Exclusion),
  /**
   * Lowest-ranked candidates (and then last exclusions) left out of a stored
   * proposal too big for one DynamoDB item; absent when nothing was left out,
   * which is always the case at a council's scale (see dynamo-proposal-store.ts).
   */
  omitted: z.optional(z.object({ candidates: z.int().check(z.gte(0)), exclusions: z.int().check(z.gte(0)) })),
}));
export type Proposal = z.infer<typeof Proposal>;

/** Best first; equal scores in home id, then bed id order, so the ranking never depends on input order. */
export function compareCandidates(a: Pick<Candidate, 'score' | 'homeId' | 'bedId'>, b: Pick<Candidate, 'score' | 'homeId' | 'bedId'>): number {
  return b.score - a.score || compareIds(a.homeId, b.homeId) || compareIds(a.bedId, b.bedId);
}

/** Code-unit order, unlike localeCompare, is the same on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
