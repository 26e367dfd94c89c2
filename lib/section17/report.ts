import * as z from '#lib/validation';
import budgetsData from '#data/budgets.json' with { type: 'json' };
import targetsData from '#data/targets.json' with { type: 'json' };
import { ACCOUNTS, type Journal, type MonthBalance } from '#lib/ledger';
import { addDays, daysBetween } from '#lib/time/calendar';
import { divideHalfUp } from '#lib/money';
import type { Award, AwardStatus } from './award';

/** The Section 17 accounts: discretionary support and professional fees. */
export const SECTION17_ACCOUNTS = [ACCOUNTS.section17Support, ACCOUNTS.section17ProfessionalFees] as const;

const Budgets = z.object({ budgets: z.array(z.object({ account: z.string(), financialYear: z.int(), pence: z.int() })) });
const budgets = Budgets.parse(budgetsData).budgets;
const baseline = {
  [ACCOUNTS.section17Support]: targetsData.section17Baseline2016_17Pence.discretionarySupport,
  [ACCOUNTS.section17ProfessionalFees]: targetsData.section17Baseline2016_17Pence.professionalFees,
} as Record<string, number>;
const savingsTarget = targetsData.savingsAndIncomePence.supportingChildrenWithoutSpend;

export interface SpendLine {
  account: string;
  category: string;
  team: string;
  child: string;
  month: string;
  /** Net of reversals: debits less credits on the Section 17 account. */
  pence: number;
}

/** Every movement on a Section 17 account, net, with its analysis: the one source every report sums. */
export function spendLines(journals: readonly Journal[]): SpendLine[] {
  return journals.flatMap((j) =>
    j.lines
      .filter((l) => (SECTION17_ACCOUNTS as readonly string[]).includes(l.account))
      .map((l) => ({
        account: l.account,
        category: l.analysis.category ?? 'unknown',
        team: l.analysis.team ?? 'unknown',
        child: l.analysis.child ?? 'unknown',
        month: j.date.slice(0, 7),
        pence: l.debitPence - l.creditPence,
      })),
  );
}

export type Dimension = 'account' | 'category' | 'team' | 'child' | 'month';

export function sumBy(lines: readonly SpendLine[], dimension: Dimension): { key: string; pence: number }[] {
  const sums = new Map<string, number>();
  for (const line of lines) sums.set(line[dimension], (sums.get(line[dimension]) ?? 0) + line.pence);
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([key, pence]) => ({ key, pence }));
}

/**
 * The same sums as `sumBy(spendLines(journals), dimension)`, from the Section 17 accounts' month
 * balances (the ledger keeps them by analysis as it posts): a line lacking the analysis key counts
 * as 'unknown', as in spendLines.
 */
export function sumByFromBalances(balances: readonly MonthBalance[], dimension: Dimension): { key: string; pence: number }[] {
  const sums = new Map<string, number>();
  const add = (key: string, pence: number) => sums.set(key, (sums.get(key) ?? 0) + pence);
  for (const b of balances) {
    if (!(SECTION17_ACCOUNTS as readonly string[]).includes(b.account)) continue;
    const net = b.debitPence - b.creditPence;
    if (dimension === 'account' || dimension === 'month') {
      add(b[dimension], net);
      continue;
    }
    const values = b.byAnalysis.get(dimension) ?? new Map<string, number>();
    for (const [value, pence] of values) add(value, pence);
    // A balance kept before the analysis was (no lines counted) has it all as unknown until `npm run ledger:rebuild`.
    if (b.lines === 0 || b.lines > (b.keyLines.get(dimension) ?? 0)) add('unknown', net - [...values.values()].reduce((s, p) => s + p, 0));
  }
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([key, pence]) => ({ key, pence }));
}

export interface AgainstBudget {
  account: string;
  spendPence: number;
  budgetPence: number | null;
  /** The 2016/17 baseline, pro rata to the days of the financial year reported. */
  baselineToDatePence: number;
  savingsToDatePence: number;
}

/**
 * Spend on each Section 17 account in a financial year up to `asAt`, against
 * its budget and against the 2016/17 baseline pro rata to date.
 */
export function againstBudgetAndBaseline(lines: readonly SpendLine[], financialYear: number, asAt: string): { accounts: AgainstBudget[]; savingsTarget: { account: string; pence: number; achievedPence: number } } {
  return againstBudgetFromSpend((account) => lines.filter((l) => l.account === account).reduce((s, l) => s + l.pence, 0), financialYear, asAt);
}

/** The same, from each account's spend in the year to `asAt` (debits less credits), however it was summed. */
export function againstBudgetFromSpend(spendOf: (account: string) => number, financialYear: number, asAt: string): { accounts: AgainstBudget[]; savingsTarget: { account: string; pence: number; achievedPence: number } } {
  const start = `${financialYear}-04-01`;
  const yearDays = daysBetween(start, `${financialYear + 1}-04-01`);
  const elapsed = Math.min(yearDays, Math.max(0, daysBetween(start, addDays(asAt, 1))));
  const accounts = SECTION17_ACCOUNTS.map((account) => {
    const spendPence = spendOf(account);
    const baselineToDatePence = divideHalfUp(baseline[account]! * elapsed, yearDays);
    return {
      account,
      spendPence,
      budgetPence: budgets.find((b) => b.account === account && b.financialYear === financialYear)?.pence ?? null,
      baselineToDatePence,
      savingsToDatePence: baselineToDatePence - spendPence,
    };
  });
  const support = accounts.find((a) => a.account === savingsTarget.account)!;
  return { accounts, savingsTarget: { account: savingsTarget.account, pence: savingsTarget.target2018_19, achievedPence: support.savingsToDatePence } };
}

export interface DecisionStats {
  refusedByRule: { rule: string; count: number; pence: number }[];
  approvedByRole: { role: string; count: number; pence: number }[];
}

/** The statuses of a decided application: the awards the decisions report (decisionStats) counts. */
export const DECIDED_STATUSES = ['refused', 'approved', 'cancelled', 'awaiting-reapproval'] as const satisfies readonly AwardStatus[];

/** Applications refused (by the rule that refused them) and approvals (by the approver's role), with their value. */
export function decisionStats(awards: readonly Award[]): DecisionStats {
  const refused = new Map<string, { count: number; pence: number }>();
  const approved = new Map<string, { count: number; pence: number }>();
  for (const award of awards) {
    if (award.status === 'refused' && award.refusal) {
      const r = refused.get(award.refusal.rule) ?? { count: 0, pence: 0 };
      refused.set(award.refusal.rule, { count: r.count + 1, pence: r.pence + award.request.amountPence });
    }
    for (const d of award.decisions.filter((x) => x.decision === 'approve')) {
      const a = approved.get(d.role) ?? { count: 0, pence: 0 };
      approved.set(d.role, { count: a.count + 1, pence: a.pence + (d.period?.valuePence ?? 0) });
    }
  }
  const list = (m: Map<string, { count: number; pence: number }>, key: 'rule' | 'role') =>
    [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => ({ [key]: k, ...v }));
  return {
    refusedByRule: list(refused, 'rule') as DecisionStats['refusedByRule'],
    approvedByRole: list(approved, 'role') as DecisionStats['approvedByRole'],
  };
}
