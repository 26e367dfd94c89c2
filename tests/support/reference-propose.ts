import type { EstateSnapshot } from '#lib/estate/estate-store';
import { emptyCalendar } from '#lib/estate/estate-items';
import { weeklyPricePence } from '#lib/estate/pricing';
import type { Bed, Home } from '#lib/estate/schema';
import { BED_RULES, HOME_RULES } from '#lib/matching/hard-rules';
import { referralContext, type HomeContext, type Nights, type Person, type ReferralContext, type ReferralToMatch } from '#lib/matching/match-context';
import { compareCandidates, compareIds, type Candidate, type Exclusion, type HardRule, type Proposal } from '#lib/matching/proposal';
import { SOFT_RULES, type SoftRuleOptions } from '#lib/matching/soft-rules';
import { addDays } from '#lib/time/calendar';
import { isLive, type Hold, type HomeCalendar } from '#lib/time/home-calendar';

/**
 * The matcher's answer worked out the plain way: the oracle the randomized comparison and the
 * worked examples check lib/matching/propose.ts against. Nothing is shared between beds: every bed of
 * every home is one row, tried against the rules in their order, and scored by every soft rule; who
 * lives in a home during the period is found night by night. It shares only the rules themselves
 * (hard-rules.ts, soft-rules.ts) and the referral's context, so a change to a rule changes both alike;
 * what it checks is everything the matcher does around them (the home's context, which exclusion is
 * recorded, the score, the order).
 */

type Row = { candidate: Candidate } | { exclusion: Exclusion };

export function referenceProposeMatches(request: ReferralToMatch, estate: EstateSnapshot, options: SoftRuleOptions = {}): Proposal {
  const ref = referralContext(request);
  const nights = nightsOf(ref.period);
  const rows = inIdOrder(estate.homes).flatMap((home): Row[] => {
    const context = new HomeAsRulesSeeIt(home, estate.calendars.get(home.id) ?? emptyCalendar(home.id), ref, nights);
    const homeBreach = firstBreach(HOME_RULES, (rule) => rule.excludes(ref, context));
    if (homeBreach) return [{ exclusion: { homeId: home.id, ...homeBreach } }];
    return inIdOrder(home.beds).map((bed): Row => {
      const bedBreach = firstBreach(BED_RULES, (rule) => rule.excludes(ref, context, bed));
      return bedBreach ? { exclusion: { homeId: home.id, bedId: bed.id, ...bedBreach } } : { candidate: candidate(ref, context, bed, options) };
    });
  });
  return {
    referralId: request.referralId,
    referralVersion: request.version,
    asOf: request.asOf,
    candidates: rows.flatMap((row) => ('candidate' in row ? [row.candidate] : [])).sort(compareCandidates),
    excluded: rows.flatMap((row) => ('exclusion' in row ? [row.exclusion] : [])),
  };
}

const inIdOrder = <T extends { id: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => compareIds(a.id, b.id));

/** Every night of the period, one date each. */
function nightsOf(period: Nights): string[] {
  const nights: string[] = [];
  for (let night = period.from; night < period.to; night = addDays(night, 1)) nights.push(night);
  return nights;
}

const covers = (hold: Hold, night: string) => hold.from <= night && (hold.to === undefined || night < hold.to);

/** The first rule, in rule order, that gives a reason to exclude. */
function firstBreach<R extends { id: HardRule }>(rules: readonly R[], reasonOf: (rule: R) => string | undefined): { rule: HardRule; reason: string } | undefined {
  for (const rule of rules) {
    const reason = reasonOf(rule);
    if (reason !== undefined) return { rule: rule.id, reason };
  }
  return undefined;
}

/**
 * The home for this referral, from first principles: another child's live hold counts on each night
 * it covers; a child is there during the period if one of their holds counts on one of its nights.
 * The calendar is read when a rule first asks (most homes are excluded before any rule looks).
 */
class HomeAsRulesSeeIt implements HomeContext {
  private facts: CalendarFacts | undefined;

  constructor(
    readonly home: Home,
    readonly calendar: HomeCalendar,
    private readonly ref: ReferralContext,
    private readonly nights: readonly string[],
  ) {}

  get otherLiveHolds(): Hold[] { return this.calendarFacts().others; }
  get holdsInPeriod(): Hold[] { return this.calendarFacts().inPeriod; }
  get residentsInPeriod(): Person[] { return this.calendarFacts().children; }
  get peakResidents(): number { return this.calendarFacts().peak; }

  private calendarFacts(): CalendarFacts {
    return (this.facts ??= calendarFacts(this.calendar.holds, this.ref, this.nights));
  }
}

interface CalendarFacts {
  others: Hold[];
  inPeriod: Hold[];
  children: Person[];
  peak: number;
}

function calendarFacts(holds: readonly Hold[], ref: ReferralContext, nights: readonly string[]): CalendarFacts {
  const others = holds.filter((h) => h.resident.referralId !== ref.referralId && isLive(h, ref.asOfMs));
  const inPeriod = others.filter((h) => nights.some((night) => covers(h, night)));
  return { others, inPeriod, children: childrenOf(inPeriod), peak: mostOnOneNight(inPeriod, nights) };
}

/** The most holds covering any one of the nights, counted night by night. */
function mostOnOneNight(holds: readonly Hold[], nights: readonly string[]): number {
  let most = 0;
  for (const night of nights) {
    let covering = 0;
    for (const hold of holds) if (covers(hold, night)) covering++;
    most = Math.max(most, covering);
  }
  return most;
}

/** One person per child, in the order the child first appears: a child is their referral, or (without one) the hold. */
function childrenOf(holds: readonly Hold[]): Person[] {
  const profiles = new Map(holds.map((h) => [h.resident.referralId ?? `hold:${h.id}`, h.resident]));
  return [...profiles.values()].map((r) => ({ dateOfBirth: r.dateOfBirth, risks: new Set(r.risks) }));
}

function candidate(ref: ReferralContext, context: HomeContext, bed: Bed, options: SoftRuleOptions): Candidate {
  const parts = SOFT_RULES.map((rule) => rule.score(ref, context, bed, options));
  let score = 0;
  for (const part of parts) score += part.points;
  const education = ref.referral.sought.educationPlaceRequired ? context.home.educationPlaceWeeklyPence : undefined;
  return {
    homeId: context.home.id,
    bedId: bed.id,
    score,
    weeklyPricePence: weeklyPricePence(context.home, bed),
    ...(education === undefined ? {} : { educationPlaceWeeklyPence: education }),
    parts,
  };
}
