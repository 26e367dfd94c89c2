import * as z from '#lib/validation';
import { ReasonEpisodeCeased, ReasonPlacementChange } from '#lib/codes/ssda903';
import { found } from '#lib/errors';
import { Extra, MIN_WAIVER_REASON_CHARS, OverrideRequest, Placement, placementConfirmation } from '#lib/placements';
import { ReferralId } from '#lib/referrals';
import { IsoDate } from '#lib/time/iso-date';
import { DECIDE_PLACEMENTS, READ_PLACEMENTS } from '#lib/api/access';
import { apiRoute } from '#lib/api/services';
import { PLACEMENT_NARROWER, PlacementView } from './views';

const PlacementPath = z.object({ placementId: z.uuid() });

/** What the placing council needs for its own SSDA903 return about this placement. */
const Ssda903Fields = z.object({
  URN: z.string(),
  PL_POST: z.string(),
  PLACE: z.string(),
  PLACE_PROVIDER: z.literal('PR2'),
  DECOM: IsoDate,
  PL_LA: z.string(),
  DEC: z.optional(IsoDate),
  REASON_PLACE_CHANGE: z.optional(ReasonPlacementChange),
  REC: z.optional(ReasonEpisodeCeased),
});

/** The placement confirmation for the placing council: what its own SSDA903 return needs. */
export const Confirmation = z.object({
  placementId: z.string(),
  /** Absent for a placement loaded at go-live (no referral came through the inbox). */
  referralId: z.optional(z.string()),
  placingAuthority: z.object({ laNumber: z.string(), name: z.string() }),
  purchaseOrder: z.string(),
  childReference: z.string(),
  ofstedUrn: z.string(),
  homePostcode: z.string(),
  placementType: z.string(),
  placementProvider: z.literal('PR2'),
  startDate: IsoDate,
  agreedWeeklyPricePence: z.int(),
  extras: z.array(Extra),
  /** Where the placement has ended: its end and the SSDA903 reason. */
  endDate: z.optional(IsoDate),
  reasonPlacementChange: z.optional(ReasonPlacementChange),
  reasonEpisodeCeased: z.optional(ReasonEpisodeCeased),
  /** Planned or unplanned, once ended (from the reason, or the manager's answer). */
  planned: z.optional(z.boolean()),
  /** The placement this one continues after a move. */
  previousPlacementId: z.optional(z.string()),
  /** The local authority the home is in (ours): SSDA903's PL_LA is its ONS code. */
  placementLocalAuthority: z.object({ laNumber: z.string(), onsCode: z.string(), name: z.string() }),
  /** The same, by the SSDA903 return's field names. */
  ssda903: Ssda903Fields,
});

/** Finance: the prices, purchase order and dates; not why the placement ended. */
const FinanceConfirmation = z.extend(z.omit(Confirmation, { reasonPlacementChange: true, reasonEpisodeCeased: true, planned: true }), {
  ssda903: z.omit(Ssda903Fields, { REASON_PLACE_CHANGE: true, REC: true }),
});

export const placementRoutes = [
  apiRoute({
    method: 'POST',
    path: '/api/referrals/{referralId}/admission',
    roles: DECIDE_PLACEMENTS,
    status: 201,
    params: z.object({ referralId: ReferralId }),
    body: z.strictObject({
      /** Needed only when the referral has no accepted offer (the accepted offer names its bed). */
      bedId: z.optional(z.string().check(z.minLength(1), z.maxLength(63))),
      startDate: IsoDate,
      extras: z._default(z.array(Extra).check(z.maxLength(20)), []),
      /** Required to leave off the home's education extra where the referral requires an education place. */
      educationExtraWaivedReason: z.optional(z.string().check(z.trim(), z.minLength(MIN_WAIVER_REASON_CHARS), z.maxLength(2000))),
      /** Head of service only: let the admission through the hard rules named, for the reason written. */
      override: z.optional(OverrideRequest),
    }),
    response: Placement,
    handle: ({ params, body, caller }, { decisions }) => decisions.admit(caller, params.referralId, body),
  }),
  apiRoute({
    method: 'GET',
    path: '/api/placements/{placementId}',
    roles: READ_PLACEMENTS,
    params: PlacementPath,
    response: PlacementView,
    narrower: PLACEMENT_NARROWER,
    handle: async ({ params }, { store }) => found(await store.getPlacement(params.placementId), 'placement'),
  }),
  apiRoute({
    method: 'POST',
    path: '/api/placements/{placementId}/end',
    roles: DECIDE_PLACEMENTS,
    params: PlacementPath,
    body: z.strictObject({
      endDate: IsoDate,
      reasonPlacementChange: ReasonPlacementChange,
      /** Required where the reason's code does not say (LAREQ, PLACE, OTHER); must agree with it where it does. */
      planned: z.optional(z.boolean()),
      /** Where the child leaves care. */
      reasonEpisodeCeased: z.optional(ReasonEpisodeCeased),
    }),
    response: Placement,
    async handle({ params, body, caller }, { decisions, voidBedChecks, clock }) {
      const ended = await decisions.end(caller, params.placementId, body);
      // The bed is (or, for an end date ahead, will be) empty: the void-bed monitor checks it now.
      await voidBedChecks.request({ bedIds: [ended.bedId], reason: 'placement-ended', placementId: ended.placementId, requestedAt: new Date(clock.nowMs()).toISOString() });
      return ended;
    },
  }),
  apiRoute({
    method: 'POST',
    path: '/api/placements/{placementId}/move',
    roles: DECIDE_PLACEMENTS,
    status: 201,
    params: PlacementPath,
    body: z.strictObject({
      toBedId: z.string().check(z.minLength(1), z.maxLength(63)),
      date: IsoDate,
      /** Required for a move to another home (a change of placement in the 903 return). */
      reasonPlacementChange: z.optional(ReasonPlacementChange),
      planned: z.optional(z.boolean()),
      /** Head of service only: let the move through the hard rules named, for the reason written. */
      override: z.optional(OverrideRequest),
    }),
    response: z.object({ ended: Placement, continued: Placement }),
    async handle({ params, body, caller }, { decisions, voidBedChecks, clock }) {
      const moved = await decisions.move(caller, params.placementId, body);
      await voidBedChecks.request({ bedIds: [moved.ended.bedId], reason: 'placement-moved', placementId: moved.ended.placementId, requestedAt: new Date(clock.nowMs()).toISOString() });
      return moved;
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/placements/{placementId}/confirmation',
    roles: READ_PLACEMENTS,
    params: PlacementPath,
    response: Confirmation,
    narrower: [{ name: 'finance', roles: ['finance'], schema: FinanceConfirmation }],
    handle: async ({ params }, { store }) => placementConfirmation(found(await store.getPlacement(params.placementId), 'placement')),
  }),
];
