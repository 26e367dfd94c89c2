import type { Proposal } from '#lib/matching/proposal';
import type { ProposalStore } from '#lib/matching/proposal-store';
import type { OfferReleaser } from '#lib/placements/ports';
import type { ReferralReader, ReferralVersionEntry } from '#lib/referrals/referral-reader';
import type { ReferralRecord } from '#lib/referrals/lifecycle';

/** Faithful in-memory ports for unit tests of the matcher's decisions. */

export class InMemoryReferralReader implements ReferralReader {
  readonly current = new Map<string, ReferralRecord>();
  readonly history = new Map<string, ReferralVersionEntry[]>();

  async getCurrent(referralId: string) {
    const record = this.current.get(referralId);
    return record && structuredClone(record);
  }

  async versions(referralId: string, from: number, to: number) {
    return structuredClone((this.history.get(referralId) ?? []).filter((e) => e.version >= from && e.version <= to));
  }

  /** Records a version as the intake (webhook events) or a manager decision would. */
  record(record: ReferralRecord, event: string) {
    this.current.set(record.referralId, structuredClone(record));
    const entries = this.history.get(record.referralId) ?? [];
    const webhook = event.startsWith('referral.') && event !== 'referral.withdrawn';
    entries.push({ version: record.version, event, ...(webhook ? { receivedAt: record.updatedAt, referral: record.referral! } : {}) });
    this.history.set(record.referralId, entries);
  }
}

export class InMemoryProposalStore implements ProposalStore {
  readonly proposals = new Map<string, Proposal>();
  private key = (referralId: string, version: number) => `${referralId}#${version}`;

  async has(referralId: string, version: number) {
    return this.proposals.has(this.key(referralId, version));
  }
  async save(proposal: Proposal) {
    const key = this.key(proposal.referralId, proposal.referralVersion);
    if (this.proposals.has(key)) return 'already-saved' as const;
    this.proposals.set(key, structuredClone(proposal));
    return 'saved' as const;
  }
  async get(referralId: string, version: number) {
    return structuredClone(this.proposals.get(this.key(referralId, version)));
  }
  async latest(referralId: string) {
    const versions = [...this.proposals.values()].filter((p) => p.referralId === referralId).map((p) => p.referralVersion);
    return versions.length === 0 ? undefined : this.get(referralId, Math.max(...versions));
  }
}

/** Offers held per referral; releasing lets them all go once and reports how many. */
export class InMemoryOfferReleaser implements OfferReleaser {
  readonly held = new Map<string, number>();
  readonly calls: Array<{ referralId: string; reason: string; at: string }> = [];

  async releaseOffersForReferral(referralId: string, reason: string, at: string) {
    this.calls.push({ referralId, reason, at });
    const count = this.held.get(referralId) ?? 0;
    this.held.delete(referralId);
    return count;
  }
}
