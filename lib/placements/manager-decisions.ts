import { randomUUID } from 'node:crypto';
import { decisionBy, type Caller } from '#lib/auth';
import type { Clock } from '#lib/clock';
import type { ReasonEpisodeCeased, ReasonPlacementChange } from '#lib/codes/ssda903';
import type { Home, OutOfUse, VersionedHome } from '#lib/estate';
import { admissionTarget, decideAdmission, repeatedAdmission } from './admission-decisions';
import type { DecisionContext } from './bed-rules';
import { commitDecision, momentOf } from './decision-commit';
import { NotFound } from './decision-errors';
import { decideHomeChange } from './estate-changes';
import { bedsGainingOutOfUse } from './estate-conflicts';
import type { BedHistory } from '#lib/time/bed-history';
import { ensureMayOverride, type OverrideRequest } from './overrides';
import { decideAcceptance, decideDecline, decideOffer, repeatedOffer } from './offer-decisions';
import { OfferReleases } from './offer-release';
import { decideEnd, decideMove, type Move } from './placement-changes';
import type { NotificationDispatcher } from './ports';
import type { PlacementStore } from './placement-store';
import type { OfferReleaser } from './ports';
import type { Extra, Offer, Placement } from './schema';
import type { Decided } from './writes';

/**
 * Every manager decision, made the one safe way: read the records at their
 * versions, decide (pure), and commit all writes in one transaction
 * conditioned on those versions. If another writer got there first, nothing
 * was written: read again and decide again, which now sees their change (and,
 * for a bed someone else took, refuses with a conflict).
 */

export interface OfferRequest {
  bedId: string;
  expiresAt?: string | undefined;
  override?: OverrideRequest | undefined;
}

export interface AdmissionRequest {
  bedId?: string | undefined;
  startDate: string;
  extras: Extra[];
  educationExtraWaivedReason?: string | undefined;
  override?: OverrideRequest | undefined;
}

export interface EndRequest {
  endDate: string;
  reasonPlacementChange: ReasonPlacementChange;
  planned?: boolean;
  reasonEpisodeCeased?: ReasonEpisodeCeased;
}

export interface MoveRequest {
  toBedId: string;
  date: string;
  reasonPlacementChange?: ReasonPlacementChange | undefined;
  planned?: boolean | undefined;
  override?: OverrideRequest | undefined;
}

export class ManagerDecisions implements OfferReleaser {
  constructor(
    private readonly store: PlacementStore,
    private readonly clock: Clock,
    private readonly newId: () => string = randomUUID,
    /** Hands a decision's notices for the regional inbox on once it is committed; without one, the outbox's sweep sends them. */
    private readonly notices?: NotificationDispatcher,
  ) {}

  offer(caller: Caller, referralId: string, request: OfferRequest): Promise<Offer> {
    ensureMayOverride(caller, request.override);
    return this.decide(caller, 'the referral', async (ctx) => {
      const [record, offersOfReferral, { home, calendar }] = await Promise.all([
        this.store.getReferral(referralId),
        this.store.offersOfReferral(referralId),
        this.bedAndCalendar(request.bedId),
      ]);
      if (!record) throw new NotFound('referral');
      const repeated = repeatedOffer(offersOfReferral, request, ctx.nowMs);
      if (repeated) return { writes: [], result: repeated };
      return decideOffer(
        { record, referralId, offersOfReferral, home, bedId: request.bedId, calendar, expiresAt: request.expiresAt, override: request.override },
        ctx,
      );
    });
  }

  accept(caller: Caller, offerId: string): Promise<Offer> {
    return this.decide(caller, 'the offer', async (ctx) => {
      const offer = await this.requireOffer(offerId);
      const [record, calendar] = await Promise.all([this.store.getReferral(offer.referralId), this.store.getCalendar(offer.homeId)]);
      return decideAcceptance({ offer, record, calendar }, ctx);
    });
  }

  decline(caller: Caller, offerId: string): Promise<Offer> {
    return this.decide(caller, 'the offer', async (ctx) => {
      const offer = await this.requireOffer(offerId);
      const [record, calendar] = await Promise.all([this.store.getReferral(offer.referralId), this.store.getCalendar(offer.homeId)]);
      return decideDecline({ offer, record, calendar }, ctx);
    });
  }

  admit(caller: Caller, referralId: string, request: AdmissionRequest): Promise<Placement> {
    ensureMayOverride(caller, request.override);
    return this.decide(caller, 'the referral', async (ctx) => {
      const [record, offersOfReferral] = await Promise.all([this.store.getReferral(referralId), this.store.offersOfReferral(referralId)]);
      if (!record) throw new NotFound('referral');
      if (record.status === 'placed') {
        const repeated = repeatedAdmission(await this.store.placementsOfReferral(referralId), request);
        if (repeated) return { writes: [], result: repeated };
      }
      const target = admissionTarget(record, referralId, offersOfReferral, request.bedId, ctx.nowMs);
      const { home, calendar, history } = await this.bedAndCalendar(target.bedId, target.homeId);
      return decideAdmission(
        {
          record,
          referralId,
          offersOfReferral,
          target,
          home,
          calendar,
          history,
          startDate: request.startDate,
          extras: request.extras,
          educationExtraWaivedReason: request.educationExtraWaivedReason,
          override: request.override,
        },
        ctx,
      );
    });
  }

