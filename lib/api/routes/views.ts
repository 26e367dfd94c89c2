import * as z from '#lib/validation';
import type { NarrowerView } from '#lib/http';
import { Ending, hasLapsed, Offer, Placement } from '#lib/placements';

/**
 * The views the API answers with, and the narrower ones for roles that may
 * see less (docs/roles-and-fields.md is generated from them). A narrower
 * view is an allow-list: a field added to a record stays hidden from it
 * until it is named here.
 */

/** An offer as the API shows it: `expired` once it lapsed unanswered (its hold no longer counts). */
export const OfferView = z.extend(Offer, { expired: z.boolean() });

export function offerView(offer: Offer, nowMs: number): z.input<typeof OfferView> {
  return { ...offer, expired: hasLapsed(offer, nowMs) };
}

export const PlacementView = Placement;

/**
 * A placement as finance sees it: who is billed what, for which bed and
 * dates; not the child's date of birth, sex or risks (the resident profile),
 * nor why the placement ended.
 */
export const FinancePlacementView = z.extend(z.pick(Placement, {
  placementId: true,
  referralId: true,
  placingLa: true,
  placingAuthorityName: true,
  purchaseOrder: true,
  childReference: true,
  homeId: true,
  bedId: true,
  ofstedUrn: true,
  homePostcode: true,
  placementType: true,
  provider: true,
  startDate: true,
  agreedWeeklyPricePence: true,
  extras: true,
  status: true,
  version: true,
  admitted: true,
  offerId: true,
  movedFrom: true,
  imported: true,
}), { ending: z.optional(z.pick(Ending, { endDate: true, movedTo: true, decision: true })) });

export const PLACEMENT_NARROWER: readonly NarrowerView[] = [{ name: 'finance', roles: ['finance'], schema: FinancePlacementView }];
