import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bedDirectoryKey } from '#lib/estate/bed-directory-keys';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { bedHistoryFromItem, bedHistoryItem, calendarFromItem, calendarItem, changeItem, emptyCalendar, homeFromItem, homeItem, type EstateChange, type VersionedHome } from '#lib/estate/estate-items';
import { estateKeys } from '#lib/estate/estate-keys';
import type { ReferralRecord } from '#lib/referrals/lifecycle';
import { referralKeys, statusIndexKeys } from '#lib/referrals/referral-keys';
import { emptyBedHistory, type BedHistory } from '#lib/time/bed-history';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { offerIndexKeys, placementIndexKeys, placementKeys, PLACEMENTS_INDEX, byReferralPk } from './placement-keys';
import { outboxKey } from './dynamo-notification-outbox';
import type { PlacementStore } from './placement-store';
import { Offer, Placement } from './schema';
import type { CommitResult, Write } from './writes';
import { queryAll } from '#lib/aws/query-all';
import { putIfAbsent } from '#lib/aws/conditional-writes';
import { getItem } from '#lib/aws/dynamo-table';
import { kpiBookUpdates } from './dynamo-kpi-book';

export interface PlacementTables {
  estate: string;
  referrals: string;
  placements: string;
}

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** `version = :expected`, or "not stored yet" for version 0. */
function versionCondition(expectedVersion: number) {
  return expectedVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } };
}

/** A Put of `Item` where the stored item is at the version read (0: where there is none yet). */
const putAtVersion = (TableName: string, Item: Record<string, unknown>, expectedVersion: number): TransactItem => ({ Put: { TableName, Item, ...versionCondition(expectedVersion) } });

/** A check that the item at `Key`, read at `version`, is still at it. */
const stillAtVersion = (TableName: string, Key: Record<string, unknown>, version: number): TransactItem => ({ ConditionCheck: { TableName, Key, ...versionCondition(version) } });

/** Tries at the next free estate change number before the decision is made again from a fresh read. */
const MAX_CHANGE_NUMBER_ATTEMPTS = 20;

/** What a decision's writes change in the estate, by home: what an EstateChange records. */
function estateChangeOf(writes: readonly Write[]): EstateChange['homes'] {
  const homes = new Map<string, EstateChange['homes'][number]>();
  const of = (homeId: string) => homes.get(homeId) ?? homes.set(homeId, { homeId }).get(homeId)!;
  for (const write of writes) {
    if (write.kind === 'calendar') of(write.calendar.homeId).calendarVersion = write.calendar.version;
    if (write.kind === 'home') of(write.home.id).profileVersion = write.expectedVersion + 1;
  }
  return [...homes.values()];
}

/**
 * DynamoDB implementation of the decisions' persistence across three tables:
 * estate (home profiles, calendars, beds' histories, the bed directory), referrals (status and
 * history) and placements (offers and placements). `commit` is one
 * TransactWriteItems, so a decision's writes land together or not at all; one
 * that writes a home's profile or calendar also records an EstateChange in it
 * (estate-cache.ts), which is how a warm matcher learns the estate moved; one that writes
 * placements also sets their entries in their homes' KPI books.
 */
