import { weeklyChargePence, weeklyPriceBreakdown, type Bed, type Registration } from '#lib/estate';
import { formatPence } from '#lib/money';
import type { PlacementType } from '#lib/codes/ssda903';
import type { HomeContext, ReferralContext } from './match-context';
import type { HardRule } from './proposal';

/**
 * Hard rules exclude. Each returns the reason it excludes, or undefined when it
 * lets the home (or bed) through. They are tried in the order listed, and the
 * first that excludes is the one recorded, so the order is part of the answer.
 */

export interface HomeRule {
  id: HardRule;
  excludes(ref: ReferralContext, home: HomeContext): string | undefined;
}

export interface BedRule {
  id: HardRule;
  excludes(ref: ReferralContext, home: HomeContext, bed: Bed): string | undefined;
}

/**
 * The registration a home needs to take each placement type (Children's Homes
 * Regulations 2015 reg 14: a child is admitted only if the home's Statement of
 * Purpose, and so its registration, covers their needs). Placement types not
 * listed are not provided by a council's own homes (foster care, adoption …).
 */
export const REGISTRATION_FOR_PLACEMENT_TYPE: Partial<Record<PlacementType, Registration>> = {
  K1: 'secure-childrens-home',
  K2: 'childrens-home',
  K3: 'supported-accommodation',
  R3: 'residential-family-centre',
};

const list = (items: readonly string[]) => items.join(', ');

const placementType: HomeRule = {
  id: 'placement-type',
  excludes: (ref, { home }) => {
    const sought = ref.referral.sought.placementType;
    return home.placementTypes.includes(sought)
      ? undefined
      : `placement type ${sought} is not in the Statement of Purpose (${list(home.placementTypes)})`;
  },
};

const registration: HomeRule = {
  id: 'registration',
  excludes: (ref, { home }) => {
    const sought = ref.referral.sought.placementType;
    const needed = REGISTRATION_FOR_PLACEMENT_TYPE[sought];
    if (needed === home.registration) return undefined;
    return needed
      ? `placement type ${sought} needs a ${needed} registration; the home is registered as a ${home.registration}`
      : `placement type ${sought} is not provided by any registration in the estate`;
  },
};

const kind: HomeRule = {
  id: 'kind',
  excludes: (ref, { home }) => {
    const sought = ref.referral.sought.kind;
    return home.kinds.includes(sought) ? undefined : `a ${sought} placement is not offered (${list(home.kinds)})`;
  },
};

const age: HomeRule = {
  id: 'age',
  excludes: (ref, { home }) => {
    const [lo, hi] = home.ageRange;
    return ref.ageAtStart >= lo && ref.ageAtStart <= hi
      ? undefined
      : `the child is ${ref.ageAtStart} on ${ref.period.from}; the home takes ages ${lo} to ${hi}`;
  },
};

const sex: HomeRule = {
  id: 'sex',
  excludes: (ref, { home }) =>
    home.sexes.includes(ref.referral.child.sex) ? undefined : `the home takes ${list(home.sexes)} only`,
};

const needs: HomeRule = {
  id: 'needs',
  excludes: (ref, { home }) => {
    const outside = ref.referral.needs.filter((n) => !home.needsAccepted.includes(n));
    return outside.length === 0 ? undefined : `needs outside the Statement of Purpose: ${list(outside)}`;
  },
};

const risksExcluded: HomeRule = {
  id: 'risks-excluded',
  excludes: (ref, { home }) => {
    const excluded = home.risksExcluded.filter((r) => ref.child.risks.has(r));
    return excluded.length === 0 ? undefined : `the Statement of Purpose excludes ${list(excluded)}, a risk the child presents`;
  },
};

const pets: HomeRule = {
  id: 'pets',
  excludes: (ref, { home }) => {
    const answer = ref.referral.requirements.pets;
    if (answer === 'Yes - must' && !home.petsOnSite) return 'the child must live with pets; the home has none';
    if (answer === 'No' && home.petsOnSite) return 'the child cannot live with pets; the home has animals';
    return undefined;
  },
};

const capacity: HomeRule = {
  id: 'capacity',
  excludes: (_ref, { home, peakResidents }) =>
    peakResidents + 1 <= home.maxResidents
      ? undefined
      : `${peakResidents} children live there on some night of the period; the home takes at most ${home.maxResidents}`,
};

