import type { Proposal } from './proposal';

/** Where proposals are kept: one per referral version, written once. */
export interface ProposalStore {
  has(referralId: string, version: number): Promise<boolean>;
  /** Stores it unless one exists for that version already (a concurrent copy of the message won). */
  save(proposal: Proposal): Promise<'saved' | 'already-saved'>;
  get(referralId: string, version: number): Promise<Proposal | undefined>;
  /** The proposal of the highest version matched so far. */
  latest(referralId: string): Promise<Proposal | undefined>;
}
