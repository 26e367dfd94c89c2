import * as z from '#lib/validation';
import data from '#data/accounts.json' with { type: 'json' };

/** Accounts are cost centre + subjective code, e.g. 04127-5501. The chart is data, not code. */
export const AccountCode = z.string().check(z.regex(/^\d{5}-\d{4}$/, 'an account: five-digit cost centre, hyphen, four-digit subjective'));

export const Account = z.object({
  code: AccountCode,
  costCentre: z.string(),
  subjective: z.string(),
  name: z.string(),
  type: z.enum(['asset', 'liability', 'income', 'expense', 'equity']),
});
export type Account = z.infer<typeof Account>;

export const CHART: ReadonlyMap<string, Account> = new Map(
  z.object({ accounts: z.array(Account) }).parse(data).accounts.map((a) => [a.code, a]),
);

export const ACCOUNTS = {
  placementIncome: '04127-5501',
  debtorsControl: '99000-9100',
  creditorsControl: '99000-9200',
  bank: '99000-9300',
  vatOutput: '99000-9400',
  section17Support: '04130-3019',
  section17ProfessionalFees: '04130-2904',
} as const;