const livingCompanions: HomeRule = {
  id: 'living-companions',
  excludes: (ref, { home, residentsInPeriod }) => {
    const wish = ref.referral.requirements.livingCompanions;
    const others = residentsInPeriod.length;
    if (wish === 'Solo placement recommended') {
      if (!home.soloCapable) return 'a solo placement is recommended; the home is not set up for solo placements';
      if (others > 0) return `a solo placement is recommended; ${others} other child(ren) live or will live there during the period`;
    }
    if (wish === 'Only with other older children') {
      const notOlder = residentsInPeriod.filter((r) => r.dateOfBirth >= ref.child.dateOfBirth).length;
      if (notOlder > 0) return `only older children are recommended; ${notOlder} of ${others} child(ren) there during the period are not older`;
    }
    if (wish === 'Only with other younger children') {
      const notYounger = residentsInPeriod.filter((r) => r.dateOfBirth <= ref.child.dateOfBirth).length;
      if (notYounger > 0) return `only younger children are recommended; ${notYounger} of ${others} child(ren) there during the period are not younger`;
    }
    // "With other children recommended" is ranked, not excluded (see soft-rules.ts): an empty home may fill.
    if (wish === 'With other children recommended' && home.maxResidents === 1) {
      return 'living with other children is recommended; the home takes one child only';
    }
    return undefined;
  },
};

export const HOME_RULES: readonly HomeRule[] = [
  placementType,
  registration,
  kind,
  age,
  sex,
  needs,
  risksExcluded,
  pets,
  capacity,
  livingCompanions,
];

const keptForOwnChildren: BedRule = {
  id: 'bed-kept-for-own-children',
  excludes: (_ref, _home, bed) => (bed.sellable ? undefined : "kept back for the council's own children"),
};

const outOfUse: BedRule = {
  id: 'bed-out-of-use',
  excludes: (ref, _home, bed) => {
    const spell = bed.outOfUse.find((p) => (p.to === undefined || ref.period.from < p.to) && p.from < ref.period.to);
    if (!spell) return undefined;
    return `out of use from ${spell.from} ${spell.to ? `to ${spell.to}` : 'until further notice'} (${spell.reason})`;
  },
};

const held: BedRule = {
  id: 'bed-held',
  // The home's live holds of other children sharing a night with the period (as clashes() finds them), on this bed.
  excludes: (_ref, { holdsInPeriod }, bed) => {
    const other = holdsInPeriod.find((h) => h.bedId === bed.id);
    if (!other) return undefined;
    return `held by ${other.kind === 'offer' ? 'an offer' : 'a placement'} from ${other.from} ${other.to ? `to ${other.to}` : '(open-ended)'}, overlapping the nights sought`;
  },
};

const budget: BedRule = {
  id: 'budget',
  excludes: (ref, { home }, bed) => {
    const { maxWeeklyBudgetPence, educationPlaceRequired } = ref.referral.sought;
    const charge = weeklyChargePence(home, bed, educationPlaceRequired);
    if (charge <= maxWeeklyBudgetPence) return undefined;
    const price = weeklyPriceBreakdown(home, bed).weeklyPricePence;
    const education = charge - price;
    const detail = education > 0 ? ` (price ${formatPence(price)} + education place ${formatPence(education)})` : '';
    return `weekly charge ${formatPence(charge)}${detail} is over the budget of ${formatPence(maxWeeklyBudgetPence)}`;
  },
};

export const BED_RULES: readonly BedRule[] = [keptForOwnChildren, outOfUse, held, budget];

export type RuleOutcome = { excluded: false } | { excluded: true; rule: HardRule; reason: string };

export function firstHomeExclusion(ref: ReferralContext, home: HomeContext): RuleOutcome {
  for (const rule of HOME_RULES) {
    const reason = rule.excludes(ref, home);
    if (reason !== undefined) return { excluded: true, rule: rule.id, reason };
  }
  return { excluded: false };
}

export function firstBedExclusion(ref: ReferralContext, home: HomeContext, bed: Bed): RuleOutcome {
  for (const rule of BED_RULES) {
    const reason = rule.excludes(ref, home, bed);
    if (reason !== undefined) return { excluded: true, rule: rule.id, reason };
  }
  return { excluded: false };
}

/** A rule that excludes, and why: what a decision's refusal names, one per rule broken. */
export interface BrokenRule {
  rule: HardRule;
  reason: string;
}

/**
 * Every home rule that excludes (all of them, or those listed), in rule order,
 * then every listed bed rule: the same rule objects the matcher tries, but none
 * is skipped once one has excluded, so a decision can name each rule it breaks.
 */
export function everyExclusion(ref: ReferralContext, home: HomeContext, bed: Bed, bedRules: readonly HardRule[], homeRules?: readonly HardRule[]): BrokenRule[] {
  const broken: BrokenRule[] = [];
  for (const rule of HOME_RULES.filter((r) => homeRules === undefined || homeRules.includes(r.id))) {
    const reason = rule.excludes(ref, home);
    if (reason !== undefined) broken.push({ rule: rule.id, reason });
  }
  for (const rule of BED_RULES.filter((r) => bedRules.includes(r.id))) {
    const reason = rule.excludes(ref, home, bed);
    if (reason !== undefined) broken.push({ rule: rule.id, reason });
  }
  return broken;
}
