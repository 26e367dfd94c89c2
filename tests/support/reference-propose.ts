import type { EstateSnapshot } from '#lib/estate/estate-store';
import { emptyCalendar } from '#lib/estate/estate-items';
import { weeklyPricePence } from '#lib/estate/pricing';
import type { Bed, Home } from '#lib/estate/schema';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { firstBedExclusion, firstHomeExclusion } from '#lib/matching/hard-rules';
import { homeContext, referralContext, type HomeContext, type ReferralContext, type ReferralToMatch } from '#lib/matching/match-context';
import { compareCandidates, compareIds, type Candidate, type Exclusion, type Proposal } from '#lib/matching/proposal';
import { scoreParts, type SoftRuleOptions } from '#lib/matching/soft-rules';

/**
 * The matcher's ranking as it was before the estate cache and home-level scoring (lib/matching/propose.ts
 * at that change), kept as the reference the randomized comparison checks the current one against:
 * every bed scored by every soft rule, every home's context built from the whole calendar. It shares
 * the rules themselves (hard-rules.ts, soft-rules.ts), so a change to a rule changes both alike.
 */

type BedAssessment =
  | { kind: 'candidate'; candidate: Candidate }
  | { kind: 'excluded'; exclusion: Exclusion };

/** One bed against one referral, given that the home passed the home-level rules. */
function assessBed(ref: ReferralContext, home: HomeContext, bed: Bed, options: SoftRuleOptions = {}): BedAssessment {
  const homeId = home.home.id;
  const outcome = firstBedExclusion(ref, home, bed);
  if (outcome.excluded) return { kind: 'excluded', exclusion: { homeId, bedId: bed.id, rule: outcome.rule, reason: outcome.reason } };
  const parts = scoreParts(ref, home, bed, options);
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

/** Every bed of one home against one referral: the home's exclusion, or each bed's outcome. */
function assessHome(ref: ReferralContext, home: Home, calendar: HomeCalendar, options: SoftRuleOptions = {}): BedAssessment[] {
  const context = homeContext(home, calendar, ref);
  const outcome = firstHomeExclusion(ref, context);
  if (outcome.excluded) return [{ kind: 'excluded', exclusion: { homeId: home.id, rule: outcome.rule, reason: outcome.reason } }];
  return [...home.beds].sort((a, b) => compareIds(a.id, b.id)).map((bed) => assessBed(ref, context, bed, options));
}

export function referenceProposeMatches(request: ReferralToMatch, estate: EstateSnapshot, options: SoftRuleOptions = {}): Proposal {
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
