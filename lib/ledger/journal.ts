import * as z from '#lib/validation';
import { whenValid } from '#lib/validation';
import { IsoDate } from '#lib/time/iso-date';
import { AccountCode, CHART } from './chart';

/**
 * Double entry: a journal has two or more lines, each a debit or a credit of
 * a positive number of pence to one account; debits equal credits. Journals
 * are immutable; a mistake is reversed by a contra journal. Each names its
 * source and carries an idempotency key, so posting it twice posts it once.
 */

export const JournalSource = z.object({
  type: z.enum(['invoice', 'credit-note', 'remittance', 'section17-award', 'section17-adjustment', 'adjustment']),
  id: z.string().check(z.minLength(1)),
});

export const JournalLine = z.object({
    account: AccountCode.check(z.refine((code) => CHART.has(code), 'an account in the chart of accounts')),
    debitPence: z._default(z.int().check(z.gte(0)), 0),
    creditPence: z._default(z.int().check(z.gte(0)), 0),
    /** Free analysis the finance system keeps (placing LA, team, category); never a child's details. */
    analysis: z._default(z.record(z.string(), z.string()), {}),
  }).check(z.refine((l) => (l.debitPence > 0) !== (l.creditPence > 0), 'a line is either a debit or a credit, of more than 0 pence'));
export type JournalLine = z.infer<typeof JournalLine>;
export type JournalLineInput = z.input<typeof JournalLine>;

export const Journal = z.object({
    idempotencyKey: z.string().check(z.minLength(1), z.maxLength(200)),
    /** The accounting date; its month is the period balances are kept by. */
    date: IsoDate,
    description: z.string().check(z.minLength(1), z.maxLength(200)),
    source: JournalSource,
    /** The journal this one reverses, if it is a contra. */
    reverses: z.optional(z.string()),
    lines: z.array(JournalLine).check(z.minLength(2, 'a journal has at least two lines'), z.maxLength(50)),
  }).check(z.refine((j) => total(j.lines, 'debitPence') === total(j.lines, 'creditPence'), {
    ...whenValid,
    message: 'debits must equal credits',
    path: ['lines'],
  }));
export type Journal = z.infer<typeof Journal>;
export type JournalInput = z.input<typeof Journal>;

export function total(lines: readonly JournalLine[], side: 'debitPence' | 'creditPence'): number {
  return lines.reduce((sum, line) => sum + line[side], 0);
}

export const periodOf = (journal: Pick<Journal, 'date'>): string => journal.date.slice(0, 7);

/** The journal that reverses `journal`: every debit becomes a credit and back. */
export function contraOf(journal: Journal, date: string, reason: string): Journal {
  return Journal.parse({
    idempotencyKey: `contra:${journal.idempotencyKey}`,
    date,
    description: `Reversal of ${journal.idempotencyKey}: ${reason}`.slice(0, 200),
    source: journal.source,
    reverses: journal.idempotencyKey,
    lines: journal.lines.map((l) => ({ ...l, debitPence: l.creditPence, creditPence: l.debitPence })),
  });
}

/** The net movement of each account in a journal (debit positive), for updating balances. */
export function movements(journal: Journal): Map<string, { debitPence: number; creditPence: number }> {
  const byAccount = new Map<string, { debitPence: number; creditPence: number }>();
  for (const line of journal.lines) {
    const m = byAccount.get(line.account) ?? { debitPence: 0, creditPence: 0 };
    m.debitPence += line.debitPence;
    m.creditPence += line.creditPence;
    byAccount.set(line.account, m);
  }
  return byAccount;
}
