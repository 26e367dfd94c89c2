import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { calendarFromItem, homeFromItem, type VersionedHome } from '#lib/estate/estate-items';
import { ESTATE_KIND_INDEX, EstateItemKind, estateKeys } from '#lib/estate/estate-keys';
import { decodeCursor, encodeCursor, type CursorScope } from '#lib/http/cursor';
import type { Page } from '#lib/referrals/ports';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { byBedPk, byReferralPk, PLACEMENTS_INDEX } from './placement-keys';
import { Offer, Placement } from './schema';
import { queryAll } from '#lib/aws/query-all';
import type { OccupancyReads } from './ports';

/** Pages of the homes in the byKind index. */
const HOMES_SCOPE: CursorScope = { keys: { pk: 'any', sk: 'any', gsi1pk: { equals: EstateItemKind.home }, gsi1sk: 'any' } };
/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX = 100;

/**
 * Reads for the estate, occupancy and placement views: homes a page at a
 * time through the byKind index, their calendars by key, and a bed's or a
 * referral's placements through the placements table's indexes. No scans.
 */
export class DynamoOccupancyReader implements OccupancyReads {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { estate: string; placements: string },
  ) {}

  async homesPage(limit: number, cursor?: string): Promise<Page<VersionedHome>> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tables.estate,
        IndexName: ESTATE_KIND_INDEX,
        KeyConditionExpression: 'gsi1pk = :kind',
        ExpressionAttributeValues: { ':kind': EstateItemKind.home },
        ExclusiveStartKey: decodeCursor(cursor, HOMES_SCOPE),
        Limit: limit,
      }),
    );
    const next = encodeCursor(page.LastEvaluatedKey, HOMES_SCOPE);
    return { items: (page.Items ?? []).map(homeFromItem), ...(next ? { cursor: next } : {}) };
  }

  /** The stored calendars of these homes, by home id (a home that never held a bed has none). */
  async calendarsOf(homeIds: readonly string[]): Promise<Map<string, HomeCalendar>> {
    const calendars = new Map<string, HomeCalendar>();
    for (let i = 0; i < homeIds.length; i += BATCH_GET_MAX) {
      let keys: Record<string, unknown>[] | undefined = homeIds.slice(i, i + BATCH_GET_MAX).map((id) => estateKeys.calendar(id));
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tables.estate]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of result.Responses?.[this.tables.estate] ?? []) {
          const calendar = calendarFromItem(item);
          calendars.set(calendar.homeId, calendar);
        }
        keys = result.UnprocessedKeys?.[this.tables.estate]?.Keys;
      }
    }
    return calendars;
  }

  /** The bed's placements that began before `to` and had not ended by `from`: ended ones too. */
  async placementsOfBed(bedId: string, from: string, to: string): Promise<Placement[]> {
    const items = await this.queryAll({
      IndexName: PLACEMENTS_INDEX.byBed,
      KeyConditionExpression: 'gsi3pk = :bed AND gsi3sk < :to',
      ExpressionAttributeValues: { ':bed': byBedPk(bedId), ':to': to },
    });
    return items.map((i) => Placement.parse(i)).filter((p) => p.ending === undefined || p.ending.endDate > from);
  }

  /** Every offer and placement made for a referral, oldest first. */
  async ofReferral(referralId: string): Promise<{ offers: Offer[]; placements: Placement[] }> {
    const items = await this.queryAll({
      IndexName: PLACEMENTS_INDEX.byReferral,
      KeyConditionExpression: 'gsi1pk = :referral',
      ExpressionAttributeValues: { ':referral': byReferralPk(referralId) },
    });
    return {
      offers: items.filter((i) => String(i.gsi1sk).startsWith('OFFER#')).map((i) => Offer.parse(i)),
      placements: items.filter((i) => String(i.gsi1sk).startsWith('PLACEMENT#')).map((i) => Placement.parse(i)),
    };
  }

  private queryAll(query: { IndexName: string; KeyConditionExpression: string; ExpressionAttributeValues: Record<string, string> }) {
    return queryAll(this.db, { TableName: this.tables.placements, ...query });
  }
}
