import { applyReferralEvent, type ReferralHistoryEntry, type ReferralRecord, type ReferralStatus } from './lifecycle';
import type { ReferralEvent } from './schema';
import type { MatchingPublisher, MatchingRequest } from './ports';
import type { Clock } from '#lib/clock';

/**
 * Accepting one verified, parsed webhook delivery: exactly one change to the
 * referral per `webhook-id`, however often and however concurrently it arrives,
 * and its matching request sent at least once.
 *
 * The delivery record, the referral and its history entry are written in one
 * transaction; the matching request is sent after it. That is all a new
 * delivery costs: two calls. If the send fails the answer is 503, the failure
 * is noted on the delivery record, and the sender's retry sends it then.
 *
 * A repeat (the sender did not hear our answer, or sent copies at once) cannot
 * tell whether the first attempt's send succeeded, so it sends the request
 * again unless a send is recorded, and records it: the matcher is idempotent
 * per referral version, so a second message costs one cheap no-op, where
 * recording every send would cost every delivery a third call.
 */

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
  /** A send of the matching request is known to have succeeded (recorded by repeats; the first attempt spends no write on it). */
  enqueuedAt?: string;
  /** The first attempt's send failed: it answered 503, so its retry is the delivery's acceptance. */
  sendFailedAt?: string;
}

export type CommitResult = 'committed' | 'delivery-exists' | 'version-conflict';

/** Persistence the intake needs; the DynamoDB adapter implements it with one transaction. */
export interface IntakeStore {
  getDelivery(webhookId: string): Promise<DeliveryRecord | undefined>;
  getReferral(referralId: string): Promise<ReferralRecord | undefined>;
  /** Atomically records the delivery (if new) and writes the referral at `expectedVersion` (0 = new). */
  commit(delivery: DeliveryRecord, next: ReferralRecord, history: ReferralHistoryEntry, expectedVersion: number): Promise<CommitResult>;
  markEnqueued(webhookId: string, at: string): Promise<void>;
  markSendFailed(webhookId: string, at: string): Promise<void>;
}

export interface IncomingDelivery {
  webhookId: string;
  bodySha256: string;
  event: ReferralEvent;
}

/** The referral as the accepted delivery left it. */
export type Accepted = Pick<ReferralRecord, 'referralId' | 'status' | 'version'>;

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
    // event would conflict with the referral as it now stands). A new referral
    // is not read first either: the write's condition says whether it exists,
    // and if it does the next attempt reads it and decides again.
    for (let attempt = 0; attempt <= MAX_VERSION_RETRIES; attempt++) {
      const assumeNew = attempt === 0 && incoming.event.type === 'referral.created';
      const current = assumeNew ? undefined : await this.store.getReferral(incoming.event.data.referralId);
      const transition = applyReferralEvent(current, incoming.event, {
        webhookId: incoming.webhookId,
        receivedAt: this.now(),
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
      };
      const result = await this.store.commit(delivery, transition.next, transition.history, current?.version ?? 0);
      if (result === 'delivery-exists') {
        const existing = await this.store.getDelivery(incoming.webhookId);
        if (existing) return this.repeat(existing, incoming);
      }
      // Another delivery changed the referral first (or the referral we took for new exists): read it again and decide again.
      if (result !== 'committed') continue;

      try {
        await this.publisher.publish(delivery.matchingRequest);
      } catch (cause) {
        // Noted so that the retry, which sends it, answers as the acceptance it then is.
        await this.store.markSendFailed(delivery.webhookId, this.now()).catch(() => undefined);
        throw new MatchingEnqueueFailed(delivery.webhookId, { cause });
      }
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
    try {
      await this.publisher.publish(existing.matchingRequest);
    } catch (cause) {
      throw new MatchingEnqueueFailed(existing.webhookId, { cause });
    }
    // Sent: a failure to record that only means a later repeat sends it again.
    await this.store.markEnqueued(existing.webhookId, this.now()).catch(() => undefined);
    return { kind: existing.sendFailedAt ? 'accepted' : 'repeat', result: summary(existing) };
  }

  private now(): string {
    return new Date(this.clock.nowMs()).toISOString();
  }
}
