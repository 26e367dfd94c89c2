import type { VersionedHome } from '#lib/estate';
import type { Page } from '#lib/referrals/ports';
import type { Month } from '#lib/time/calendar';
import type { HomeCalendar } from '#lib/time/home-calendar';
import type { NotificationDelivery } from '#lib/contracts/delivery-requests';
import type { OverrideLogEntry } from './override-report';
import type { Offer, Placement } from './schema';

/**
 * What other contexts ask of placements, and what the API reads of it. The
 * placements context implements these; callers depend on the port, never on the table.
 */

/** Matching's port, which placements implements (dynamo-offer-releaser.ts). */
export type { OfferReleaser } from '#lib/matching/ports';

/** Reads for the estate, occupancy and placement views (dynamo-occupancy-reader.ts). */
export interface OccupancyReads {
  /** Homes a page at a time. */
  homesPage(limit: number, cursor?: string): Promise<Page<VersionedHome>>;
  /** The calendars of these homes, by home id. */
  calendarsOf(homeIds: readonly string[]): Promise<Map<string, HomeCalendar>>;
  /** A bed's placements sharing a night with from … to−1. */
  placementsOfBed(bedId: string, from: string, to: string): Promise<Placement[]>;
  /** A referral's offers and placements. */
  ofReferral(referralId: string): Promise<{ offers: Offer[]; placements: Placement[] }>;
}

/** The override log of the hard rules, by month (dynamo-override-log.ts). */
export interface OverrideLog {
  entriesIn(months: readonly Month[]): Promise<OverrideLogEntry[]>;
}

/** Hands due notices to the deliveries queue, then takes them out of the outbox. */
export interface NotificationDispatcher {
  /** Just after a decision: what it wrote that is due now goes at once (best effort: the sweep is the safety net). */
  dispatch(entries: readonly OutboxEntry[]): Promise<void>;
}

export interface SweepOutcome {
  sent: number;
  /** Lapse notices for offers answered in time: never sent. */
  dropped: number;
}

/** A decision's notice in the outbox (notifications.ts derives them from the decision's writes). */
export interface OutboxEntry {
  /** When it may be sent: now, or (a lapse) when the offer runs out. */
  dueAt: string;
  request: NotificationDelivery;
  /** For a lapse: send only if the offer is still unanswered then. */
  onlyIfOfferUnanswered?: string;
}
