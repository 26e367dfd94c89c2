import { applyReferralEvent, type ReferralHistoryEntry, type ReferralRecord, type ReferralStatus } from './lifecycle';
import type { ReferralEvent } from './schema';
import type { MatchingPublisher, MatchingRequest } from '#lib/matching/matching-request';
import type { Clock } from '#lib/clock';

/**
 * Accepting one verified, parsed webhook delivery: exactly one effect per
 * `webhook-id`, however often and however concurrently it arrives.
 *
 * The delivery record, the referral and its history entry are written in one
 * transaction; the matching request is sent after it. If that send fails the
 * answer is 503, the sender retries, and the retry finds the delivery still
 * waiting to be enqueued and sends it then. A lease on the delivery record
 * stops concurrent repeats from sending it twice.
 */

/** How long the caller that wrote or claimed a delivery has to enqueue it before a repeat may. */
export const ENQUEUE_LEASE_MS = 30_000;
/** How long a delivery is remembered: beyond any sender's retry schedule (Standard Webhooks: ~3 days). */
export const DELIVERY_RETENTION_DAYS = 7;
const MAX_VERSION_RETRIES = 5;

export interface DeliveryRecord {
  webhookId: string;
  bodySha256: string;
  referralId: string;
  referralVersion: number;
  referralStatus: ReferralStatus;
  matchingRequest: MatchingRequest;
  acceptedAt: string;
  /** Epoch ms until which the writer or claimant owns enqueueing. */
  leaseUntil: number;
  enqueuedAt?: string;
}

export type CommitResult = 'committed' | 'delivery-exists' | 'version-conflict';

/** Persistence the intake needs; the DynamoDB adapter implements it with one transaction. */
export interface IntakeStore {
  getDelivery(webhookId: string): Promise<DeliveryRecord | undefined>;
  getReferral(referralId: string): Promise<ReferralRecord | undefined>;
  /** Atomically records the delivery (if new) and writes the referral at `expectedVersion` (0 = new). */
  commit(delivery: DeliveryRecord, next: ReferralRecord, history: ReferralHistoryEntry, expectedVersion: number): Promise<CommitResult>;
  /** Takes the enqueue lease if it has lapsed and the delivery is not yet enqueued. */
  claimLease(webhookId: string, nowMs: number, untilMs: number): Promise<boolean>;
  releaseLease(webhookId: string): Promise<void>;
  markEnqueued(webhookId: string, at: string): Promise<void>;
}

export interface IncomingDelivery {
  webhookId: string;
  bodySha256: string;
  event: ReferralEvent;
}

export interface Accepted {
  referralId: string;
  status: ReferralStatus;
  version: number;
}

export type IntakeOutcome =
  | { kind: 'accepted'; result: Accepted }
  | { kind: 'repeat'; result: Accepted }
  | { kind: 'conflict'; reason: 'referral-exists' | 'referral-closed' | 'webhook-id-reused' | 'delivery-in-progress'; detail: string };

export class MatchingEnqueueFailed extends Error {
  constructor(readonly webhookId: string, options: { cause: unknown }) {
    super(`delivery ${webhookId} was stored but its matching request could not be sent`, options);
    this.name = 'MatchingEnqueueFailed';
  }
}

const summary = (d: DeliveryRecord): Accepted => ({ referralId: d.referralId, status: d.referralStatus, version: d.referralVersion });

export class ReferralIntake {
  constructor(
    private readonly store: IntakeStore,
    private readonly publisher: MatchingPublisher,
    private readonly clock: Clock,
  ) {}

  async accept(incoming: IncomingDelivery): Promise<IntakeOutcome> {
    // The common case is a new delivery, so the delivery record is read only
    // when the write says it exists or the event conflicts (a repeat of an old
    // event would conflict with the referral as it now stands).
    for (let attempt = 0; attempt <= MAX_VERSION_RETRIES; attempt++) {
      const current = await this.store.getReferral(incoming.event.data.referralId);
      const nowMs = this.clock.nowMs();
      const transition = applyReferralEvent(current, incoming.event, {
        webhookId: incoming.webhookId,
        receivedAt: new Date(nowMs).toISOString(),
      });
      if (transition.kind === 'reject') {
        const existing = await this.store.getDelivery(incoming.webhookId);
        if (existing) return this.repeat(existing, incoming);
        return { kind: 'conflict', reason: transition.reason, detail: transition.detail };
      }

      const delivery: DeliveryRecord = {
        webhookId: incoming.webhookId,
        bodySha256: incoming.bodySha256,
        referralId: transition.next.referralId,
        referralVersion: transition.next.version,
        referralStatus: transition.next.status,
        matchingRequest: { referralId: transition.next.referralId, version: transition.next.version, event: incoming.event.type },
        acceptedAt: transition.next.updatedAt,
        leaseUntil: nowMs + ENQUEUE_LEASE_MS,
      };
      const result = await this.store.commit(delivery, transition.next, transition.history, current?.version ?? 0);
      if (result === 'delivery-exists') {
        const existing = await this.store.getDelivery(incoming.webhookId);
        if (existing) return this.repeat(existing, incoming);
      }
      // Another delivery changed the referral first: read it again and decide again.
      if (result !== 'committed') continue;

      await this.enqueue(delivery);
      return { kind: 'accepted', result: summary(delivery) };
    }
    return {
      kind: 'conflict',
      reason: 'delivery-in-progress',
      detail: `referral ${incoming.event.data.referralId} is being changed by other deliveries; retry shortly`,
    };
  }

  private async repeat(existing: DeliveryRecord, incoming: IncomingDelivery): Promise<IntakeOutcome> {
    if (existing.bodySha256 !== incoming.bodySha256) {
      return {
        kind: 'conflict',
        reason: 'webhook-id-reused',
        detail: `webhook-id ${incoming.webhookId} was already used for a different body`,
      };
    }
    if (existing.enqueuedAt) return { kind: 'repeat', result: summary(existing) };

    const nowMs = this.clock.nowMs();
    if (!(await this.store.claimLease(existing.webhookId, nowMs, nowMs + ENQUEUE_LEASE_MS))) {
      return {
        kind: 'conflict',
        reason: 'delivery-in-progress',
        detail: `delivery ${existing.webhookId} is being processed; retry shortly`,
      };
    }
    await this.enqueue(existing);
    return { kind: 'accepted', result: summary(existing) };
  }

  private async enqueue(delivery: DeliveryRecord): Promise<void> {
    try {
      await this.publisher.publish(delivery.matchingRequest);
    } catch (cause) {
      // Let the sender's retry take over at once rather than after the lease.
      await this.store.releaseLease(delivery.webhookId).catch(() => undefined);
      throw new MatchingEnqueueFailed(delivery.webhookId, { cause });
    }
    // Sent: a failure to record that only means a later repeat sends it again,
    // which the matcher absorbs (idempotent per referral version).
    await this.store.markEnqueued(delivery.webhookId, new Date(this.clock.nowMs()).toISOString()).catch(() => undefined);
  }
}
