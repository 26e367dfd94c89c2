import { CHART, type Journal } from '#lib/ledger';
import { againstBudgetAndBaseline, spendLines, SECTION17_ACCOUNTS, type AgainstBudget } from '#lib/section17';
import { addDays, financialYearOf } from '#lib/time/calendar';
import type { ClosedPeriod } from '#lib/time/period';

/**
 * Section 17 spend for the KPIs, from the ledger's journals through the
 * Section 17 report (lib/section17/report.ts). Pure.
 *
 * - **Spend in the period**: net movements on each Section 17 account of the
 *   journals dated in the period.
 * - **Against budget and baseline**: for each financial year the period
 *   touches, the year's spend to date as at the earlier of the year's end and
 *   the period's last day, against the year's budget and the 2016/17
 *   baseline pro rata to that date (as the Section 17 report does).
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

/** The first day of the earliest financial year the period touches: journals are needed from there. */
export function section17JournalsFrom(period: ClosedPeriod): string {
  return `${financialYearOf(period.from)}-04-01`;
}

/**
 * @param journals every journal dated from section17JournalsFrom(period) up to the period's last day
 */
export function section17Kpis(journals: readonly Journal[], period: ClosedPeriod): Section17Kpis {
  const lastDay = addDays(period.to, -1);
  const nameOf = (account: string) => CHART.get(account)?.name ?? account;
  const inPeriod = spendLines(journals.filter((j) => j.date >= period.from && j.date < period.to));
  const spendInPeriod = SECTION17_ACCOUNTS.map((account) => ({
    account,
    name: nameOf(account),
    pence: inPeriod.filter((l) => l.account === account).reduce((s, l) => s + l.pence, 0),
  }));
  const financialYears: Section17Kpis['financialYears'] = [];
  for (let year = financialYearOf(period.from); year <= financialYearOf(lastDay); year++) {
    const yearEnd = `${year + 1}-03-31`;
    const asAt = lastDay < yearEnd ? lastDay : yearEnd;
    const lines = spendLines(journals.filter((j) => j.date >= `${year}-04-01` && j.date <= asAt));
    const report = againstBudgetAndBaseline(lines, year, asAt);
    financialYears.push({
      financialYear: year,
      asAt,
      accounts: report.accounts.map((a) => ({ ...a, name: nameOf(a.account) })),
      savingsTarget: report.savingsTarget,
    });
  }
  return { spendInPeriod, financialYears };
}
