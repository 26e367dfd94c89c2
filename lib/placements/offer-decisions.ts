import { weeklyPricePence, type VersionedHome } from '#lib/estate';
import { referralChange, type Referral, type ReferralRecord } from '#lib/referrals';
import { addDays } from '#lib/time/calendar';
import type { HomeCalendar, Hold } from '#lib/time/home-calendar';
import { currentHolds, ensureBedAvailable, residentOf, type DecisionContext, type Moment } from './bed-rules';
import { DecisionConflict, InvalidDecision } from './decision-errors';
import { applyDecisionRules } from './decision-rules';
import type { OverrideRequest } from './overrides';
import type { Offer } from './schema';
import { calendarWrite, type Decided, type Write } from './writes';

/**
 * Offering a bed to a referral, and what the placing council answers. An
 * offer holds the bed for the referral's dates until it is accepted,
 * declined, or lapses at `expiresAt`; once accepted it holds until admission.
 */

export const DEFAULT_OFFER_HOURS = 48;
export const MAX_OFFER_DAYS = 14;
const HOUR_MS = 3_600_000;

/** An offer still waiting for the placing council, its time not yet run out. */
export const isPending = (offer: Offer, nowMs: number): boolean => offer.status === 'offered' && Date.parse(offer.expiresAt) > nowMs;

/** An offer that ran out unanswered (its hold no longer counts). */
export const hasLapsed = (offer: Offer, nowMs: number): boolean => offer.status === 'offered' && !isPending(offer, nowMs);

/**
 * The offer a request repeats: the referral's offer of the same bed still waiting for the placing council (with
 * the same expiry, where one is asked for). A manager whose offer was made but whose answer was lost (a timeout,
 * a dropped connection) and who sends it again is answered with that offer, not told the referral is offered.
 */
export function repeatedOffer(offers: readonly Offer[], request: { bedId: string; expiresAt?: string | undefined }, nowMs: number): Offer | undefined {
  return offers.find(
    (o) => isPending(o, nowMs) && o.bedId === request.bedId && (request.expiresAt === undefined || Date.parse(o.expiresAt) === Date.parse(request.expiresAt)),
  );
}

/** The nights sought: from when needed (today at the earliest) for the expected weeks. */
export function soughtPeriod(referral: Referral, today: string): { from: string; to: string } {
  const from = referral.sought.neededFrom > today ? referral.sought.neededFrom : today;
  return { from, to: addDays(from, referral.sought.expectedWeeks * 7) };
}

export function activeReferral(record: ReferralRecord | undefined, referralId: string): ReferralRecord & { referral: Referral } {
  if (!record?.referral) throw new DecisionConflict('referral-status', `the referral has no details to act on`);
  if (record.status === 'placed' || record.status === 'withdrawn') {
    throw new DecisionConflict('referral-status', `the referral is ${record.status}`);
  }
  return record as ReferralRecord & { referral: Referral };
}

/** Marks offers that ran out unanswered as lapsed, so the referral can be offered again. */
export function lapseWrites(offers: readonly Offer[], ctx: Moment): Write[] {
  const at = new Date(ctx.nowMs).toISOString();
  return offers
    .filter((o) => hasLapsed(o, ctx.nowMs))
    .map((o) => ({ kind: 'offer', offer: { ...o, status: 'lapsed', version: o.version + 1, lapsed: { at, reason: 'expired' } }, expectedVersion: o.version }));
}

/** The referral's status once lapsed offers are set aside: an `offered` referral whose every offer lapsed is open again. */
export function effectiveStatus(record: ReferralRecord, offers: readonly Offer[], nowMs: number): ReferralRecord['status'] {
  if (record.status === 'offered' && !offers.some((o) => isPending(o, nowMs))) return 'open';
  return record.status;
}

export interface OfferInput {
  record: ReferralRecord | undefined;
  referralId: string;
  offersOfReferral: readonly Offer[];
  home: VersionedHome;
  bedId: string;
  calendar: HomeCalendar;
  expiresAt?: string | undefined;
  /** The head of service letting the offer through hard rules it breaks. */
  override?: OverrideRequest | undefined;
}

