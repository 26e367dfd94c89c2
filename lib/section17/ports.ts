import type { Journal } from '#lib/ledger';
import type { Award, AwardStatus } from './award';

/**
 * What Section 17 needs from outside it: where awards are kept (AwardStore,
 * dynamo-award-store.ts) and, from the ledger, JournalPublisher (#lib/ledger/ports).
 */

export interface StoredAward {
  award: Award;
  version: number;
  /** Journals decided but not yet confirmed on the ledger queue (a transactional outbox). */
  outbox: Journal[];
}

/** A change to what a child has been awarded in a category and year (a reservation or a release). */
export interface ChildSpendChange {
  child: string;
  financialYear: number;
  category: string;
  pence: number;
  /** Refuse the change if it would take the total over this. */
  capPence?: number;
}

export type SaveResult = 'saved' | 'version-conflict' | 'over-child-cap';

/** Awards kept with their version: every save is conditional on the version read, and child totals move with it. */
export interface AwardStore {
  get(applicationId: string): Promise<StoredAward | undefined>;
  /** Confirms that these outbox journals reached the ledger queue. */
  markSent(applicationId: string, keys: readonly string[]): Promise<void>;
  /** What a child has been awarded in a category and financial year, in pence. */
  childSpend(child: string, financialYear: number, category: string): Promise<number>;
  save(award: Award, expectedVersion: number, spend?: readonly ChildSpendChange[], outbox?: readonly Journal[]): Promise<SaveResult>;
  /** One page of a financial year's awards in a status (an applicant's only, if given). */
  listByStatus(status: AwardStatus, financialYear: number, cursor?: Record<string, unknown>, limit?: number, applicant?: string): Promise<{ awards: Award[]; cursor: Record<string, unknown> | undefined }>;
}
