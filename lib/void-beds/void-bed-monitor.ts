import { weeklyPricePence, type Bed, type Home } from '#lib/estate';
import { rankReferralsForBed, type ReferralToMatch } from '#lib/matching';
import type { ReferralRecord } from '#lib/referrals';
import { composeAlert, earliestStart, renderAlert, type ReferralSummary } from './alert';
import { bedStateOn, firstSellableSince, type BedState } from './bed-state';
import type { AlertKey, AlertPublisher, AlertRecords, OpenReferrals, VoidBedEstate } from './ports';
import { dueAlert, type AlertThreshold } from './thresholds';
import { inPool } from '#lib/pool';

/**
 * The void-bed check, for every bed (the daily schedule) or for the beds a
 * placement change touched (the checks queue). For each bed: where it stands
 * tonight (bed-state.ts), the one alert that calls for (thresholds.ts), and,
 * unless the alert records show it sent, the alert composed with the open
 * referrals that fit the bed best and published. No clock: the caller says
 * which London date "tonight" is and the instant referrals are ranked at.
 *
 * Sending is claim, publish, mark sent: a claim is a conditional write with a
 * short lease, so a second run never sends the same alert while the first is
 * sending it, and a run that failed to publish gives the claim back for its
 * retry (or tomorrow's run) to take.
 */

/** How long a claim keeps other runs off an alert: well under Lambda's first async retry (a minute). */
export const CLAIM_LEASE_MS = 30_000;

/** Beds checked at once in the daily run. */
const CONCURRENCY = 8;

export interface CheckMoment {
  /** The Europe/London date whose night is "tonight". */
  today: string;
  /** The instant referrals are ranked at (offers lapse against it). */
  asOfMs: number;
}

export type BedOutcome =
  | { bedId: string; homeId: string; outcome: 'sent'; threshold: AlertThreshold; messageId: string }
  | { bedId: string; homeId: string; outcome: 'already-sent' | 'in-progress'; threshold: AlertThreshold }
  | { bedId: string; homeId: string; outcome: 'no-alert'; state: BedState['kind'] }
  | { bedId: string; homeId?: string; outcome: 'failed'; error: string }
  | { bedId: string; outcome: 'unknown-bed' };

export interface CheckSummary {
  checkedOn: string;
  beds: number;
  void: number;
  sent: { bedId: string; threshold: AlertThreshold }[];
  alreadySent: number;
  failed: { bedId: string; error: string }[];
  outcomes: BedOutcome[];
}

export interface VoidBedMonitorDependencies {
  estate: VoidBedEstate;
  referrals: OpenReferrals;
  records: AlertRecords;
  publisher: AlertPublisher;
  /** Progress of a long run (beds done of beds to do). */
  onProgress?: (done: number, total: number) => void;
}

export class VoidBedMonitor {
  constructor(private readonly deps: VoidBedMonitorDependencies) {}

  /** Every bed of every home. */
  async checkAll(moment: CheckMoment): Promise<CheckSummary> {
    const homes = await this.deps.estate.listHomes();
    const beds = homes.flatMap((home) => home.beds.map((bed) => ({ home, bed })));
    return this.check(beds, moment);
  }

  /**
   * Just these beds (unknown ones are reported, not failed: a bed may have been removed since).
   * @param changedPlacements placements whose change asked for the check: read as they stand
   */
  async checkBeds(bedIds: readonly string[], moment: CheckMoment, changedPlacements: readonly string[] = []): Promise<CheckSummary> {
    const found: { home: Home; bed: Bed }[] = [];
    const unknown: BedOutcome[] = [];
    for (const bedId of [...new Set(bedIds)]) {
      const home = await this.deps.estate.homeOfBed(bedId);
      const bed = home?.beds.find((b) => b.id === bedId);
      if (home && bed) found.push({ home, bed });
      else unknown.push({ bedId, outcome: 'unknown-bed' });
    }
    const summary = await this.check(found, moment, changedPlacements);
    return { ...summary, outcomes: [...summary.outcomes, ...unknown] };
  }

