import type { ReferralRecord } from './lifecycle';

/**
 * Key layout of the referrals table: one item collection per referral.
 *   pk REFERRAL#<id>  sk CURRENT           the referral as it stands (indexed by status)
 *   pk REFERRAL#<id>  sk HISTORY#<000001>  one entry per accepted event
 */
export const referralKeys = {
  current: (referralId: string) => ({ pk: `REFERRAL#${referralId}`, sk: 'CURRENT' }),
  history: (referralId: string, version: number) => ({
    pk: `REFERRAL#${referralId}`,
    sk: `HISTORY#${String(version).padStart(6, '0')}`,
  }),
};

/** GSI `byStatus`: list referrals in a status, newest change last. */
export function statusIndexKeys(record: ReferralRecord) {
  return { gsi1pk: `STATUS#${record.status}`, gsi1sk: `${record.updatedAt}#${record.referralId}` };
}
