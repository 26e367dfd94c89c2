import { financialYearOf } from '#lib/time/calendar';
import type { Award } from './award';
import { approvalPeriod } from './rules';
import type { Guidance } from './guidance';

/**
 * What an award commits the council to for its child, by financial year: the
 * payments of its live postings, and those of a period awaiting a decision.
 * The child's yearly cap is checked against the sum of these over all their
 * awards in the category, kept in one item per child, year and category.
 */
export function commitmentsByYear(award: Award, guidance: Guidance): Map<number, number> {
  const byYear = new Map<number, number>();
  const add = (date: string, pence: number) => byYear.set(financialYearOf(date), (byYear.get(financialYearOf(date)) ?? 0) + pence);
  for (const posting of award.postings) {
    if (posting.reversedBy) continue;
    for (const p of posting.payments) add(p.date, p.amountPence);
  }
  if (award.status === 'awaiting-approval' || award.status === 'awaiting-reapproval') {
    for (const date of approvalPeriod(award.request, award.period.from, guidance).payments) add(date, award.request.amountPence);
  }
  return byYear;
}

/** Per-year change in commitment from `before` to `after` (years with no change left out). */
export function commitmentChanges(before: Award | undefined, after: Award, guidance: Guidance): { financialYear: number; pence: number }[] {
  const was = before ? commitmentsByYear(before, guidance) : new Map<number, number>();
  const now = commitmentsByYear(after, guidance);
  return [...new Set([...was.keys(), ...now.keys()])]
    .sort()
    .map((financialYear) => ({ financialYear, pence: (now.get(financialYear) ?? 0) - (was.get(financialYear) ?? 0) }))
    .filter((c) => c.pence !== 0);
}
