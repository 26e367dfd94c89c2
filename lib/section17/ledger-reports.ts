import type { LedgerReads } from '#lib/ledger/ports';
import { financialYearOf, type Month } from '#lib/time/calendar';
import { againstBudgetFromSpend, SECTION17_ACCOUNTS, sumByFromBalances, type Dimension } from './report';

/**
 * The Section 17 reports read from the ledger's balances, which every posting keeps in its own
 * transaction: spend by a dimension from the Section 17 accounts' month balances (twelve small
 * items an account for a year), spend against budget from their month and day balances. The same
 * figures as summing the journals (report.ts), without reading a year of them.
 */

type Balances = Pick<LedgerReads, 'monthBalances' | 'movementBetween'>;

/** Spend on the Section 17 accounts from one month to another (both included), by a dimension. */
export async function spendReport(ledger: Balances, from: Month, to: Month, by: Dimension): Promise<{ rows: { key: string; pence: number }[]; totalPence: number }> {
  const balances = (await Promise.all(SECTION17_ACCOUNTS.map((account) => ledger.monthBalances(account, from, to)))).flat();
  const rows = sumByFromBalances(balances, by);
  return { rows, totalPence: rows.reduce((s, r) => s + r.pence, 0) };
}

/** Each Section 17 account's spend (debits less credits) dated from one day to another, both included. */
export async function section17Spend(ledger: Pick<LedgerReads, 'movementBetween'>, from: string, to: string): Promise<Map<string, number>> {
  const sums = await Promise.all(SECTION17_ACCOUNTS.map(async (account) => [account, await ledger.movementBetween(account, from, to)] as const));
  return new Map(sums.map(([account, m]) => [account, m.debitPence - m.creditPence]));
}

/** Spend in the financial year to `asAt`, against the budget and the 2016/17 baseline pro rata to date. */
export async function budgetReport(ledger: Pick<LedgerReads, 'movementBetween'>, asAt: string) {
  const financialYear = financialYearOf(asAt);
  const spend = await section17Spend(ledger, `${financialYear}-04-01`, asAt);
  return { financialYear, asAt, ...againstBudgetFromSpend((account) => spend.get(account) ?? 0, financialYear, asAt) };
}