  end(caller: Caller, placementId: string, request: EndRequest): Promise<Placement> {
    return this.decide(caller, 'the placement', async (ctx) => {
      const placement = await this.requirePlacement(placementId);
      const [calendar, history] = await Promise.all([this.store.getCalendar(placement.homeId), this.store.getBedHistory(placement.homeId, placement.bedId)]);
      return decideEnd({ placement, calendar, history, ...request }, ctx);
    });
  }

  move(caller: Caller, placementId: string, request: MoveRequest): Promise<Move> {
    ensureMayOverride(caller, request.override);
    return this.decide(caller, 'the placement', async (ctx) => {
      const placement = await this.requirePlacement(placementId);
      const [record, fromCalendar, fromHistory, { home: toHome, calendar, history: toHistory }] = await Promise.all([
        placement.referralId === undefined ? undefined : this.store.getReferral(placement.referralId),
        this.store.getCalendar(placement.homeId),
        this.store.getBedHistory(placement.homeId, placement.bedId),
        this.bedAndCalendar(request.toBedId),
      ]);
      const toCalendar = toHome.home.id === placement.homeId ? fromCalendar : calendar;
      return decideMove({ placement, record, fromCalendar, fromHistory, toHome, toCalendar, toHistory, ...request }, ctx);
    });
  }

  /** Creates or replaces a home's profile, refusing to remove or close a bed someone is held in. */
  putHome(caller: Caller, home: Home): Promise<VersionedHome> {
    return this.decide(caller, `home ${home.id}`, async (ctx) => {
      const [existing, calendar] = await Promise.all([this.store.getHome(home.id), this.store.getCalendar(home.id)]);
      return decideHomeChange({ existing, next: home, calendar, histories: await this.historiesGainingOutOfUse(existing, home) }, ctx);
    });
  }

  setOutOfUse(caller: Caller, homeId: string, bedId: string, periods: OutOfUse[]): Promise<VersionedHome> {
    return this.decide(caller, `home ${homeId}`, async (ctx) => {
      const [existing, calendar] = await Promise.all([this.store.getHome(homeId), this.store.getCalendar(homeId)]);
      if (!existing) throw new NotFound('home');
      if (!existing.home.beds.some((b) => b.id === bedId)) throw new NotFound('bed');
      const next: Home = { ...existing.home, beds: existing.home.beds.map((b) => (b.id === bedId ? { ...b, outOfUse: periods } : b)) };
      return decideHomeChange({ existing, next, calendar, histories: await this.historiesGainingOutOfUse(existing, next) }, ctx);
    });
  }

  /**
   * The referral was withdrawn: let go of every offer still holding a bed for
   * it. Safe to repeat (an offer released once is not released again).
   * @returns how many offers were released by this call
   */
  releaseOffersForReferral(referralId: string, reason: string, at: string): Promise<number> {
    return new OfferReleases(this.store, this.clock, this.notices).releaseOffersForReferral(referralId, reason, at);
  }

  private decide<T>(caller: Caller, what: string, decideOnce: (ctx: DecisionContext) => Promise<Decided<T>>): Promise<T> {
    return commitDecision({ store: this.store, clock: this.clock, notices: this.notices }, what, () => {
      const moment = momentOf(this.clock);
      return decideOnce({ ...moment, decision: decisionBy(caller, moment.nowMs), newId: this.newId });
    });
  }

  private async requireOffer(offerId: string): Promise<Offer> {
    const offer = await this.store.getOffer(offerId);
    if (!offer) throw new NotFound('offer');
    return offer;
  }

  private async requirePlacement(placementId: string): Promise<Placement> {
    const placement = await this.store.getPlacement(placementId);
    if (!placement) throw new NotFound('placement');
    return placement;
  }

  /** The histories of the beds gaining an out-of-use spell: the stays older than the calendar keeps. */
  private historiesGainingOutOfUse(existing: VersionedHome | undefined, next: Home): Promise<BedHistory[]> {
    return Promise.all(bedsGainingOutOfUse(existing?.home, next).map((bedId) => this.store.getBedHistory(next.id, bedId)));
  }

  /** The bed's home, the home's calendar and the bed's history, as stored now. */
  private async bedAndCalendar(bedId: string, knownHomeId?: string) {
    const homeId = knownHomeId ?? (await this.store.homeOfBed(bedId));
    if (!homeId) throw new NotFound('bed');
    const [home, calendar, history] = await Promise.all([this.store.getHome(homeId), this.store.getCalendar(homeId), this.store.getBedHistory(homeId, bedId)]);
    if (!home) throw new NotFound('home');
    return { home, calendar, history };
  }
}
