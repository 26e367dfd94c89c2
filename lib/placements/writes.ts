import type { Decision } from '#lib/auth';
import type { Home } from '#lib/estate';
import type { ReferralChange } from '#lib/referrals';
import type { BedHistory, Stay } from '#lib/time/bed-history';
import type { HomeCalendar } from '#lib/time/home-calendar';
import type { OverrideLogEntry } from './override-report';
import type { OutboxEntry } from './ports';
import type { Offer, Placement } from './schema';

/**
 * What a decision writes, as data: the DynamoDB adapter turns the list into
 * ONE TransactWriteItems, each write conditioned on the version it was
 * decided from. If any condition fails nothing is written, and the decision
 * is made again from a fresh read.
 */
export type Write =
  /** The home's calendar at `calendar.version` (= expectedVersion + 1; expectedVersion 0 = not yet stored). */
  | { kind: 'calendar'; calendar: HomeCalendar; expectedVersion: number }
  /** A bed's history at `history.version` (= expectedVersion + 1; 0 = not yet stored): every stay it ever held. */
  | { kind: 'bed-history'; history: BedHistory; expectedVersion: number }
  /** Nothing written, but the calendar must still be at `version` (its holds were checked). */
  | { kind: 'calendar-unchanged'; homeId: string; version: number }
  /** The home's profile at expectedVersion + 1 (0 = new), with who changed it and when. */
  | { kind: 'home'; home: Home; expectedVersion: number; changed: Decision }
  /** Nothing written, but the home must still be at `version` (its beds and out-of-use periods were checked). */
  | { kind: 'home-unchanged'; homeId: string; version: number }
  /** Bed ids are unique across the estate: a bed's id is claimed by its home. */
  | { kind: 'bed-claim'; bedId: string; homeId: string }
  | { kind: 'bed-release'; bedId: string; homeId: string }
  | { kind: 'referral'; change: ReferralChange }
  /** `offer.version` = expectedVersion + 1 (0 = new). */
  | { kind: 'offer'; offer: Offer; expectedVersion: number }
  | { kind: 'placement'; placement: Placement; expectedVersion: number }
  /**
   * The placing council is one we invoice (lib/invoicing reads the registry instead of scanning
   * placements). The same item every time, so it is written unconditionally: idempotent, and it
   * never fails the decision's transaction.
   */
  | { kind: 'placing-council'; laNumber: string }
  /** An override of the hard rules, in the log the override report reads (new: its decision is new). */
  | { kind: 'override-log'; entry: OverrideLogEntry }
  /** News of the decision for the regional inbox, into the outbox in the same transaction (notifications.ts). */
  | { kind: 'notification'; entry: OutboxEntry };

/**
 * One TransactWriteItems takes at most 100 items. The store adds its own to a decision's writes (the
 * estate change record, when a profile or calendar is written; the KPI book of each home whose
 * placements are written), so a list of writes made to fill a transaction (the go-live import's:
 * one home's at a time) stays within this many items.
 */
export const MAX_ITEMS_OF_WRITES = 98;

export type CommitResult = { kind: 'committed' } | { kind: 'conflict'; failed: Write[] };

export interface Decided<T> {
  writes: Write[];
  result: T;
}

export function calendarWrite(before: HomeCalendar, holds: HomeCalendar['holds']): Write & { kind: 'calendar' } {
  return { kind: 'calendar', calendar: { homeId: before.homeId, version: before.version + 1, holds }, expectedVersion: before.version };
}

export function historyWrite(before: BedHistory, stays: Stay[]): Write & { kind: 'bed-history' } {
  return { kind: 'bed-history', history: { ...before, version: before.version + 1, stays }, expectedVersion: before.version };
}
