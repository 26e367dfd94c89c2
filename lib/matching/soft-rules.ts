import { daysBetween } from '#lib/time/calendar';
import type { Bed, Registration } from '#lib/estate';
import type { Referral } from '#lib/referrals';
import type { HomeContext, ReferralContext } from './match-context';
import { districtDistance, postcodeParts, type DistrictCentroids } from './postcode-geography';
import type { ScorePart, SoftRule } from './proposal';
import { impactFindings } from './resident-impact';

/**
 * Soft rules rank the candidates that passed every hard rule. Each gives one
 * part of the score with the reason for it (zero points still say why), and
 * the score is their sum. Every threshold and weight is here, in one place.
 */

export interface SoftRuleOptions {
  centroids?: DistrictCentroids;
}

export interface SoftRuleDefinition {
  id: SoftRule;
  /** `home`: the part depends on the home, never on which of its beds (so a proposal works it out once per home). */
  level: 'home' | 'bed';
  score(ref: ReferralContext, home: HomeContext, bed: Bed, options: SoftRuleOptions): ScorePart;
}

const part = (rule: SoftRule, points: number, reason: string): ScorePart => ({ rule, points, reason });

/** The impact on the children already there, in both directions (resident-impact.ts). */
const residentImpact: SoftRuleDefinition = {
  id: 'resident-impact',
  level: 'home',
  score(ref, { residentsInPeriod }) {
    if (residentsInPeriod.length === 0) return part('resident-impact', 0, 'no other child lives there during the period');
    const findings = impactFindings(ref.child, residentsInPeriod);
    if (findings.length === 0) {
      return part('resident-impact', 0, `no concern between the child's risks and those of the ${residentsInPeriod.length} resident(s)`);
    }
    const points = findings.reduce((sum, f) => sum + f.points, 0);
    return part('resident-impact', points, findings.map((f) => `${f.reason} (${f.points})`).join('; '));
  },
};

/**
 * Straight-line miles from the child's home, as the 903 return measures
 * distance: 20 points less one per mile (rounded), none from 20 miles on,
 * the return's threshold for a placement far from home.
 */
export const DISTANCE_MAX_POINTS = 20;

export function distancePoints(miles: number): number {
  return Math.max(0, DISTANCE_MAX_POINTS - Math.round(miles));
}

const distance: SoftRuleDefinition = {
  id: 'distance',
  level: 'home',
  score(ref, { home }, _bed, { centroids }) {
    const result = districtDistance(ref.referral.child.homePostcode, home.postcode, centroids);
    if (result.kind === 'unknown') {
      return part('distance', 0, `distance unknown: no centroid for postcode district ${result.missingDistricts.join(', ')}`);
    }
    const points = distancePoints(result.miles);
    return points > 0
      ? part('distance', points, `${result.miles} miles from the child's home (between district centroids)`)
      : part('distance', 0, `${result.miles} miles from the child's home: 20 or more, the 903 return's threshold`);
  },
};

const education: SoftRuleDefinition = {
  id: 'education',
  level: 'home',
  score(ref, { home }, _bed, { centroids }) {
    const schoolSector = ref.referral.child.schoolPostcodeSector;
    if (!schoolSector) return part('education', 0, 'no school postcode sector in the referral');
    const school = postcodeParts(schoolSector);
    const here = postcodeParts(home.postcode);
    if (school.sector === here.sector) return part('education', 10, `the home is in the school's postcode sector (${here.sector})`);
    if (school.district === here.district) return part('education', 6, `the home is in the school's postcode district (${here.district})`);
    const apart = districtDistance(schoolSector, home.postcode, centroids);
    if (apart.kind === 'known' && apart.miles <= 5) {
      return part('education', 3, `the home is about ${apart.miles} miles from the school's district: the school can likely be kept`);
    }
    return part('education', 0, 'the home is not near the school: a change of school is likely');
  },
};

/** Signs in a referral that the child may need CAMHS, though it is not listed as a need. */
function mentalHealthSigns(ref: ReferralContext): string[] {
  const signs: string[] = [];
  if (ref.child.risks.has('self-harm')) signs.push('self-harm risk');
  if (ref.child.risks.has('eating-disorder')) signs.push('eating-disorder risk');
  if (ref.referral.needs.includes('emotional-behavioural')) signs.push('emotional-behavioural needs');
  return signs;
}

const camhs: SoftRuleDefinition = {
  id: 'camhs',
  level: 'home',
  score(ref, { home }) {
    const works = home.needsAccepted.includes('camhs');
    if (ref.referral.needs.includes('camhs')) return part('camhs', 5, 'CAMHS is a need of the child, and within the Statement of Purpose');
    const signs = mentalHealthSigns(ref);
    if (signs.length === 0) return part('camhs', 0, 'no CAMHS need in the referral');
    return works
      ? part('camhs', 5, `the home works with CAMHS; the referral shows ${signs.join(', ')}`)
      : part('camhs', 0, `the home does not list CAMHS; the referral shows ${signs.join(', ')}`);
  },
};

