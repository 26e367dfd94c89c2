import type { Bed, Home } from '#lib/estate/schema';
import { everyExclusion } from '#lib/matching/hard-rules';
import { homeContext, referralContext, type ReferralContext } from '#lib/matching/match-context';
import type { HardRule } from '#lib/matching/proposal';
import type { DecisionHistoryEntry } from '#lib/referrals/decision-history';
import type { Referral } from '#lib/referrals/schema';
import { addDays, ageOn } from '#lib/time/calendar';
import type { DecisionContext } from './bed-rules';
import type { HomeCalendar } from './calendar';
import { ruleOnOverrides, type OverrideRequest } from './overrides';
import type { RuleOverride } from './schema';
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
 */

export interface DecisionRulesInput {
  /** The referral the child was referred with (for a move, the one it was admitted on). */
  referral: { referralId: string; version: number; referral: Referral };
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

export function decisionReferralContext(input: Pick<DecisionRulesInput, 'referral' | 'from' | 'to'>, nowMs: number): ReferralContext {
  const { referralId, version, referral } = input.referral;
  const to = input.to ?? addDays(input.from, referral.sought.expectedWeeks * 7);
  return {
    ...referralContext({ referralId, version, referral, asOf: new Date(nowMs).toISOString() }),
    period: { from: input.from, to },
    ageAtStart: ageOn(referral.child.dateOfBirth, input.from),
  };
}

/** Throws a 409 naming each rule broken and not overridden (or 403/400 for a bad override); else what to record. */
export function applyDecisionRules(input: DecisionRulesInput, ctx: DecisionContext): DecisionRulesOutcome {
  const ref = decisionReferralContext(input, ctx.nowMs);
  const broken = everyExclusion(ref, homeContext(input.home, input.calendar, ref), input.bed, BED_RULES_AT[input.givenWith.kind]);
  const inForce = input.inForce ?? [];
  const given = ruleOnOverrides({ broken, inForce, requested: input.override, givenWith: input.givenWith, decision: ctx.decision });
  const overrides = given ? [...inForce, given] : [...inForce];
  if (!given) return { ...(overrides.length > 0 ? { overrides } : {}), writes: [], history: {} };
  return {
    overrides,
    writes: [
      {
        kind: 'override-log',
        entry: { month: ctx.today.slice(0, 7), referralId: input.referral.referralId, homeId: input.home.id, bedId: input.bed.id, override: given },
      },
    ],
    history: { override: { rules: given.rules.map((r) => r.rule), reason: given.reason } },
  };
}