export class DynamoPlacementStore implements PlacementStore {
  private readonly estate: DynamoEstateStore;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: PlacementTables,
  ) {
    this.estate = new DynamoEstateStore(db, tables.estate);
  }

  async getReferral(referralId: string): Promise<ReferralRecord | undefined> {
    const item = await getItem(this.db, this.tables.referrals, referralKeys.current(referralId));
    return item?.record as ReferralRecord | undefined;
  }

  async offersOfReferral(referralId: string): Promise<Offer[]> {
    const offers = await Promise.all((await this.idsOfReferral(referralId, 'OFFER#', 'offerId')).map((id) => this.getOffer(id)));
    return offers.filter((o): o is Offer => o !== undefined);
  }

  async placementsOfReferral(referralId: string): Promise<Placement[]> {
    const placements = await Promise.all((await this.idsOfReferral(referralId, 'PLACEMENT#', 'placementId')).map((id) => this.getPlacement(id)));
    return placements.filter((p): p is Placement => p !== undefined);
  }

  /** The index is eventually consistent: it only says which offers or placements exist; each is then read as it stands. */
  private async idsOfReferral(referralId: string, kind: 'OFFER#' | 'PLACEMENT#', idAttribute: 'offerId' | 'placementId'): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.placements,
      IndexName: PLACEMENTS_INDEX.byReferral,
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :kind)',
      ExpressionAttributeValues: { ':pk': byReferralPk(referralId), ':kind': kind },
      ProjectionExpression: idAttribute,
    });
    return items.map((i) => String(i[idAttribute]));
  }

  async getOffer(offerId: string): Promise<Offer | undefined> {
    const item = await getItem(this.db, this.tables.placements, placementKeys.offer(offerId));
    return item ? Offer.parse(item) : undefined;
  }

  async getPlacement(placementId: string): Promise<Placement | undefined> {
    const item = await getItem(this.db, this.tables.placements, placementKeys.placement(placementId));
    return item ? Placement.parse(item) : undefined;
  }

  async getHome(homeId: string): Promise<VersionedHome | undefined> {
    const item = await getItem(this.db, this.tables.estate, estateKeys.home(homeId));
    return item ? homeFromItem(item) : undefined;
  }

  async homeOfBed(bedId: string): Promise<string | undefined> {
    const item = await getItem(this.db, this.tables.estate, bedDirectoryKey(bedId));
    return item?.homeId as string | undefined;
  }

  async getCalendar(homeId: string): Promise<HomeCalendar> {
    const item = await getItem(this.db, this.tables.estate, estateKeys.calendar(homeId));
    return item ? calendarFromItem(item) : emptyCalendar(homeId);
  }

  async getBedHistory(homeId: string, bedId: string): Promise<BedHistory> {
    const item = await getItem(this.db, this.tables.estate, estateKeys.bedHistory(homeId, bedId));
    return item ? bedHistoryFromItem(item) : emptyBedHistory(homeId, bedId);
  }

  async commit(writes: Write[]): Promise<CommitResult> {
    const items = writes.map((write) => this.transactItems(write));
    const changed = estateChangeOf(writes);
    // The homes' KPI books move with their placements, in the same transaction (lib/placements/kpi-book.ts).
    const bookItems = kpiBookUpdates(this.tables.placements, writes);
    for (let attempt = 1; ; attempt++) {
      // Numbered after the last change, written only if that number is free: changes are numbered in commit order, no gaps.
      const change = changed.length > 0 ? { seq: (await this.estate.latestChange()) + 1, homes: changed } : undefined;
      const changeItems: TransactItem[] = change
        ? [{ Put: { TableName: this.tables.estate, Item: changeItem(change), ConditionExpression: 'attribute_not_exists(pk)' } }]
        : [];
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [...items.flat(), ...changeItems, ...bookItems] }));
        return { kind: 'committed' };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const retryable = new Set(['ConditionalCheckFailed', 'TransactionConflict', 'None']);
        if (!reasons.every((r) => retryable.has(r.Code ?? 'None'))) throw error;
        // Reasons line up with the flattened items; map them back to the writes that made them.
        let index = 0;
        const failed = writes.filter((_, w) => {
          const mine = reasons.slice(index, index + items[w]!.length);
          index += items[w]!.length;
          return mine.some((r) => r.Code === 'ConditionalCheckFailed');
        });
        // Only the change's number was contended: taken by a decision committed meanwhile, or wanted by one in
        // flight at the same moment (TransactionConflict). Another try at the next free number, after a short
        // random pause so that writers meeting on one number (the go-live import's parallel homes) spread out.
        const numberReason = reasons[index]?.Code;
        const numberContended = change !== undefined && failed.length === 0 && (numberReason === 'ConditionalCheckFailed' || numberReason === 'TransactionConflict');
        if (numberContended && attempt < MAX_CHANGE_NUMBER_ATTEMPTS) {
          await sleep(Math.random() * 10 * attempt);
          continue;
        }
        return { kind: 'conflict', failed };
      }
    }
  }

  private transactItems(write: Write): TransactItem[] {
    const { estate, referrals, placements } = this.tables;
    switch (write.kind) {
      case 'calendar':
        return [putAtVersion(estate, calendarItem(write.calendar), write.expectedVersion)];
      case 'bed-history':
        return [putAtVersion(estate, bedHistoryItem(write.history), write.expectedVersion)];
      case 'calendar-unchanged':
        return [stillAtVersion(estate, estateKeys.calendar(write.homeId), write.version)];
      case 'home':
        return [putAtVersion(estate, { ...homeItem(write.home, write.expectedVersion + 1), changed: write.changed }, write.expectedVersion)];
      case 'home-unchanged':
        return [stillAtVersion(estate, estateKeys.home(write.homeId), write.version)];
      case 'bed-claim':
        return [
          {
            Put: {
              TableName: estate,
              Item: { ...bedDirectoryKey(write.bedId), homeId: write.homeId },
              ConditionExpression: 'attribute_not_exists(pk) OR homeId = :home',
              ExpressionAttributeValues: { ':home': write.homeId },
            },
          },
        ];
      case 'bed-release':
        return [
          {
            Delete: {
              TableName: estate,
              Key: bedDirectoryKey(write.bedId),
              ConditionExpression: 'homeId = :home',
              ExpressionAttributeValues: { ':home': write.homeId },
            },
          },
        ];
      case 'referral': {
        const { next, expectedVersion, history } = write.change;
        return [
          putAtVersion(referrals, { ...referralKeys.current(next.referralId), ...statusIndexKeys(next), version: next.version, record: next }, expectedVersion),
          putIfAbsent(referrals, { ...referralKeys.history(history.referralId, history.version), entry: history }),
        ];
      }
      case 'offer':
        return [putAtVersion(placements, { ...placementKeys.offer(write.offer.offerId), ...offerIndexKeys(write.offer), ...write.offer }, write.expectedVersion)];
      case 'placement':
        return [putAtVersion(placements, { ...placementKeys.placement(write.placement.placementId), ...placementIndexKeys(write.placement), ...write.placement }, write.expectedVersion)];
      case 'override-log': {
        const { month, override } = write.entry;
        return [putIfAbsent(placements, { ...placementKeys.overrideLog(month, override.decision.at, override.givenWith.id), ...write.entry })];
      }
      case 'notification':
        return [putIfAbsent(placements, { ...outboxKey(write.entry), entry: write.entry })];
      case 'placing-council':
        return [{ Put: { TableName: placements, Item: { ...placementKeys.placingCouncil(write.laNumber), laNumber: write.laNumber } } }];
    }
  }
}
