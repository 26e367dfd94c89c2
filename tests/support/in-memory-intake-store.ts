import type { CommitResult, DeliveryRecord, IntakeStore } from '#lib/referrals/intake';
import type { ReferralHistoryEntry, ReferralRecord } from '#lib/referrals/lifecycle';

/** A faithful in-memory IntakeStore for unit tests of the intake's decisions. */
export class InMemoryIntakeStore implements IntakeStore {
  readonly deliveries = new Map<string, DeliveryRecord>();
  readonly referrals = new Map<string, ReferralRecord>();
  readonly history: ReferralHistoryEntry[] = [];

  async getDelivery(id: string) {
    const d = this.deliveries.get(id);
    return d && structuredClone(d);
  }
  async getReferral(id: string) {
    const r = this.referrals.get(id);
    return r && structuredClone(r);
  }
  async commit(delivery: DeliveryRecord, next: ReferralRecord, history: ReferralHistoryEntry, expectedVersion: number): Promise<CommitResult> {
    if (this.deliveries.has(delivery.webhookId)) return 'delivery-exists';
    if ((this.referrals.get(next.referralId)?.version ?? 0) !== expectedVersion) return 'version-conflict';
    this.deliveries.set(delivery.webhookId, structuredClone(delivery));
    this.referrals.set(next.referralId, structuredClone(next));
    this.history.push(structuredClone(history));
    return 'committed';
  }
  async markEnqueued(id: string, at: string) {
    const d = this.deliveries.get(id);
    if (d) d.enqueuedAt = at;
  }
  async markSendFailed(id: string, at: string) {
    const d = this.deliveries.get(id);
    if (d) d.sendFailedAt = at;
  }
}
