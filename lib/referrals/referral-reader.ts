import type { ReferralRecord } from './lifecycle';
import type { Referral } from './schema';

/**
 * A version of a referral as its history keeps it: a webhook event (with the
 * referral it carried and when it arrived) or a manager decision that only
 * moved the status on.
 */
export interface ReferralVersionEntry {
  version: number;
  /** `referral.created` | `referral.updated` | `referral.withdrawn`, or a decision such as `offer.made`. */
  event: string;
  receivedAt?: string;
  referral?: Referral;
}

/** Reading a referral as it stands, and the versions it went through. */
export interface ReferralReader {
  getCurrent(referralId: string): Promise<ReferralRecord | undefined>;
  /** History entries of versions `from` to `to` inclusive, in version order. */
  versions(referralId: string, from: number, to: number): Promise<ReferralVersionEntry[]>;
}
