import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bedDirectoryKey } from '#lib/estate/bed-directory-keys';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { calendarFromItem, emptyCalendar } from '#lib/estate/estate-items';
import { estateKeys } from '#lib/estate/estate-keys';
import type { Home } from '#lib/estate/schema';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { byBedPk, placementKeys, PLACEMENTS_INDEX } from '#lib/placements/placement-keys';
import { Placement } from '#lib/placements/schema';
import { REFERRAL_STATUS_INDEX } from '#lib/referrals/dynamo-referral-views';
import { StoredReferralRecord } from '#lib/referrals/dynamo-referral-reader';
import type { ReferralRecord } from '#lib/referrals/lifecycle';
import { stayOf, type Stay } from './bed-state';
import type { OpenReferrals, VoidBedEstate } from './ports';
import { queryAll } from '#lib/aws/query-all';

/** Placements read per page of a bed's byBed index, newest start first: a bed rarely has more than one booked ahead. */
const STAYS_PAGE = 5;

/**
 * What the monitor reads, by key or through an index, never a scan: homes
 * through the estate's byKind index (the daily check) or a bed's home through
 * the bed directory (a check from the queue); a home's calendar by key; a
 * bed's placements through the placements table's byBed index, newest start
 * first, only until the last one begun by tonight (and the placement whose
 * change asked for the check by key, strongly consistent).
 */
export class DynamoVoidBedEstate implements VoidBedEstate {
  private readonly estate: DynamoEstateStore;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { estate: string; placements: string },
  ) {
    this.estate = new DynamoEstateStore(db, tables.estate);
  }

  async listHomes(): Promise<Home[]> {
    return (await this.estate.listHomes()).map((h) => h.home);
  }

  async homeOfBed(bedId: string): Promise<Home | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.estate, Key: bedDirectoryKey(bedId), ConsistentRead: true }));
    if (typeof Item?.homeId !== 'string') return undefined;
    return (await this.estate.getHome(Item.homeId))?.home;
  }

  async calendar(homeId: string): Promise<HomeCalendar> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.estate, Key: estateKeys.calendar(homeId), ConsistentRead: true }));
    return Item ? calendarFromItem(Item) : emptyCalendar(homeId);
  }

  async staysOf(bedId: string, today: string, fresh: readonly string[] = []): Promise<Stay[]> {
    const stays: Stay[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tables.placements,
          IndexName: PLACEMENTS_INDEX.byBed,
          KeyConditionExpression: 'gsi3pk = :bed',
          ExpressionAttributeValues: { ':bed': byBedPk(bedId) },
          ScanIndexForward: false,
          Limit: STAYS_PAGE,
          ExclusiveStartKey: startKey,
        }),
      );
      stays.push(...(page.Items ?? []).map((item) => stayOf(Placement.parse(item))));
      // Stays on one bed never share a night, so the last one begun by tonight is the only earlier one that matters.
      if (stays.some((s) => s.from <= today)) break;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // The index is eventually consistent: a placement ended a moment ago is read by key, as it stands.
    for (const placementId of fresh) {
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tables.placements, Key: placementKeys.placement(placementId), ConsistentRead: true }));
      if (!Item) continue;
      const placement = Placement.parse(Item);
      if (placement.bedId !== bedId) continue;
      const at = stays.findIndex((s) => s.placementId === placementId);
      if (at >= 0) stays[at] = stayOf(placement);
      else stays.push(stayOf(placement));
    }
    return stays;
  }
}

/** Open referrals through the referrals table's byStatus index (`STATUS#open`), every page. */
export class DynamoOpenReferrals implements OpenReferrals {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(): Promise<ReferralRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: REFERRAL_STATUS_INDEX,
      KeyConditionExpression: 'gsi1pk = :status',
      ExpressionAttributeValues: { ':status': 'STATUS#open' },
    });
    return items.map((item): ReferralRecord => {
      const { referral, ...record } = StoredReferralRecord.parse(item.record);
      return referral ? { ...record, referral } : record;
    });
  }
}
