import type { DecidedAllocation } from './allocation';
import type { Allocation, DocumentTally, Remittance } from './payments';

/**
 * What payments needs from outside it: where remittances, allocations and each
 * document's tally are kept (PaymentsStore, dynamo-payments-store.ts); issued
 * documents come from invoicing (DocumentReader) and journals go to the ledger
 * (JournalPublisher, #lib/ledger/ports).
 */
export interface PaymentsStore {
  getRemittance(id: string): Promise<Remittance | undefined>;
  /** Records a remittance once: a second with the same id is 'exists'. */
  recordRemittance(remittance: Remittance): Promise<'recorded' | 'exists'>;
  registerCouncil(placingLa: string): Promise<void>;
  councilsWithPayments(): Promise<string[]>;
  markPosted(id: string): Promise<void>;
  /** What each document has been paid and credited so far, by number. */
  tallies(numbers: readonly string[]): Promise<Map<string, DocumentTally>>;
  /** Commits an allocation if no tally moved since it was decided. */
  commitAllocation(decided: DecidedAllocation): Promise<'committed' | 'conflict'>;
  councilPayments(placingLa: string): Promise<{ remittances: Remittance[]; allocations: Allocation[] }>;
}
