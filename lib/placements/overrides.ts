import * as z from '#lib/validation';
import type { Caller, Decision, Role } from '#lib/auth';
import { HardRule, type BrokenRule } from '#lib/matching';
import { Refused } from '#lib/errors';
import { DecisionConflict, InvalidDecision } from './decision-errors';
import type { RuleOverride } from './schema';

/**
 * Overriding the matcher's hard rules at a decision (design §4): possible only
 * for the head of service, with a written reason, naming exactly the rules it
 * lets through. A rule broken but not named still refuses the decision.
 */

export const OVERRIDE_ROLES: readonly Role[] = ['head-of-service'];
export const MIN_OVERRIDE_REASON_CHARS = 20;

/**
 * The rules a decision applies, and so the only ones an override can name. The
 * bed's own availability (kept for own children, out of use, held) is never
 * overridden: a bed is made sellable or put back in use through the estate,
 * and no double booking holds whoever decides.
 */
const NOT_OVERRIDABLE = ['bed-kept-for-own-children', 'bed-out-of-use', 'bed-held'] as const;
type Overridable = Exclude<HardRule, (typeof NOT_OVERRIDABLE)[number]>;
export const OverridableRule = z.enum(HardRule.options.filter((rule): rule is Overridable => !(NOT_OVERRIDABLE as readonly HardRule[]).includes(rule)));
export type OverridableRule = z.infer<typeof OverridableRule>;

export const OverrideRequest = z.strictObject({
  rules: z.array(OverridableRule).check(
    z.minLength(1),
    z.maxLength(OverridableRule.options.length),
    z.refine((rules) => new Set(rules).size === rules.length, 'name each rule once'),
  ),
  reason: z.string().check(
    z.trim(),
    z.minLength(MIN_OVERRIDE_REASON_CHARS, `a written reason of at least ${MIN_OVERRIDE_REASON_CHARS} characters`),
    z.maxLength(2000),
  ),
});
export type OverrideRequest = z.infer<typeof OverrideRequest>;

/** 403 for anyone but the head of service who asks for an override, before anything is read or decided. */
export function ensureMayOverride(caller: Caller, override: OverrideRequest | undefined): void {
  if (override !== undefined && !caller.roles.some((role) => OVERRIDE_ROLES.includes(role))) {
    throw new Refused('override-not-permitted', 'only the head of service may override the hard rules');
  }
}

export interface OverrideRuling {
  /** What the decision breaks, every rule. */
  broken: readonly BrokenRule[];
  /** Overrides already given for this child and home (the offer admitted on; the placement moved within its home). */
  inForce: readonly RuleOverride[];
  requested: OverrideRequest | undefined;
  givenWith: RuleOverride['givenWith'];
  decision: Decision;
}

const list = (rules: readonly string[]) => rules.join(', ');

/**
 * Lets the decision through, or refuses it: 409 naming each broken rule no
 * override covers; 400 for an override naming a rule the decision does not
 * break. Returns the new override to record, if one was asked for.
 */
export function ruleOnOverrides(ruling: OverrideRuling): RuleOverride | undefined {
  const { broken, requested } = ruling;
  ensureMayOverride(ruling.decision.by, requested);
  const named = new Set<string>(requested?.rules ?? []);
  const carried = new Set<string>(ruling.inForce.flatMap((o) => o.rules.map((r) => r.rule)));
  const refusing = broken.filter((b) => !named.has(b.rule) && !carried.has(b.rule));
  if (refusing.length > 0) {
    const overridden = broken.filter((b) => !refusing.includes(b)).map((b) => b.rule);
    throw new DecisionConflict(
      'hard-rules',
      `the decision breaks the hard rule${refusing.length > 1 ? 's' : ''} ${list(refusing.map((b) => b.rule))}` +
        (overridden.length > 0 ? ` (overridden: ${list(overridden)})` : '') +
        '; only the head of service may override, with a written reason',
      { rules: refusing.map(({ rule, reason }) => ({ rule, reason })) },
    );
  }
  if (requested === undefined) return undefined;
  const notBroken = requested.rules.filter((rule) => !broken.some((b) => b.rule === rule));
  if (notBroken.length > 0) {
    throw new InvalidDecision(
      'override.rules',
      'invalid_value',
      `${list(notBroken)} ${notBroken.length > 1 ? 'are' : 'is'} not broken by this decision: an override names only the rules it lets through`,
    );
  }
  return {
    rules: broken.filter((b) => named.has(b.rule)).map(({ rule, reason }) => ({ rule, reason })),
    reason: requested.reason,
    givenWith: ruling.givenWith,
    decision: ruling.decision,
  };
}
