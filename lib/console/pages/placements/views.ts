import type * as z from '#lib/validation';
import { OfferView, pageOf, PlacementView, ReferralDetail, ReferralSummary } from '#lib/api';
import { govukTag, type TagColour } from '#lib/console/components/content';
import type { Html } from '#lib/console/html';

/**
 * What the placement pages read of referrals, offers and placements: the API's own views
 * (lib/api/routes/referrals.ts, views.ts). These pages are for the roles that decide placements,
 * which the API answers in full (no narrower view of these routes is theirs).
 */

export const ReferralStatus = ReferralDetail.shape.status;
export type ReferralStatus = z.infer<typeof ReferralStatus>;

export const ReferralList = pageOf(ReferralSummary);

export const OfferOnPage = OfferView;
export type OfferOnPage = z.infer<typeof OfferOnPage>;

export const PlacementOnPage = PlacementView;
export type PlacementOnPage = z.infer<typeof PlacementOnPage>;

export const ReferralOnPage = ReferralDetail;
export type ReferralOnPage = z.infer<typeof ReferralOnPage>;

export type Candidate = NonNullable<ReferralOnPage['latestProposal']>['candidates'][number];

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
