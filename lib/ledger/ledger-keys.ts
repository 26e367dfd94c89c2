/**
 * Key layout of the ledger table.
 *   pk JOURNAL#<key>     sk JOURNAL            the journal, immutable (GSI byPeriod: PERIOD#<YYYY-MM> / <date>#<key>)
 *   pk JOURNAL#<key>     sk REVERSAL           marks that a contra journal reversed it (one only)
 *   pk BALANCE#<account> sk M#<YYYY-MM>        debits and credits of the account in that month
 *   pk BALANCE#<account> sk D#<YYYY-MM-DD>     … and on that day, so a balance as at any date is a short read
 */
export const ledgerKeys = {
  journal: (key: string) => ({ pk: `JOURNAL#${key}`, sk: 'JOURNAL' }),
  reversal: (key: string) => ({ pk: `JOURNAL#${key}`, sk: 'REVERSAL' }),
  monthBalance: (account: string, month: string) => ({ pk: `BALANCE#${account}`, sk: `M#${month}` }),
  dayBalance: (account: string, date: string) => ({ pk: `BALANCE#${account}`, sk: `D#${date}` }),
  period: (month: string, date: string, key: string) => ({ gsi1pk: `PERIOD#${month}`, gsi1sk: `${date}#${key}` }),
};
