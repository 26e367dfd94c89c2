import { z } from '#lib/validation';
import { Offer, Placement } from '#lib/placements/schema';
import { hasLapsed } from '#lib/placements/offer-decisions';

/** An offer as the API shows it: `expired` once it lapsed unanswered (its hold no longer counts). */
export const OfferView = Offer.extend({ expired: z.boolean() });

export function offerView(offer: Offer, nowMs: number): z.input<typeof OfferView> {
  return { ...offer, expired: hasLapsed(offer, nowMs) };
}

export const PlacementView = Placement;
