import * as z from '#lib/validation';
import type { DecisionHistoryEntry } from './decision-history';
import type { ReferralHistoryEntry, ReferralRecord, ReferralStatus } from './lifecycle';

/**
 * What the referrals context needs from outside it: intake hands every accepted
 * version to matching through MatchingPublisher (the matching queue); managers
 * read referrals through ReferralViews. Its own tables are behind IntakeStore
 * (intake.ts) and ReferralReader (referral-reader.ts).
 */

/**
 * The message on the matching queue: match (or, once withdrawn, close) this
 * version of this referral. The matcher is idempotent per (referralId, version).
 */
export const MatchingRequest = z.object({
  referralId: z.string().check(z.minLength(1)),
  version: z.int().check(z.gte(1)),
  event: z.enum(['referral.created', 'referral.updated', 'referral.withdrawn']),
});
export type MatchingRequest = z.infer<typeof MatchingRequest>;

export interface MatchingPublisher {
  publish(request: MatchingRequest): Promise<void>;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export type HistoryItem = { source: 'webhook'; entry: ReferralHistoryEntry } | { source: 'decision'; entry: DecisionHistoryEntry };

/** A referral, its history and (from matching, whose proposal this context does not know) its latest proposal. */
export interface ReferralView<P> {
  record: ReferralRecord;
  latestProposal?: P;
  history: HistoryItem[];
}

/** What managers read about referrals: lists by status, one referral by id (dynamo-referral-views.ts). */
export interface ReferralViews<P> {
  /** Referrals in a status, least recently changed first, a page at a time. */
  listByStatus(status: ReferralStatus, limit: number, cursor?: string): Promise<Page<ReferralRecord>>;
  getReferral(referralId: string): Promise<ReferralView<P> | undefined>;
}
