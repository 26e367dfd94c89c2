import type { ReferralRecord } from './lifecycle';

/**
 * Key layout of the referrals table: one item collection per referral.
 *   pk REFERRAL#<id>  sk CURRENT           the referral as it stands (indexed by status)
 *   pk REFERRAL#<id>  sk HISTORY#<000001>  one entry per accepted event
 *   pk REFERRAL#<id>  sk PROPOSAL#<000001> the match proposal for that version (written by the matcher)
 */
export const referralKeys = {
  current: (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'CURRENT' }),
  history: (referralId: string, version: number) => ({
    pk: `REFERRAL#${referralId}`,
    sk: `HISTORY#${String(version).padStart(6, '0')}`,
  }),
  proposal: (referralId: string, version: number) => ({
    pk: `REFERRAL#${referralId}`,
    sk: `${PROPOSAL_SK_PREFIX}${String(version).padStart(6, '0')}`,
  }),
};

export const PROPOSAL_SK_PREFIX = 'PROPOSAL#';

/** GSI `byStatus`: list referrals in a status, newest change last. */
export function statusIndexKeys(record: ReferralRecord) {
  return { gsi1pk: `STATUS#${record.status}`, gsi1sk: `${record.updatedAt}#${record.referralId}` };
}