export function decideOffer(input: OfferInput, ctx: DecisionContext): Decided<Offer> {
  const record = activeReferral(input.record, input.referralId);
  const status = effectiveStatus(record, input.offersOfReferral, ctx.nowMs);
  if (status !== 'open') {
    throw new DecisionConflict('referral-status', `the referral is ${status}: decline its offer before offering another bed`);
  }
  const expiresAt = offerExpiry(input.expiresAt, ctx.nowMs);
  const period = soughtPeriod(record.referral, ctx.today);
  const { home } = input.home;
  // An offer starts today at the earliest: the calendar sees every hold on its nights.
  const bed = ensureBedAvailable(home, input.bedId, input.calendar, undefined, period, ctx);
  const offerId = ctx.newId();
  const rules = applyDecisionRules(
    { referral: record, home, calendar: input.calendar, bed, ...period, givenWith: { kind: 'offer', id: offerId }, override: input.override },
    ctx,
  );

  const hold: Hold = { id: offerId, bedId: bed.id, kind: 'offer', ...period, expiresAt, resident: residentOf(record.referral) };
  const offer: Offer = {
    offerId,
    referralId: record.referralId,
    placingLa: record.referral.placingAuthority.laNumber,
    homeId: home.id,
    bedId: bed.id,
    ...period,
    weeklyPricePence: weeklyPricePence(home, bed),
    expiresAt,
    status: 'offered',
    version: 1,
    offered: ctx.decision,
    ...(rules.overrides ? { overrides: rules.overrides } : {}),
  };
  return {
    result: offer,
    writes: [
      calendarWrite(input.calendar, [...currentHolds(input.calendar, ctx), hold]),
      { kind: 'home-unchanged', homeId: home.id, version: input.home.version },
      { kind: 'offer', offer, expectedVersion: 0 },
      ...lapseWrites(input.offersOfReferral, ctx),
      ...rules.writes,
      {
        kind: 'referral',
        change: referralChange(record, 'offered', 'offer.made', ctx.decision, { offerId, homeId: home.id, bedId: bed.id, ...rules.history }),
      },
    ],
  };
}

function offerExpiry(requested: string | undefined, nowMs: number): string {
  if (requested === undefined) return new Date(nowMs + DEFAULT_OFFER_HOURS * HOUR_MS).toISOString();
  const at = Date.parse(requested);
  if (at <= nowMs) throw new InvalidDecision('expiresAt', 'too_small', 'expiresAt must be in the future');
  if (at > nowMs + MAX_OFFER_DAYS * 24 * HOUR_MS) {
    throw new InvalidDecision('expiresAt', 'too_big', `an offer may hold a bed for at most ${MAX_OFFER_DAYS} days before it is accepted`);
  }
  return new Date(at).toISOString();
}

function ensureOfferIs(offer: Offer, allowed: readonly Offer['status'][], ctx: Moment): void {
  if (hasLapsed(offer, ctx.nowMs)) throw new DecisionConflict('offer-expired', `the offer lapsed at ${offer.expiresAt}`);
  if (!allowed.includes(offer.status)) throw new DecisionConflict('offer-status', `the offer is ${offer.status}`);
}

export interface OfferAnswerInput {
  offer: Offer;
  record: ReferralRecord | undefined;
  calendar: HomeCalendar;
}

/** The placing council accepted: the hold no longer lapses, and the referral is accepted. */
export function decideAcceptance(input: OfferAnswerInput, ctx: DecisionContext): Decided<Offer> {
  const { offer, calendar } = input;
  ensureOfferIs(offer, ['offered'], ctx);
  const record = activeReferral(input.record, offer.referralId);
  if (!calendar.holds.some((h) => h.id === offer.offerId)) {
    throw new DecisionConflict('offer-expired', `the offer no longer holds its bed`);
  }
  const holds = currentHolds(calendar, ctx).map((h) => (h.id === offer.offerId ? withoutExpiry(h) : h));
  const accepted: Offer = { ...offer, status: 'accepted', version: offer.version + 1, accepted: ctx.decision };
  return {
    result: accepted,
    writes: [
      calendarWrite(calendar, holds),
      { kind: 'offer', offer: accepted, expectedVersion: offer.version },
      { kind: 'referral', change: referralChange(record, 'accepted', 'offer.accepted', ctx.decision, { offerId: offer.offerId }) },
    ],
  };
}

function withoutExpiry({ expiresAt: _accepted, ...hold }: Hold): Hold {
  return hold;
}

/** The placing council declined (or the manager took the offer back): the bed is free and the referral open again. */
export function decideDecline(input: OfferAnswerInput, ctx: DecisionContext): Decided<Offer> {
  const { offer, calendar } = input;
  if (!['offered', 'accepted'].includes(offer.status)) throw new DecisionConflict('offer-status', `the offer is ${offer.status}`);
  const declined: Offer = { ...offer, status: 'declined', version: offer.version + 1, declined: ctx.decision };
  const writes: Write[] = [
    calendarWrite(calendar, currentHolds(calendar, ctx).filter((h) => h.id !== offer.offerId)),
    { kind: 'offer', offer: declined, expectedVersion: offer.version },
  ];
  const record = input.record;
  if (record && (record.status === 'offered' || record.status === 'accepted')) {
    writes.push({ kind: 'referral', change: referralChange(record, 'open', 'offer.declined', ctx.decision, { offerId: offer.offerId }) });
  }
  return { result: declined, writes };
}

/** The referral was withdrawn: let go of the offer's hold. Not a person's decision, so no referral history. */
export function decideRelease(offer: Offer, calendar: HomeCalendar, reason: string, at: string, moment: Moment): Decided<Offer> | undefined {
  if (offer.status !== 'offered' && offer.status !== 'accepted') return undefined;
  const released: Offer = { ...offer, status: 'released', version: offer.version + 1, released: { at, reason } };
  return {
    result: released,
    writes: [
      calendarWrite(calendar, currentHolds(calendar, moment).filter((h) => h.id !== offer.offerId)),
      { kind: 'offer', offer: released, expectedVersion: offer.version },
    ],
  };
}