  private async check(beds: readonly { home: Home; bed: Bed }[], moment: CheckMoment, changedPlacements: readonly string[] = []): Promise<CheckSummary> {
    const since = await this.deps.records.sellableSince(beds.map((b) => b.bed.id));
    const run = new RunContext(this.deps, moment, changedPlacements);
    const outcomes = await inPool(
      beds,
      CONCURRENCY,
      async ({ home, bed }): Promise<BedOutcome> => {
        try {
          return await run.checkBed(home, bed, since.get(bed.id));
        } catch (error) {
          return { bedId: bed.id, homeId: home.id, outcome: 'failed', error: (error as Error).message };
        }
      },
      (done) => this.deps.onProgress?.(done, beds.length),
    );
    return {
      checkedOn: moment.today,
      beds: beds.length,
      void: run.voidBeds,
      sent: outcomes.flatMap((o) => (o.outcome === 'sent' ? [{ bedId: o.bedId, threshold: o.threshold }] : [])),
      alreadySent: outcomes.filter((o) => o.outcome === 'already-sent' || o.outcome === 'in-progress').length,
      failed: outcomes.flatMap((o) => (o.outcome === 'failed' ? [{ bedId: o.bedId, error: o.error }] : [])),
      outcomes,
    };
  }
}

/** One run: the open referrals and calendars are read once, and only if an alert is to be sent. */
class RunContext {
  voidBeds = 0;
  private openReferrals?: Promise<ReferralRecord[]>;

  constructor(
    private readonly deps: VoidBedMonitorDependencies,
    private readonly moment: CheckMoment,
    private readonly changedPlacements: readonly string[] = [],
  ) {}

  async checkBed(home: Home, bed: Bed, recorded: string | null | undefined): Promise<BedOutcome> {
    const { records } = this.deps;
    const { today } = this.moment;
    const who = { bedId: bed.id, homeId: home.id };
    if (!bed.sellable) {
      // Remembered, so that when it is made sellable its void spell starts then, not at its last child's leaving.
      if (recorded !== null) await records.recordSellableSince(bed.id, null, recorded);
      return { ...who, outcome: 'no-alert', state: 'kept-back' };
    }
    const stays = await this.deps.estate.staysOf(bed.id, today, this.changedPlacements);
    let sellableSince = recorded;
    if (typeof sellableSince !== 'string') {
      sellableSince = recorded === null ? today : firstSellableSince(bed, stays, today);
      await records.recordSellableSince(bed.id, sellableSince, recorded);
    }
    const state = bedStateOn({ bed, stays, sellableSince }, today);
    if (state.kind === 'void') this.voidBeds += 1;
    const due = dueAlert(state);
    if (!due) return { ...who, outcome: 'no-alert', state: state.kind };

    const key: AlertKey = { bedId: bed.id, spellStart: due.spellStart, threshold: due.threshold };
    const claim = await records.claim(key, this.moment.asOfMs, CLAIM_LEASE_MS);
    if (claim.kind !== 'claimed') return { ...who, outcome: claim.kind, threshold: due.threshold };
    try {
      const alert = await this.compose(home, bed, state, due);
      const rendered = renderAlert(alert);
      const messageId = await this.deps.publisher.publish({ ...rendered, alert });
      await records.markSent(key, claim.token, { messageId, subject: rendered.subject, alert, atMs: this.moment.asOfMs });
      return { ...who, outcome: 'sent', threshold: due.threshold, messageId };
    } catch (error) {
      await records.release(key, claim.token).catch(() => undefined);
      throw error;
    }
  }

  private async compose(home: Home, bed: Bed, state: BedState, due: NonNullable<ReturnType<typeof dueAlert>>) {
    const voidFrom = due.threshold === 'void-in-14-days' ? due.spellStart : this.moment.today;
    const [calendar, open] = await Promise.all([this.deps.estate.calendar(home.id), this.open()]);
    const asOf = new Date(this.moment.asOfMs).toISOString();
    const requests = open.flatMap((record): ReferralToMatch[] => {
      if (!record.referral) return [];
      // The question is "who could move in here": from the first void night, or later if they are needed later.
      const from = earliestStart(record.referral.sought.neededFrom, voidFrom);
      const referral = { ...record.referral, sought: { ...record.referral.sought, neededFrom: from } };
      return [{ referralId: record.referralId, version: record.version, referral, asOf }];
    });
    const ranking = rankReferralsForBed(requests, home, calendar, bed.id);
    const summaries = new Map<string, ReferralSummary>(
      requests.map((r) => [
        r.referralId,
        {
          referralId: r.referralId,
          placingAuthority: { laNumber: r.referral.placingAuthority.laNumber, name: r.referral.placingAuthority.name },
          placementType: r.referral.sought.placementType,
          kind: r.referral.sought.kind,
          from: r.referral.sought.neededFrom,
        },
      ]),
    );
    return composeAlert({
      home,
      bed,
      state,
      due,
      checkedOn: this.moment.today,
      weeklyPricePence: weeklyPricePence(home, bed),
      fits: ranking.fits,
      considered: requests.length,
      summaries,
    });
  }

  private open(): Promise<ReferralRecord[]> {
    this.openReferrals ??= this.deps.referrals.list();
    return this.openReferrals;
  }
}
