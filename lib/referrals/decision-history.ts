import * as z from '#lib/validation';
import { Decision } from '#lib/auth';
import { HardRule } from '#lib/codes/hard-rule-names';
import { ReferralStatus, type ReferralRecord } from './lifecycle';

/**
 * The referral's history beside the webhook events (lifecycle.ts): the
 * manager decisions that move its status on, each with who and when.
 */
export const DecisionEvent = z.enum(['offer.made', 'offer.accepted', 'offer.declined', 'placement.admitted']);
export type DecisionEvent = z.infer<typeof DecisionEvent>;

export const DecisionHistoryEntry = z.object({
  referralId: z.string(),
  version: z.int().check(z.gte(1)),
  event: DecisionEvent,
  decision: Decision,
  status: ReferralStatus,
  changed: z.array(z.string()),
  offerId: z.optional(z.string()),
  placementId: z.optional(z.string()),
  homeId: z.optional(z.string()),
  bedId: z.optional(z.string()),
  /** The hard rules the decision broke, let through by the head of service, and the reason written. */
  override: z.optional(z.object({ rules: z.array(HardRule), reason: z.string() })),
});
export type DecisionHistoryEntry = z.infer<typeof DecisionHistoryEntry>;

export interface ReferralChange {
  next: ReferralRecord;
  expectedVersion: number;
  history: DecisionHistoryEntry;
}

/** The referral moved to `status` by a decision: a new version, a history entry, and the condition on the old version. */
export function referralChange(
  current: ReferralRecord,
  status: ReferralStatus,
  event: DecisionEvent,
  decision: Decision,
  refs: Pick<DecisionHistoryEntry, 'offerId' | 'placementId' | 'homeId' | 'bedId' | 'override'>,
): ReferralChange {
  const next: ReferralRecord = { ...current, status, version: current.version + 1, updatedAt: decision.at };
  return {
    next,
    expectedVersion: current.version,
    history: {
      referralId: current.referralId,
      version: next.version,
      event,
      decision,
      status,
      changed: current.status === status ? [] : ['status'],
      ...refs,
    },
  };
}
