import * as z from '#lib/validation';
import { govukTag, type TagColour } from '#lib/console/components/content';
import type { Html } from '#lib/console/html';

/**
 * What the placement pages show of referrals, offers and placements, as the API answers
 * (lib/api/routes/referrals.ts, offers.ts, placements.ts). Fields a role's view leaves out are
 * optional here and simply not shown.
 */

export const ReferralStatus = z.enum(['open', 'offered', 'accepted', 'placed', 'withdrawn']);
export type ReferralStatus = z.infer<typeof ReferralStatus>;

const Decision = z.object({ by: z.object({ name: z.string() }), at: z.string() });

export const ReferralLine = z.object({
  referralId: z.string(),
  status: ReferralStatus,
  placingAuthority: z.optional(z.object({ laNumber: z.string(), name: z.string() })),
  sought: z.optional(z.object({ placementType: z.string(), kind: z.string(), neededFrom: z.string(), neededBy: z.string(), expectedWeeks: z.int() })),
  updatedAt: z.string(),
});
export const ReferralList = z.object({ items: z.array(ReferralLine), cursor: z.optional(z.string()) });

export const OfferOnPage = z.object({
  offerId: z.string(),
  homeId: z.string(),
  bedId: z.string(),
  from: z.string(),
  to: z.string(),
  weeklyPricePence: z.int(),
  expiresAt: z.string(),
  status: z.enum(['offered', 'accepted', 'declined', 'released', 'lapsed', 'admitted']),
  expired: z.boolean(),
  offered: Decision,
  accepted: z.optional(Decision),
  declined: z.optional(Decision),
  admittedAs: z.optional(z.string()),
});
export type OfferOnPage = z.infer<typeof OfferOnPage>;

export const PlacementOnPage = z.object({
  placementId: z.string(),
  referralId: z.optional(z.string()),
  placingLa: z.string(),
  placingAuthorityName: z.string(),
  purchaseOrder: z.optional(z.string()),
  childReference: z.string(),
  homeId: z.string(),
  bedId: z.string(),
  ofstedUrn: z.optional(z.string()),
  homePostcode: z.optional(z.string()),
  placementType: z.string(),
  startDate: z.string(),
  agreedWeeklyPricePence: z.int(),
  extras: z.array(z.object({ kind: z.string(), basis: z.string(), amountPence: z.int() })),
  status: z.enum(['active', 'ended']),
  admitted: Decision,
  movedFrom: z.optional(z.string()),
  ending: z.optional(z.object({
      endDate: z.string(),
      reasonPlacementChange: z.optional(z.string()),
      planned: z.optional(z.boolean()),
      reasonEpisodeCeased: z.optional(z.string()),
      movedTo: z.optional(z.string()),
      decision: Decision,
    })),
});
export type PlacementOnPage = z.infer<typeof PlacementOnPage>;

export const Candidate = z.object({
  homeId: z.string(),
  bedId: z.string(),
  score: z.int(),
  weeklyPricePence: z.int(),
  educationPlaceWeeklyPence: z.optional(z.int()),
  parts: z.array(z.object({ rule: z.string(), points: z.int(), reason: z.string() })),
});
export type Candidate = z.infer<typeof Candidate>;

export const ReferralOnPage = z.object({
  referralId: z.string(),
  status: ReferralStatus,
  version: z.int(),
  placingLa: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  referral: z.optional(z.object({
      referralDate: z.string(),
      placingAuthority: z.object({ laNumber: z.string(), name: z.string(), purchaseOrder: z.optional(z.string()) }),
      child: z.object({ reference: z.string(), dateOfBirth: z.optional(z.string()), sex: z.optional(z.string()), legalStatus: z.optional(z.string()), categoryOfNeed: z.optional(z.string()) }),
      sought: z.object({
        placementType: z.string(),
        kind: z.string(),
        neededFrom: z.string(),
        neededBy: z.string(),
        expectedWeeks: z.int(),
        educationPlaceRequired: z.boolean(),
        maxWeeklyBudgetPence: z.int(),
      }),
      needs: z.optional(z.array(z.string())),
    })),
  latestProposal: z.nullable(z.object({
      referralVersion: z.int(),
      asOf: z.string(),
      candidates: z.array(Candidate),
      excluded: z.array(z.object({ homeId: z.string(), bedId: z.optional(z.string()), rule: z.string(), reason: z.string() })),
    })),
  offers: z.array(OfferOnPage),
  placements: z.array(PlacementOnPage),
});
export type ReferralOnPage = z.infer<typeof ReferralOnPage>;

const REFERRAL_TAGS: Record<ReferralStatus, { text: string; colour: TagColour }> = {
  open: { text: 'Open', colour: 'blue' },
  offered: { text: 'Bed offered', colour: 'yellow' },
  accepted: { text: 'Offer accepted', colour: 'turquoise' },
  placed: { text: 'Placed', colour: 'green' },
  withdrawn: { text: 'Withdrawn', colour: 'grey' },
};

export const referralTag = (status: ReferralStatus): Html => govukTag(REFERRAL_TAGS[status]);

const OFFER_TAGS: Record<OfferOnPage['status'], { text: string; colour: TagColour }> = {
  offered: { text: 'Waiting for the placing council', colour: 'yellow' },
  accepted: { text: 'Accepted', colour: 'turquoise' },
  declined: { text: 'Declined', colour: 'grey' },
  released: { text: 'Released', colour: 'grey' },
  lapsed: { text: 'Lapsed', colour: 'grey' },
  admitted: { text: 'Admitted', colour: 'green' },
};

export const offerTag = (offer: OfferOnPage): Html => (offer.expired && offer.status === 'offered' ? govukTag({ text: 'Lapsed unanswered', colour: 'grey' }) : govukTag(OFFER_TAGS[offer.status]));

export const RULE_NAMES: Record<string, string> = {
  'resident-impact': 'Impact on the children living there',
  distance: 'Distance from home',
  education: 'Education continuity',
  camhs: 'CAMHS access',
  occupancy: 'Filling a void sooner',
  suitability: 'Suitability of the setting',
  companions: 'Living companions',
  'placement-type': 'Placement type',
  registration: 'Registration',
  kind: 'Kind of placement',
  age: 'Age range',
  sex: 'Sex',
  needs: 'Needs the Statement of Purpose accepts',
  'risks-excluded': 'Risks the Statement of Purpose excludes',
  pets: 'Pets',
  capacity: 'Capacity',
  'living-companions': 'Living companions',
  'bed-kept-for-own-children': 'Kept for our own children',
  'bed-out-of-use': 'Out of use',
  'bed-held': 'Already held',
  budget: 'Over the budget',
};
