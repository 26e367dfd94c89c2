import { movements, periodOf, type Journal } from './journal';
import { ledgerKeys } from './ledger-keys';

/**
 * What the ledger's balance items hold, and how a posting adds to them. Every posting adds its
 * movements to each account's month and day balances in its own transaction (dynamo-ledger.ts);
 * the month balance also keeps the movements by analysis, so reports by team, category, child or
 * placing council read twelve small items instead of a year of journals:
 *
 *   lines                    how many journal lines moved the account that month
 *   K#<key>                  how many of them carried the analysis key (the rest lack it)
 *   A#<["key","value"]>      their debits less credits, per analysis value
 *
 * Pure. `balanceItemsOf` works every item out from the journals themselves: the rebuild and the
 * consistency tests compare it with what the postings kept.
 */

export interface Movement {
  debitPence: number;
  creditPence: number;
}

/** What one journal adds to an account's month balance. */
export interface MonthMovement extends Movement {
  lines: number;
  /** Attribute name (K#… or A#…) → what it adds. */
  analysis: Map<string, number>;
}

export const keyLinesAttribute = (key: string): string => `K#${key}`;
export const analysisAttribute = (key: string, value: string): string => `A#${JSON.stringify([key, value])}`;

/** Each account's movement in a journal, with its lines and their analysis, for the month balance. */
export function monthMovements(journal: Journal): Map<string, MonthMovement> {
  const byAccount = new Map<string, MonthMovement>();
  for (const line of journal.lines) {
    const m = byAccount.get(line.account) ?? { debitPence: 0, creditPence: 0, lines: 0, analysis: new Map<string, number>() };
    m.debitPence += line.debitPence;
    m.creditPence += line.creditPence;
    m.lines += 1;
    for (const [key, value] of Object.entries(line.analysis)) {
      const k = keyLinesAttribute(key);
      const a = analysisAttribute(key, value);
      m.analysis.set(k, (m.analysis.get(k) ?? 0) + 1);
      m.analysis.set(a, (m.analysis.get(a) ?? 0) + line.debitPence - line.creditPence);
    }
    byAccount.set(line.account, m);
  }
  return byAccount;
}

/** An account's month balance as read: its movements, and the same by analysis. */
export interface MonthBalance extends Movement {
  account: string;
  month: string;
  lines: number;
  /** Lines carrying each analysis key. */
  keyLines: Map<string, number>;
  /** Debits less credits per analysis key, per value. */
  byAnalysis: Map<string, Map<string, number>>;
}

export function monthBalanceFromItem(item: Record<string, unknown>): MonthBalance {
  const balance: MonthBalance = {
    account: String(item.pk).slice('BALANCE#'.length),
    month: String(item.sk).slice('M#'.length),
    debitPence: Number(item.debitPence ?? 0),
    creditPence: Number(item.creditPence ?? 0),
    lines: Number(item.lines ?? 0),
    keyLines: new Map(),
    byAnalysis: new Map(),
  };
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith('K#')) balance.keyLines.set(name.slice(2), Number(value));
    else if (name.startsWith('A#')) {
      const [key, analysisValue] = JSON.parse(name.slice(2)) as [string, string];
      const values = balance.byAnalysis.get(key) ?? new Map<string, number>();
      values.set(analysisValue, Number(value));
      balance.byAnalysis.set(key, values);
    }
  }
  return balance;
}

/** The balance items the postings of these journals keep (month and day of each account), keyed `pk sk`. */
export function balanceItemsOf(journals: readonly Journal[]): Map<string, Record<string, unknown>> {
  const items = new Map<string, Record<string, unknown>>();
  const add = (key: { pk: string; sk: string }, attributes: Iterable<[string, number]>) => {
    const id = `${key.pk} ${key.sk}`;
    const item = items.get(id) ?? { ...key };
    for (const [name, value] of attributes) item[name] = ((item[name] as number | undefined) ?? 0) + value;
    items.set(id, item);
  };
  for (const journal of journals) {
    for (const [account, m] of monthMovements(journal)) {
      add(ledgerKeys.monthBalance(account, periodOf(journal)), [['debitPence', m.debitPence], ['creditPence', m.creditPence], ['lines', m.lines], ...m.analysis]);
    }
    for (const [account, m] of movements(journal)) add(ledgerKeys.dayBalance(account, journal.date), [['debitPence', m.debitPence], ['creditPence', m.creditPence]]);
  }
  return items;
}
