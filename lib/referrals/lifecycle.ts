import * as z from 'zod/mini';
import type { Referral, ReferralEvent, ReferralEventType } from './schema';

/**
 * A referral's life as the regional inbox drives it. Webhooks are not ordered,
 * so an update may arrive before its create: it carries the whole referral and
 * opens it. Offers and placements (manager decisions) move it on from `open`.
 */
export const ReferralStatus = z.enum(['open', 'offered', 'accepted', 'placed', 'withdrawn']);
export type ReferralStatus = z.infer<typeof ReferralStatus>;

const CLOSED: ReadonlySet<ReferralStatus> = new Set(['placed', 'withdrawn']);

export interface ReferralRecord {
  referralId: string;
  status: ReferralStatus;
  /** Increases by one with every accepted event; proposals are keyed on it. */
  version: number;
  placingLa: string;
  /** The last full referral received (kept on withdrawal). Absent if only ever withdrawn. */
  referral?: Referral;
  createdAt: string;
  updatedAt: string;
}

export interface ReferralHistoryEntry {
  referralId: string;
  version: number;
  event: ReferralEventType;
  webhookId: string;
  receivedAt: string;
  /** Top-level sections of the referral that this event changed. */
  changed: string[];
  referral?: Referral;
}

export type Transition =
  | { kind: 'apply'; next: ReferralRecord; history: ReferralHistoryEntry }
  | { kind: 'reject'; reason: 'referral-exists' | 'referral-closed'; detail: string };

export interface EventContext {
  webhookId: string;
  /** ISO instant the delivery was received. */
  receivedAt: string;
}

function changedSections(before: Referral | undefined, after: Referral | undefined): string[] {
  if (!after) return [];
  if (!before) return Object.keys(after).sort();
  return (Object.keys(after) as (keyof Referral)[])
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .sort();
}

/** Decides what one webhook event does to the referral as it stands. Pure. */
export function applyReferralEvent(
  current: ReferralRecord | undefined,
  event: ReferralEvent,
  ctx: EventContext,
): Transition {
  if (current && CLOSED.has(current.status)) {
    return {
      kind: 'reject',
      reason: 'referral-closed',
      detail: `referral ${current.referralId} is ${current.status}; it can no longer be ${event.type === 'referral.withdrawn' ? 'withdrawn' : 'changed'}`,
    };
  }
  if (current && event.type === 'referral.created') {
    return {
      kind: 'reject',
      reason: 'referral-exists',
      detail: `referral ${current.referralId} already exists; send referral.updated to change it`,
    };
  }

  const referral = event.type === 'referral.withdrawn' ? current?.referral : event.data;
  const next: ReferralRecord = {
    referralId: event.data.referralId,
    status: event.type === 'referral.withdrawn' ? 'withdrawn' : (current?.status ?? 'open'),
    version: (current?.version ?? 0) + 1,
    placingLa: referral?.placingAuthority.laNumber ?? current?.placingLa ?? 'unknown',
    ...(referral ? { referral } : {}),
    createdAt: current?.createdAt ?? ctx.receivedAt,
    updatedAt: ctx.receivedAt,
  };
  const history: ReferralHistoryEntry = {
    referralId: next.referralId,
    version: next.version,
    event: event.type,
    webhookId: ctx.webhookId,
    receivedAt: ctx.receivedAt,
    changed: event.type === 'referral.withdrawn' ? ['status'] : changedSections(current?.referral, event.data),
    ...(event.type === 'referral.withdrawn' ? {} : { referral: event.data }),
  };
  return { kind: 'apply', next, history };
}
