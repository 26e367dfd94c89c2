import { CHART, type Journal } from '#lib/ledger';
import { againstBudgetFromSpend, spendLines, SECTION17_ACCOUNTS, type AgainstBudget } from '#lib/section17';
import { addDays, financialYearOf } from '#lib/time/calendar';
import type { ClosedPeriod } from '#lib/time/period';

/**
 * Section 17 spend for the KPIs, through the Section 17 report
 * (lib/section17/report.ts). Pure.
 *
 * - **Spend in the period**: net movements on each Section 17 account dated
 *   in the period.
 * - **Against budget and baseline**: for each financial year the period
 *   touches, the year's spend to date as at the earlier of the year's end and
 *   the period's last day, against the year's budget and the 2016/17
 *   baseline pro rata to that date (as the Section 17 report does).
 *
 * The spends come from the ledger's balances (`section17Ranges` says which)
 * or, where journals are at hand, from the journals (`spendOfJournals`).
 */

export interface Section17Kpis {
  spendInPeriod: { account: string; name: string; pence: number }[];
  financialYears: {
    financialYear: number;
    asAt: string;
    accounts: (AgainstBudget & { name: string })[];
    savingsTarget: { account: string; pence: number; achievedPence: number };
  }[];
}

/** A Section 17 account's spend (debits less credits) dated from one day to another, both included. */
export type Section17Spend = (account: string, from: string, to: string) => number;

export interface DateRange {
  from: string;
  /** Included. */
  to: string;
}

/** The first day of the earliest financial year the period touches: journals are needed from there. */
export function section17JournalsFrom(period: ClosedPeriod): string {
  return `${financialYearOf(period.from)}-04-01`;
}

/** The period itself, then each financial year it touches to its as-at date: the spends the KPIs need. */
export function section17Ranges(period: ClosedPeriod): { inPeriod: DateRange; years: (DateRange & { financialYear: number })[] } {
  const lastDay = addDays(period.to, -1);
  const years: (DateRange & { financialYear: number })[] = [];
  for (let year = financialYearOf(period.from); year <= financialYearOf(lastDay); year++) {
    const yearEnd = `${year + 1}-03-31`;
    years.push({ financialYear: year, from: `${year}-04-01`, to: lastDay < yearEnd ? lastDay : yearEnd });
  }
  return { inPeriod: { from: period.from, to: lastDay }, years };
}

/** Spends summed from journals (every journal dated from section17JournalsFrom(period) to the period's last day). */
export function spendOfJournals(journals: readonly Journal[]): Section17Spend {
  return (account, from, to) =>
    spendLines(journals.filter((j) => j.date >= from && j.date <= to))
      .filter((l) => l.account === account)
      .reduce((s, l) => s + l.pence, 0);
}

export function section17Kpis(spend: Section17Spend, period: ClosedPeriod): Section17Kpis {
  const nameOf = (account: string) => CHART.get(account)?.name ?? account;
  const ranges = section17Ranges(period);
  const spendInPeriod = SECTION17_ACCOUNTS.map((account) => ({ account, name: nameOf(account), pence: spend(account, ranges.inPeriod.from, ranges.inPeriod.to) }));
  const financialYears = ranges.years.map(({ financialYear, from, to }) => {
    const report = againstBudgetFromSpend((account) => spend(account, from, to), financialYear, to);
    return { financialYear, asAt: to, accounts: report.accounts.map((a) => ({ ...a, name: nameOf(a.account) })), savingsTarget: report.savingsTarget };
  });
  return { spendInPeriod, financialYears };
}
