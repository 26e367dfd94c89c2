/**
 * What matching needs from outside it: when a referral is withdrawn, the matcher
 * has its live offers released (OfferReleaser, implemented by placements:
 * dynamo-offer-releaser.ts). The matching queue's message is referrals' (#lib/referrals/ports).
 */

/** Lets go of every live offer a referral holds (its withdrawal closes it). Idempotent: a second call releases 0. */
export interface OfferReleaser {
  releaseOffersForReferral(referralId: string, reason: string, at: string): Promise<number>;
}
