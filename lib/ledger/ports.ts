import type { MonthBalance, Movement } from './balances';
import type { Journal } from './journal';

/**
 * The ledger's ports: how other contexts hand it journals (JournalPublisher, the
 * ledger-postings queue) and what readers of the books use (LedgerReads). Adapters:
 * sqs-journal-publisher.ts and dynamo-ledger.ts.
 */

/** Hands a journal to the ledger; the ledger-poster posts it once per idempotency key. */
export interface JournalPublisher {
  publish(journal: Journal): Promise<void>;
}

/** The books as read by the API: journals by period, balances as at a date. */
export interface LedgerReads {
  /** Journals dated in a month, in date order, a page at a time. */
  journalsInPeriod(month: string, cursor?: Record<string, unknown>, limit?: number): Promise<{ journals: Journal[]; cursor: Record<string, unknown> | undefined }>;
  /** Every journal of a month (for the GL export). */
  allJournalsInPeriod(month: string): Promise<Journal[]>;
  /** Each account's debits and credits up to and including a date. */
  sumsAsAt(asAt: string): Promise<Map<string, { debitPence: number; creditPence: number }>>;
  /** An account's month balances from one month to another (both included), with their analysis. */
  monthBalances(account: string, from: string, to: string): Promise<MonthBalance[]>;
  /** An account's debits and credits dated from one day to another, both included. */
  movementBetween(account: string, from: string, to: string): Promise<Movement>;
}
