import type { Home } from '#lib/estate';
import type { HomeCalendar } from '#lib/time/home-calendar';
import type { ReferralRecord } from '#lib/referrals';
import type { Stay } from './bed-state';
import * as z from '#lib/validation';
import { AlertThreshold } from './thresholds';
import type { VoidBedAlert } from './alert';

/** What the void-bed monitor reads and writes, as small ports; the DynamoDB, SNS and SQS adapters sit beside them. */

export interface VoidBedEstate {
  /** Every home (the daily check). */
  listHomes(): Promise<Home[]>;
  /** The home a bed belongs to (bed ids are unique across the estate), or undefined for an unknown bed. */
  homeOfBed(bedId: string): Promise<Home | undefined>;
  /** The home's calendar (current residents, for ranking referrals), empty if none is stored. */
  calendar(homeId: string): Promise<HomeCalendar>;
  /**
   * The bed's placements around `today`: the last one to start on or before
   * `today` and every one starting after it, ended ones included.
   * @param fresh placements just changed (the one a queued check names): read
   *   as they stand, since an index may not show the change yet
   */
  staysOf(bedId: string, today: string, fresh?: readonly string[]): Promise<Stay[]>;
}

export interface OpenReferrals {
  /** Every open referral with the referral as last received. */
  list(): Promise<ReferralRecord[]>;
}

/** The key of one alert: one per bed, per void spell (its first night), per threshold. */
export interface AlertKey {
  bedId: string;
  spellStart: string;
  threshold: AlertThreshold;
}

export type Claim =
  /** Ours to send: nobody has, and nobody is sending it now. */
  | { kind: 'claimed'; token: string }
  | { kind: 'already-sent' }
  /** Another run claimed it moments ago and is sending it. */
  | { kind: 'in-progress' };

/**
 * Which alerts were sent, and since when each bed is tracked. Claims are
 * conditional writes, so two runs (a schedule fired twice, a check from the
 * queue at the same moment) can never both send one alert.
 */
export interface AlertRecords {
  /**
   * What is recorded of each bed's sellable history: the date from which it
   * has been sellable as the monitor knows it; null while it is kept back;
   * absent for a bed never seen.
   */
  sellableSince(bedIds: readonly string[]): Promise<Map<string, string | null>>;
  /** Records it, unless another run recorded something else since `previous` was read. */
  recordSellableSince(bedId: string, since: string | null, previous: string | null | undefined): Promise<void>;
  /** Claims the alert for `leaseMs` (a claim that lapses unsent can be taken again). */
  claim(key: AlertKey, nowMs: number, leaseMs: number): Promise<Claim>;
  /** Marks a claimed alert sent, with what was sent (no child's data). */
  markSent(key: AlertKey, token: string, sent: { messageId: string; subject: string; alert: VoidBedAlert; atMs: number }): Promise<void>;
  /** Gives a claim back after a failed send, so a retry may take it at once. */
  release(key: AlertKey, token: string): Promise<void>;
}

export interface AlertPublisher {
  /** Publishes the alert; returns the message id. */
  publish(message: { subject: string; body: string; alert: VoidBedAlert }): Promise<string>;
}

/** A void-bed alert as sent to managers (what dynamo-alert-records.ts recorded): ids and figures only. */
export const SentAlert = z.object({
  bedId: z.string(),
  homeId: z.string(),
  voidSince: z.string(),
  threshold: AlertThreshold,
  sentAt: z.string(),
  subject: z.string(),
  nightsVoid: z.int(),
  incomeNotEarnedPence: z.int(),
  referralIds: z.array(z.string()),
});
export type SentAlert = z.infer<typeof SentAlert>;
