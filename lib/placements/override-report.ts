import * as z from '#lib/validation';
import { HardRule } from '#lib/codes/hard-rule-names';
import { compareIds } from '#lib/matching';
import { nextMonth, type Month } from '#lib/time/calendar';
import { RuleOverride } from './schema';

/**
 * The override log and its report: every override of the hard rules, kept by
 * the month (Europe/London) it was given in, written in the same transaction
 * as its decision. The report counts them by rule, by person and by month and
 * lists each one. Pure.
 */

export const OverrideLogEntry = z.object({
  month: z.string(),
  /** Absent for the move of a placement loaded at go-live (no referral came with it). */
  referralId: z.optional(z.string()),
  homeId: z.string(),
  bedId: z.string(),
  override: RuleOverride,
});
export type OverrideLogEntry = z.infer<typeof OverrideLogEntry>;

export const OverrideReport = z.object({
  from: z.string(),
  to: z.string(),
  /** Decisions let through by an override. */
  count: z.int(),
  /** One per rule overridden: a decision overriding three rules counts once under each. */
  byRule: z.array(z.object({ rule: HardRule, count: z.int() })),
  byPerson: z.array(z.object({ subject: z.string(), name: z.string(), count: z.int() })),
  /** Every month of the report, none left out for having no override. */
  byMonth: z.array(z.object({ month: z.string(), count: z.int() })),
  overrides: z.array(
    z.object({
      at: z.iso.datetime(),
      decision: z.enum(['offer', 'admission', 'move']),
      /** The offer's id for an offer; the placement's for an admission or move. */
      id: z.string(),
      referralId: z.optional(z.string()),
      homeId: z.string(),
      bedId: z.string(),
      rules: z.array(z.object({ rule: HardRule, reason: z.string() })),
      reason: z.string(),
      by: z.object({ subject: z.string(), name: z.string() }),
    }),
  ),
});
export type OverrideReport = z.infer<typeof OverrideReport>;

export function monthsFrom(from: Month, to: Month): Month[] {
  const months: Month[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  return months;
}

const byCountThen = <T>(key: (x: T) => string) => (a: T & { count: number }, b: T & { count: number }) => b.count - a.count || compareIds(key(a), key(b));

export function overrideReport(entries: readonly OverrideLogEntry[], from: Month, to: Month): OverrideReport {
  const inReport = entries.filter((e) => e.month >= from && e.month <= to).sort((a, b) => compareIds(a.override.decision.at, b.override.decision.at));
  const rules = new Map<HardRule, number>();
  const people = new Map<string, { subject: string; name: string; count: number }>();
  const months = new Map(monthsFrom(from, to).map((m) => [m, 0]));
  for (const { month, override } of inReport) {
    for (const { rule } of override.rules) rules.set(rule, (rules.get(rule) ?? 0) + 1);
    const { subject, name } = override.decision.by;
    const person = people.get(subject) ?? { subject, name, count: 0 };
    people.set(subject, { ...person, count: person.count + 1 });
    months.set(month, (months.get(month) ?? 0) + 1);
  }
  return {
    from,
    to,
    count: inReport.length,
    byRule: [...rules].map(([rule, count]) => ({ rule, count })).sort(byCountThen((r) => r.rule)),
    byPerson: [...people.values()].sort(byCountThen((p) => p.subject)),
    byMonth: [...months].map(([month, count]) => ({ month, count })),
    overrides: inReport.map(({ referralId, homeId, bedId, override }) => ({
      at: override.decision.at,
      decision: override.givenWith.kind,
      id: override.givenWith.id,
      ...(referralId !== undefined ? { referralId } : {}),
      homeId,
      bedId,
      rules: override.rules,
      reason: override.reason,
      by: { subject: override.decision.by.subject, name: override.decision.by.name },
    })),
  };
}
