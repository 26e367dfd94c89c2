import { toCsv } from '#lib/csv';
import * as z from '#lib/validation';
import { decodeCursor, encodeCursor } from '#lib/http';
import { MonthSchema } from '#lib/invoicing';
import { glExportCsv, Journal, trialBalance } from '#lib/ledger';
import { IsoDate } from '#lib/time/iso-date';
import { READ_LEDGER } from '#lib/api/access';
import { Cursor, Limit, pageOf } from '#lib/api/paging';
import { apiRoute } from '#lib/api/services';

const TrialBalanceView = z.object({
  asAt: IsoDate,
  accounts: z.array(
    z.object({
      account: z.string(),
      name: z.string(),
      type: z.enum(['asset', 'liability', 'income', 'expense', 'equity']),
      debitPence: z.int(),
      creditPence: z.int(),
      /** Debit balance positive, credit balance negative. */
      balancePence: z.int(),
    }),
  ),
  totalDebitPence: z.int(),
  totalCreditPence: z.int(),
  /** Debits equal credits: double entry held. */
  balanced: z.boolean(),
});

function trialBalanceCsv(tb: z.output<typeof TrialBalanceView>): string {
  return toCsv(
    ['account', 'name', 'type', 'debit_pence', 'credit_pence', 'balance_pence'],
    [
      ...tb.accounts.map((a) => [a.account, a.name, a.type, a.debitPence, a.creditPence, a.balancePence]),
      ['total', '', '', tb.totalDebitPence, tb.totalCreditPence, tb.totalDebitPence - tb.totalCreditPence],
    ],
  );
}

export const ledgerRoutes = [
  apiRoute({
    method: 'GET',
    path: '/api/ledger/journals',
    roles: READ_LEDGER,
    query: z.object({ period: MonthSchema, limit: Limit, cursor: Cursor }),
    response: pageOf(Journal),
    async handle({ query }, { ledger }) {
      const scope = { keys: { pk: 'any', sk: 'any', gsi1pk: { equals: `PERIOD#${query.period}` }, gsi1sk: 'any' } } as const;
      const start = decodeCursor(query.cursor, scope);
      const page = await ledger.journalsInPeriod(query.period, start, query.limit);
      const cursor = encodeCursor(page.cursor, scope);
      return { items: page.journals, ...(cursor ? { cursor } : {}) };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/ledger/trial-balance',
    roles: READ_LEDGER,
    query: z.object({ asAt: IsoDate }),
    response: TrialBalanceView,
    renderAs: { csv: trialBalanceCsv },
    async handle({ query }, { ledger }) {
      // A read of each account's month and day balances (kept in the posting transactions), never a scan of journals.
      const tb = trialBalance(query.asAt, await ledger.sumsAsAt(query.asAt));
      return { ...tb, balanced: tb.totalDebitPence === tb.totalCreditPence };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/ledger/gl-export',
    roles: READ_LEDGER,
    query: z.object({ period: MonthSchema }),
    response: z.object({ period: MonthSchema, csv: z.string() }),
    representation: 'csv',
    renderAs: { csv: (answer) => answer.csv },
    async handle({ query }, { ledger }) {
      return { period: query.period, csv: glExportCsv(await ledger.allJournalsInPeriod(query.period)) };
    },
  }),
];
