import { emptyCalendar, weeklyPricePence, type Bed, type EstateSnapshot, type Home } from '#lib/estate';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { firstBedExclusion, firstHomeExclusion } from './hard-rules';
import { homeContext, referralContext, type HomeContext, type ReferralContext, type ReferralToMatch } from './match-context';
import { compareCandidates, compareIds, type Candidate, type Exclusion, type Proposal } from './proposal';
import { bedScoreParts, homeScoreParts, scoreParts, type HomeParts, type SoftRuleOptions } from './soft-rules';

/**
 * Matching, pure: the same referral version and estate give the same proposal,
 * whatever order the homes arrive in. Homes are looked at in id order, every
 * list is sorted with id tie-breaks, and the only clock is the request's asOf.
 */

export type BedAssessment =
  | { kind: 'candidate'; candidate: Candidate }
  | { kind: 'excluded'; exclusion: Exclusion };

/**
 * One bed against one referral, given that the home passed the home-level rules. `homeParts`, where
 * given, are the home-level score parts already worked out for this home (see assessHome).
 */
export function assessBed(ref: ReferralContext, home: HomeContext, bed: Bed, options: SoftRuleOptions = {}, homeParts?: () => HomeParts): BedAssessment {
  const homeId = home.home.id;
  const outcome = firstBedExclusion(ref, home, bed);
  if (outcome.excluded) return { kind: 'excluded', exclusion: { homeId, bedId: bed.id, rule: outcome.rule, reason: outcome.reason } };
  const parts = homeParts ? bedScoreParts(ref, home, bed, homeParts(), options) : scoreParts(ref, home, bed, options);
  const education = ref.referral.sought.educationPlaceRequired ? home.home.educationPlaceWeeklyPence : undefined;
  return {
    kind: 'candidate',
    candidate: {
      homeId,
      bedId: bed.id,
      score: parts.reduce((sum, p) => sum + p.points, 0),
      weeklyPricePence: weeklyPricePence(home.home, bed),
      ...(education !== undefined ? { educationPlaceWeeklyPence: education } : {}),
      parts,
    },
  };
}

/**
 * Every bed of one home against one referral: the home's exclusion, or each bed's outcome. The
 * home-level score parts (all but occupancy) are worked out once, for the first bed that passes,
 * and shared by the home's other candidates: the same parts scoring each bed would give.
 */
export function assessHome(ref: ReferralContext, home: Home, calendar: HomeCalendar, options: SoftRuleOptions = {}): BedAssessment[] {
  const context = homeContext(home, calendar, ref);
  const outcome = firstHomeExclusion(ref, context);
  if (outcome.excluded) return [{ kind: 'excluded', exclusion: { homeId: home.id, rule: outcome.rule, reason: outcome.reason } }];
  const beds = [...home.beds].sort((a, b) => compareIds(a.id, b.id));
  let homeParts: HomeParts | undefined;
  const sharedParts = () => (homeParts ??= homeScoreParts(ref, context, beds[0]!, options));
  return beds.map((bed) => assessBed(ref, context, bed, options, sharedParts));
}

export function proposeMatches(request: ReferralToMatch, estate: EstateSnapshot, options: SoftRuleOptions = {}): Proposal {
  const ref = referralContext(request);
  const candidates: Candidate[] = [];
  const excluded: Exclusion[] = [];
  const homes = [...estate.homes].sort((a, b) => compareIds(a.id, b.id));
  for (const home of homes) {
    for (const outcome of assessHome(ref, home, estate.calendars.get(home.id) ?? emptyCalendar(home.id), options)) {
      if (outcome.kind === 'candidate') candidates.push(outcome.candidate);
      else excluded.push(outcome.exclusion);
    }
  }
  return {
    referralId: request.referralId,
    referralVersion: request.version,
    asOf: request.asOf,
    candidates: candidates.sort(compareCandidates),
    excluded,
  };
}
