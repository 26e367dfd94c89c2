import type { Home } from '#lib/estate';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { firstHomeExclusion } from './hard-rules';
import { homeContext, referralContext, type ReferralToMatch } from './match-context';
import { compareIds, type Candidate, type HardRule } from './proposal';
import { assessBed } from './propose';
import type { SoftRuleOptions } from './soft-rules';

/**
 * The other way round: many open referrals against ONE bed, with the same
 * rules and scores as a proposal, so "the referrals that fit this bed best"
 * (void-bed alerts) agree with what each referral's proposal says.
 */

export interface ReferralFit extends Candidate {
  referralId: string;
  referralVersion: number;
}

export interface ReferralMisfit {
  referralId: string;
  referralVersion: number;
  rule: HardRule;
  reason: string;
}

export interface BedRanking {
  homeId: string;
  bedId: string;
  /** Referrals the bed fits, best first (ties by referral id). */
  fits: ReferralFit[];
  /** Referrals it does not fit, by referral id, with the first rule that excluded each. */
  misfits: ReferralMisfit[];
}

export function rankReferralsForBed(
  referrals: readonly ReferralToMatch[],
  home: Home,
  calendar: HomeCalendar,
  bedId: string,
  options: SoftRuleOptions = {},
): BedRanking {
  const bed = home.beds.find((b) => b.id === bedId);
  if (!bed) throw new RangeError(`home ${home.id} has no bed ${bedId}`);
  const fits: ReferralFit[] = [];
  const misfits: ReferralMisfit[] = [];
  for (const request of referrals) {
    const ref = referralContext(request);
    const context = homeContext(home, calendar, ref);
    const who = { referralId: request.referralId, referralVersion: request.version };
    const homeOutcome = firstHomeExclusion(ref, context);
    if (homeOutcome.excluded) {
      misfits.push({ ...who, rule: homeOutcome.rule, reason: homeOutcome.reason });
      continue;
    }
    const outcome = assessBed(ref, context, bed, options);
    if (outcome.kind === 'candidate') fits.push({ ...who, ...outcome.candidate });
    else misfits.push({ ...who, rule: outcome.exclusion.rule, reason: outcome.exclusion.reason });
  }
  return {
    homeId: home.id,
    bedId,
    fits: fits.sort((a, b) => b.score - a.score || compareIds(a.referralId, b.referralId)),
    misfits: misfits.sort((a, b) => compareIds(a.referralId, b.referralId)),
  };
}