type Tonight = { void: true } | { void: false; freeFrom: string; why: 'occupied' | 'out of use' };

/** Whether a hold or out-of-use spell covers the night of `date`. */
const covers = (spell: { from: string; to?: string | undefined }, date: string) => spell.from <= date && (spell.to === undefined || date < spell.to);

/** Whether the bed is void tonight (no one in it, not out of use) or, if not, when it next is. */
function tonight(ref: ReferralContext, home: HomeContext, bed: Bed): Tonight {
  const holds = home.otherLiveHolds.filter((h) => h.bedId === bed.id && covers(h, ref.asOfDate));
  const outOfUse = bed.outOfUse.filter((spell) => covers(spell, ref.asOfDate));
  if (holds.length === 0 && outOfUse.length === 0) return { void: true };
  // The bed passed the hard rules, so whatever keeps it busy tonight ends by the needed-from date.
  const ends = [...holds, ...outOfUse].map((spell) => spell.to ?? ref.period.from).sort();
  return { void: false, freeFrom: ends[ends.length - 1]!, why: holds.length > 0 ? 'occupied' : 'out of use' };
}

/** Prefer filling a void sooner: a bed empty tonight earns the most, one freeing soon a little less. */
const occupancy: SoftRuleDefinition = {
  id: 'occupancy',
  level: 'bed',
  score(ref, home, bed) {
    const now = tonight(ref, home, bed);
    if (now.void) return part('occupancy', 10, 'void now: the bed is empty tonight, and filling it ends a void');
    const days = daysBetween(ref.asOfDate, now.freeFrom);
    const state = now.why === 'occupied' ? 'occupied' : 'out of use';
    return days <= 7
      ? part('occupancy', 6, `${state} tonight; free in ${days} day(s), from ${now.freeFrom}`)
      : part('occupancy', 3, `${state} tonight; free in ${days} days, from ${now.freeFrom}`);
  },
};

/** Which Placements Data Standard recommendation speaks to each registration. */
const RECOMMENDATION_FOR_REGISTRATION: Record<Registration, keyof Referral['recommendation']> = {
  'childrens-home': 'residentialCareSuitability',
  'secure-childrens-home': 'residentialCareSuitability',
  'residential-family-centre': 'residentialCareSuitability',
  'supported-accommodation': 'supportedAccommodationSuitability',
};

export const SUITABILITY_POINTS = {
  Preferred: 10,
  'Suitable but not preferred': 4,
  'Not specified': 0,
  Unsuitable: -20,
} as const;

const suitability: SoftRuleDefinition = {
  id: 'suitability',
  level: 'home',
  score(ref, { home }) {
    const field = RECOMMENDATION_FOR_REGISTRATION[home.registration];
    const answer = ref.referral.recommendation[field];
    return part('suitability', SUITABILITY_POINTS[answer], `${field} is "${answer}" for a ${home.registration}`);
  },
};

const companions: SoftRuleDefinition = {
  id: 'companions',
  level: 'home',
  score(ref, { residentsInPeriod }) {
    const wish = ref.referral.requirements.livingCompanions;
    const others = residentsInPeriod.length;
    if (wish === 'With other children recommended') {
      return others === 0
        ? part('companions', -10, 'living with other children is recommended; no other child lives there during the period yet')
        : part('companions', 5, `living with other children is recommended; ${others} other child(ren) live there during the period`);
    }
    if (wish === 'No preference') return part('companions', 0, 'no living-companions preference');
    return part('companions', 0, `"${wish}" is met (a hard rule)`);
  },
};

export const SOFT_RULES: readonly SoftRuleDefinition[] = [residentImpact, distance, education, camhs, occupancy, suitability, companions];

export function scoreParts(ref: ReferralContext, home: HomeContext, bed: Bed, options: SoftRuleOptions = {}): ScorePart[] {
  return SOFT_RULES.map((rule) => rule.score(ref, home, bed, options));
}

/** The home-level parts, worked out once for a home (any of its beds will do: they do not look at it). */
export type HomeParts = ReadonlyArray<ScorePart | undefined>;

export function homeScoreParts(ref: ReferralContext, home: HomeContext, anyBed: Bed, options: SoftRuleOptions = {}): HomeParts {
  return SOFT_RULES.map((rule) => (rule.level === 'home' ? rule.score(ref, home, anyBed, options) : undefined));
}

/** The same parts as scoreParts, taking the home-level ones from `homeParts`. */
export function bedScoreParts(ref: ReferralContext, home: HomeContext, bed: Bed, homeParts: HomeParts, options: SoftRuleOptions = {}): ScorePart[] {
  return SOFT_RULES.map((rule, i) => homeParts[i] ?? rule.score(ref, home, bed, options));
}
