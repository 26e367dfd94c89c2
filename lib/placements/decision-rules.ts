import type { Bed, Home } from '#lib/estate';
import { everyExclusion, homeContext, referralContext, type BrokenRule, type HardRule, type ReferralContext } from '#lib/matching';
import type { DecisionHistoryEntry, Referral } from '#lib/referrals';
import { addDays, ageOn, londonDateAt } from '#lib/time/calendar';
import type { DecisionContext } from './bed-rules';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { ruleOnOverrides, type OverrideRequest } from './overrides';
import type { Placement, RuleOverride } from './schema';
import type { Write } from './writes';

/**
 * The matcher's hard rules at a decision that places a child (design §4):
 * an offer, an admission or a move applies the same rule objects the matcher
 * does (lib/matching/hard-rules.ts), at the decision's own dates, against the
 * children living in (or offered a bed at) the home then, and names every
 * rule it breaks. The bed's availability is checked before, by the decision
 * itself (bed-rules.ts), and is never overridden.
 *
 * The nights judged: an offer's own nights (what it holds); an admission's
 * and a move's first night for the referral's expected weeks, as the matcher
 * judges a referral (the stay itself is open-ended).
 *
 * `budget` applies to offers and admissions, which set what the placing
 * council is charged; a move keeps the placement's agreed price and extras,
 * so the new bed's price does not reach the council and the rule is not tried.
 *
 * A placement loaded at go-live came with no referral: moving it, only the
 * rules its own record answers are tried (PLACEMENT_ONLY_RULES: its placement
 * type, the child's date of birth, sex and risks), over the move's first night.
 */

export interface DecisionRulesInput {
  /** The referral the child was referred with (for a move, the one it was admitted on); absent for a placement loaded at go-live. */
  referral: { referralId: string; version: number; referral: Referral } | undefined;
  /** For a move, the placement moving: its own hold never counts against it, and without a referral it is all there is to judge. */
  moving?: Placement;
  home: Home;
  calendar: HomeCalendar;
  bed: Bed;
  /** The first night the decision gives the child the bed. */
  from: string;
  /** The leaving day of an offer's nights; absent for an admission or move (expected weeks from `from`). */
  to?: string;
  givenWith: RuleOverride['givenWith'];
  override?: OverrideRequest | undefined;
  /** Overrides already given for this child in this home, which carry on. */
  inForce?: readonly RuleOverride[] | undefined;
}

export interface DecisionRulesOutcome {
  /** For the offer or placement decided: the overrides carried, then the new one. */
  overrides?: RuleOverride[];
  /** The new override's entry in the override log, if one was given. */
  writes: Write[];
  /** For the referral's history entry, if an override was given. */
  history: Pick<DecisionHistoryEntry, 'override'>;
}

/** The bed rules a decision tries after its own availability checks. */
const BED_RULES_AT: Record<RuleOverride['givenWith']['kind'], readonly HardRule[]> = {
  offer: ['budget'],
  admission: ['budget'],
  move: [],
};

/** The rules a go-live placement's own record answers; the others (kind, needs, pets, living companions) need its referral. */
export const PLACEMENT_ONLY_RULES: readonly HardRule[] = ['placement-type', 'registration', 'age', 'sex', 'risks-excluded', 'capacity'];

export function decisionReferralContext(
  input: Pick<DecisionRulesInput, 'from' | 'to'> & { referral: NonNullable<DecisionRulesInput['referral']> },
  nowMs: number,
): ReferralContext {
  const { referralId, version, referral } = input.referral;
  const to = input.to ?? addDays(input.from, referral.sought.expectedWeeks * 7);
  return {
    ...referralContext({ referralId, version, referral, asOf: new Date(nowMs).toISOString() }),
    period: { from: input.from, to },
    ageAtStart: ageOn(referral.child.dateOfBirth, input.from),
  };
}

/**
 * A go-live placement's child as the rules in PLACEMENT_ONLY_RULES see it. Only the referral fields those
 * rules read are there (the placement type sought, the child's sex): the others are never tried on it.
 */
function placementOnlyContext(placement: Placement, from: string, nowMs: number): ReferralContext {
  const { resident } = placement;
  const referral = { sought: { placementType: placement.placementType }, child: { sex: resident.sex } } as Referral;
  return {
    referralId: `placement:${placement.placementId}`,
    version: 0,
    referral,
    asOf: new Date(nowMs).toISOString(),
    asOfMs: nowMs,
    asOfDate: londonDateAt(nowMs),
    period: { from, to: addDays(from, 1) },
    ageAtStart: ageOn(resident.dateOfBirth, from),
    child: { dateOfBirth: resident.dateOfBirth, risks: new Set(resident.risks) },
  };
}

function brokenRules(input: DecisionRulesInput, nowMs: number): BrokenRule[] {
  const { moving } = input;
  const calendar = moving ? { ...input.calendar, holds: input.calendar.holds.filter((h) => h.id !== moving.placementId) } : input.calendar;
  const bedRules = BED_RULES_AT[input.givenWith.kind];
  if (input.referral) {
    const ref = decisionReferralContext({ ...input, referral: input.referral }, nowMs);
    return everyExclusion(ref, homeContext(input.home, calendar, ref), input.bed, bedRules);
  }
  if (!moving) throw new Error('a decision without a referral is a move of a placement loaded at go-live');
  const ref = placementOnlyContext(moving, input.from, nowMs);
  return everyExclusion(ref, homeContext(input.home, calendar, ref), input.bed, bedRules, PLACEMENT_ONLY_RULES);
}

/** Throws a 409 naming each rule broken and not overridden (or 403/400 for a bad override); else what to record. */
export function applyDecisionRules(input: DecisionRulesInput, ctx: DecisionContext): DecisionRulesOutcome {
  const broken = brokenRules(input, ctx.nowMs);
  const inForce = input.inForce ?? [];
  const given = ruleOnOverrides({ broken, inForce, requested: input.override, givenWith: input.givenWith, decision: ctx.decision });
  const overrides = given ? [...inForce, given] : [...inForce];
  if (!given) return { ...(overrides.length > 0 ? { overrides } : {}), writes: [], history: {} };
  const referralId = input.referral?.referralId ?? input.moving?.referralId;
  return {
    overrides,
    writes: [
      {
        kind: 'override-log',
        entry: {
          month: ctx.today.slice(0, 7),
          ...(referralId !== undefined ? { referralId } : {}),
          homeId: input.home.id,
          bedId: input.bed.id,
          override: given,
        },
      },
    ],
    history: { override: { rules: given.rules.map((r) => r.rule), reason: given.reason } },
  };
}
