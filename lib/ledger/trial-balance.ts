import { CHART, type Account } from './chart';

export interface AccountBalance {
  account: string;
  name: string;
  type: Account['type'];
  debitPence: number;
  creditPence: number;
  /** Debit balance positive, credit balance negative. */
  balancePence: number;
}

export interface TrialBalance {
  asAt: string;
  accounts: AccountBalance[];
  totalDebitPence: number;
  totalCreditPence: number;
}

/** Assembles a trial balance from each account's summed movements; every account of the chart is listed. */
export function trialBalance(asAt: string, sums: ReadonlyMap<string, { debitPence: number; creditPence: number }>): TrialBalance {
  const accounts = [...CHART.values()]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((a) => {
      const s = sums.get(a.code) ?? { debitPence: 0, creditPence: 0 };
      return { account: a.code, name: a.name, type: a.type, ...s, balancePence: s.debitPence - s.creditPence };
    });
  return {
    asAt,
    accounts,
    totalDebitPence: accounts.reduce((t, a) => t + a.debitPence, 0),
    totalCreditPence: accounts.reduce((t, a) => t + a.creditPence, 0),
  };
}
