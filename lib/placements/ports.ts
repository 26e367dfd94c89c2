/**
 * What other contexts ask of placements. The placements context implements
 * these; callers depend on the port, never on the table.
 */

/** Lets go of every live offer a referral holds (its withdrawal closes it). Idempotent: a second call releases 0. */
export interface OfferReleaser {
  releaseOffersForReferral(referralId: string, reason: string, at: string): Promise<number>;
}
