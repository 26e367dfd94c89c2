import * as z from '#lib/validation';
import { ReferralId } from '#lib/referrals';
import { OverrideRequest } from '#lib/placements';
import { DECIDE_PLACEMENTS } from '#lib/api/access';
import { apiRoute } from '#lib/api/services';
import { OfferView, offerView } from './views';

const OfferPath = z.object({ offerId: z.uuid() });

/** The placing council's answer to an offer, as the placements officer records it: its path under the offer, and the decision it makes. */
function offerAnswerRoute(answer: 'acceptance' | 'decline', decision: 'accept' | 'decline') {
  return apiRoute({
    method: 'POST',
    path: `/api/offers/{offerId}/${answer}`,
    roles: DECIDE_PLACEMENTS,
    params: OfferPath,
    body: z.strictObject({}),
    response: OfferView,
    async handle({ params, caller }, { decisions, clock }) {
      return offerView(await decisions[decision](caller, params.offerId), clock.nowMs());
    },
  });
}

export const offerRoutes = [
  apiRoute({
    method: 'POST',
    path: '/api/referrals/{referralId}/offers',
    roles: DECIDE_PLACEMENTS,
    status: 201,
    params: z.object({ referralId: ReferralId }),
    body: z.strictObject({
      bedId: z.string().check(z.minLength(1), z.maxLength(63)),
      /** Until when the bed is held for an answer. @default 48 hours from now */
      expiresAt: z.optional(z.iso.datetime({ offset: true })),
      /** Head of service only: let the offer through the hard rules named, for the reason written. */
      override: z.optional(OverrideRequest),
    }),
    response: OfferView,
    async handle({ params, body, caller }, { decisions, clock }) {
      return offerView(await decisions.offer(caller, params.referralId, body), clock.nowMs());
    },
  }),
  offerAnswerRoute('acceptance', 'accept'),
  offerAnswerRoute('decline', 'decline'),
];
