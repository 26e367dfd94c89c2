import { addDays, ageOn, londonDateAt } from '#lib/time/calendar';
import type { Home } from '#lib/estate';
import type { Risk } from '#lib/codes/pds-risks';
import { isLive, type Hold, type HomeCalendar, type ResidentProfile } from '#lib/time/home-calendar';
import { sharesNight } from '#lib/time/period';
import type { Referral } from '#lib/referrals';
import { presentRisks } from './risks';

/** What matching is asked: one version of one referral, as at an instant. */
export interface ReferralToMatch {
  referralId: string;
  version: number;
  referral: Referral;
  /** ISO instant the answer is worked out for (offers expire against it; "tonight" is its London date). */
  asOf: string;
}

/** A nights period: from the first night to the leaving day (exclusive). */
export interface Nights {
  from: string;
  to: string;
}

/** A child as the rules compare children: date of birth and the risks they present. Never a name. */
export interface Person {
  dateOfBirth: string;
  risks: ReadonlySet<Risk>;
}

/** Everything the rules need to know about the referral, worked out once. */
export interface ReferralContext {
  referralId: string;
  version: number;
  referral: Referral;
  asOf: string;
  asOfMs: number;
  /** The Europe/London date at asOf: the night called "tonight". */
  asOfDate: string;
  /** The nights sought: needed-from for expected weeks × 7 nights. */
  period: Nights;
  /** The child's age on the needed-from date. */
  ageAtStart: number;
  child: Person;
}

export function referralContext(request: ReferralToMatch): ReferralContext {
  const { referral } = request;
  const asOfMs = Date.parse(request.asOf);
  if (Number.isNaN(asOfMs)) throw new RangeError('asOf must be an ISO instant');
  const from = referral.sought.neededFrom;
  return {
    referralId: request.referralId,
    version: request.version,
    referral,
    asOf: request.asOf,
    asOfMs,
    asOfDate: londonDateAt(asOfMs),
    period: { from, to: addDays(from, referral.sought.expectedWeeks * 7) },
    ageAtStart: ageOn(referral.child.dateOfBirth, from),
    child: { dateOfBirth: referral.child.dateOfBirth, risks: new Set(presentRisks(referral.risks)) },
  };
}

/** A home as the rules see it for one referral: who else lives (or is offered a bed) there during its period. */
export interface HomeContext {
  home: Home;
  calendar: HomeCalendar;
  /** Live holds of other children on any bed of the home, whatever their nights (otherLiveHolds). */
  otherLiveHolds: Hold[];
  /** Live holds of other children sharing a night with the period, on any bed of the home. */
  holdsInPeriod: Hold[];
  /** The children behind those holds, one each (a child moving between beds counts once). */
  residentsInPeriod: Person[];
  /** Most children living there on any one night of the period. */
  peakResidents: number;
}

/** Holds that count against this referral: live ones, other than the referral's own (an offer it already has). */
export function otherLiveHolds(calendar: HomeCalendar, ref: ReferralContext): Hold[] {
  return calendar.holds.filter((h) => h.resident.referralId !== ref.referralId && isLive(h, ref.asOfMs));
}

/**
 * The home as the rules see it for this referral. What is worked out from the calendar (who is there
 * during the period) is worked out when a rule first asks, once: most homes of an estate are excluded
 * by a rule that never looks (placement type, registration, age …).
 */
export function homeContext(home: Home, calendar: HomeCalendar, ref: ReferralContext): HomeContext {
  return new LazyHomeContext(home, calendar, ref);
}

class LazyHomeContext implements HomeContext {
  private live: Hold[] | undefined;
  private holds: Hold[] | undefined;
  private residents: Person[] | undefined;
  private peak: number | undefined;

  constructor(
    readonly home: Home,
    readonly calendar: HomeCalendar,
    private readonly ref: ReferralContext,
  ) {}

  get otherLiveHolds(): Hold[] {
    return (this.live ??= otherLiveHolds(this.calendar, this.ref));
  }

  get holdsInPeriod(): Hold[] {
    return (this.holds ??= this.otherLiveHolds.filter((h) => sharesNight(h, this.ref.period)));
  }

  get residentsInPeriod(): Person[] {
    if (this.residents) return this.residents;
    const residents = new Map<string, ResidentProfile>();
    for (const hold of this.holdsInPeriod) residents.set(hold.resident.referralId ?? `hold:${hold.id}`, hold.resident);
    return (this.residents = [...residents.values()].map((r) => ({ dateOfBirth: r.dateOfBirth, risks: new Set(r.risks) })));
  }

  get peakResidents(): number {
    return (this.peak ??= peakOccupancy(this.holdsInPeriod, this.ref.period));
  }
}

/**
 * The most holds covering one night of the period. Occupancy only rises on a
 * night some hold starts, so those nights (and the first) are the only ones to count.
 */
export function peakOccupancy(holds: readonly Hold[], period: Nights): number {
  const nights = [period.from, ...holds.map((h) => h.from).filter((f) => f > period.from && f < period.to)];
  let peak = 0;
  for (const night of nights) {
    const covering = holds.filter((h) => h.from <= night && (h.to === undefined || night < h.to)).length;
    peak = Math.max(peak, covering);
  }
  return peak;
}
