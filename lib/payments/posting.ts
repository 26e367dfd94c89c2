import { ACCOUNTS, Journal } from '#lib/ledger';
import type { Remittance } from './payments';

/**
 * The journal a remittance posts when it is recorded: debit bank, credit the
 * debtors control account, by the whole amount (allocated or not: money on
 * account still reduces what the council owes). Keyed on the remittance, so
 * posting it twice posts it once.
 */
export function journalForRemittance(r: Remittance): Journal {
  const analysis = { placingLa: r.placingLa };
  return Journal.parse({
    idempotencyKey: `remittance:${r.remittanceId}`,
    date: r.date,
    description: `Payment from LA ${r.placingLa}${r.reference ? `, reference ${r.reference}` : ''}`.slice(0, 200),
    source: { type: 'remittance', id: r.remittanceId },
    lines: [
      { account: ACCOUNTS.bank, debitPence: r.amountPence, analysis },
      { account: ACCOUNTS.debtorsControl, creditPence: r.amountPence, analysis },
    ],
  });
}
