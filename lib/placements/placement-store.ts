import type { VersionedHome } from '#lib/estate';
import type { ReferralRecord } from '#lib/referrals';
import type { BedHistory } from '#lib/time/bed-history';
import type { HomeCalendar } from '#lib/time/home-calendar';
import type { Offer, Placement } from './schema';
import type { CommitResult, Write } from './writes';

/**
 * What manager decisions read and write. Every read is strongly consistent:
 * a decision is taken on what is stored now, and `commit` applies its writes
 * all or nothing, each conditioned on the version it was decided from.
 */
export interface PlacementStore {
  getReferral(referralId: string): Promise<ReferralRecord | undefined>;
  /** Every offer made for a referral (found through an index, then each read consistently). */
  offersOfReferral(referralId: string): Promise<Offer[]>;
  /** Every placement a referral led to (found through an index, then each read consistently). */
  placementsOfReferral(referralId: string): Promise<Placement[]>;
  getOffer(offerId: string): Promise<Offer | undefined>;
  getPlacement(placementId: string): Promise<Placement | undefined>;
  getHome(homeId: string): Promise<VersionedHome | undefined>;
  /** The home a bed belongs to (bed ids are unique across the estate). */
  homeOfBed(bedId: string): Promise<string | undefined>;
  /** The home's calendar; version 0 with no holds if none is stored yet. */
  getCalendar(homeId: string): Promise<HomeCalendar>;
  /** Every stay a bed ever held; version 0 with none if nothing is stored yet. */
  getBedHistory(homeId: string, bedId: string): Promise<BedHistory>;
  commit(writes: Write[]): Promise<CommitResult>;
}
