import { weeklyPricePence, type VersionedHome } from '#lib/estate';
import { referralChange, type ReferralRecord } from '#lib/referrals';
import type { HomeCalendar, Hold } from '#lib/time/home-calendar';
import { withStay, type BedHistory } from '#lib/time/bed-history';
import { currentHolds, ensureBedAvailable, residentOf, type DecisionContext } from './bed-rules';
import { ensureInDateWindow } from './date-window';
import { DecisionConflict, InvalidDecision } from './decision-errors';
import { applyDecisionRules } from './decision-rules';
import { admissionExtras } from './education-extra';
import type { OverrideRequest } from './overrides';
import { activeReferral, effectiveStatus, lapseWrites } from './offer-decisions';
import type { Extra, Offer, Placement } from './schema';
import { calendarWrite, historyWrite, type Decided, type Write } from './writes';

/**
 * Admitting a child: normally on the offer the placing council accepted; or,
 * for a referral with no offer (an emergency agreed by phone), straight into
 * a named bed. The agreed weekly price is fixed here from the bed's price.
 */

export interface AdmissionTarget {
  bedId: string;
  homeId?: string;
  offer?: Offer;
}

/** Which bed the child is admitted to, from the referral's state and the bed asked for. */
export function admissionTarget(record: ReferralRecord | undefined, referralId: string, offers: readonly Offer[], requestedBedId: string | undefined, nowMs: number): AdmissionTarget {
  const active = activeReferral(record, referralId);
  const status = effectiveStatus(active, offers, nowMs);
  if (status === 'offered') {
    throw new DecisionConflict('referral-status', `the referral has an offer awaiting the placing council: record its acceptance first`);
  }
  if (status === 'accepted') {
    const offer = offers.find((o) => o.status === 'accepted');
    if (!offer) throw new DecisionConflict('referral-status', `the referral is accepted but its accepted offer was not found`);
    if (requestedBedId !== undefined && requestedBedId !== offer.bedId) {
      throw new DecisionConflict('offer-status', `the accepted offer ${offer.offerId} is for bed ${offer.bedId}, not the bed named`);
    }
    return { bedId: offer.bedId, homeId: offer.homeId, offer };
  }
  if (requestedBedId === undefined) throw new InvalidDecision('bedId', 'required', 'bedId is required: the referral has no accepted offer');
  return { bedId: requestedBedId };
}

/**
 * The admission already recorded that a request repeats: the referral's active placement in the bed asked for
 * (any, when none is named), from the same date, with every extra asked for. A manager whose admission was
 * recorded but whose answer was lost (a timeout, a dropped connection) and who sends it again is answered with
 * that placement, not told the referral is already placed.
 */
export function repeatedAdmission(
  placements: readonly Placement[],
  request: { bedId?: string | undefined; startDate: string; extras: readonly Extra[] },
): Placement | undefined {
  const sameExtra = (a: Extra, b: Extra) => a.kind === b.kind && a.basis === b.basis && a.amountPence === b.amountPence;
  return placements.find(
    (p) =>
      p.status === 'active' &&
      p.startDate === request.startDate &&
      (request.bedId === undefined || p.bedId === request.bedId) &&
      request.extras.every((asked) => p.extras.some((recorded) => sameExtra(asked, recorded))),
  );
}

export interface AdmissionInput {
  record: ReferralRecord | undefined;
  referralId: string;
  offersOfReferral: readonly Offer[];
  target: AdmissionTarget;
  home: VersionedHome;
  calendar: HomeCalendar;
  /** The history of the target bed. */
  history: BedHistory;
  startDate: string;
  extras: Extra[];
  /** Why the home's education extra is left off although the referral requires an education place. */
  educationExtraWaivedReason?: string | undefined;
  /** The head of service letting the admission through hard rules it breaks (beyond those the offer's override let through). */
  override?: OverrideRequest | undefined;
}

export function decideAdmission(input: AdmissionInput, ctx: DecisionContext): Decided<Placement> {
  const record = activeReferral(input.record, input.referralId);
  const { referral } = record;
  const { home } = input.home;
  const { offer } = input.target;
  ensureInDateWindow('startDate', input.startDate, ctx.today);
  // Open-ended: the child stays until the placement is ended.
  const bed = ensureBedAvailable(home, input.target.bedId, input.calendar, input.history, { from: input.startDate }, ctx, offer?.offerId);
  const placementId = ctx.newId();
  const rules = applyDecisionRules(
    {
      referral: record,
      home,
      calendar: input.calendar,
      bed,
      from: input.startDate,
      givenWith: { kind: 'admission', id: placementId },
      override: input.override,
      inForce: offer?.overrides,
    },
    ctx,
  );
  const { extras, educationExtraWaivedReason } = admissionExtras({
    referral,
    home,
    requested: input.extras,
    educationExtraWaivedReason: input.educationExtraWaivedReason,
  });

  const resident = residentOf(referral);
  const hold: Hold = { id: placementId, bedId: bed.id, kind: 'placement', from: input.startDate, resident };
  const placement: Placement = {
    placementId,
    referralId: record.referralId,
    placingLa: referral.placingAuthority.laNumber,
    placingAuthorityName: referral.placingAuthority.name,
    purchaseOrder: referral.placingAuthority.purchaseOrder,
    childReference: referral.child.reference,
    homeId: home.id,
    bedId: bed.id,
    ofstedUrn: home.ofstedUrn,
    homePostcode: home.postcode,
    placementType: referral.sought.placementType,
    provider: 'PR2',
    startDate: input.startDate,
    agreedWeeklyPricePence: weeklyPricePence(home, bed),
    extras,
    status: 'active',
    resident,
    version: 1,
    admitted: ctx.decision,
    ...(offer ? { offerId: offer.offerId } : {}),
    ...(rules.overrides ? { overrides: rules.overrides } : {}),
    ...(educationExtraWaivedReason !== undefined ? { educationExtraWaivedReason } : {}),
  };
  const holds = currentHolds(input.calendar, ctx).filter((h) => h.id !== offer?.offerId);
  const writes: Write[] = [
    calendarWrite(input.calendar, [...holds, hold]),
    historyWrite(input.history, withStay(input.history, { id: placementId, from: input.startDate })),
    { kind: 'home-unchanged', homeId: home.id, version: input.home.version },
    { kind: 'placement', placement, expectedVersion: 0 },
    { kind: 'placing-council', laNumber: placement.placingLa },
    ...lapseWrites(input.offersOfReferral, ctx),
    ...rules.writes,
    {
      kind: 'referral',
      change: referralChange(record, 'placed', 'placement.admitted', ctx.decision, {
        placementId,
        homeId: home.id,
        bedId: bed.id,
        ...(offer ? { offerId: offer.offerId } : {}),
        ...rules.history,
      }),
    },
  ];
  if (offer) {
    writes.push({ kind: 'offer', offer: { ...offer, status: 'admitted', version: offer.version + 1, admittedAs: placementId }, expectedVersion: offer.version });
  }
  return { result: placement, writes };
}
