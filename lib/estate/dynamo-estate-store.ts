import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#lib/aws/query-all';
import { singleItemReads, type ItemReads } from '#lib/aws/item-reads';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { calendarFromItem, changeFromItem, homeFromItem, type EstateChange, type VersionedHome } from './estate-items';
import { CALENDAR_SK, changeSk, ESTATE_CHANGES_PK, ESTATE_KIND_INDEX, estateKeys, EstateItemKind } from './estate-keys';
import type { EstateChangeFeed, EstateReader } from './estate-store';

export interface DynamoEstateStoreOptions {
  /** Told the read capacity units of every call (they are always requested: it costs nothing). */
  onConsumedCapacity?: (units: number, operation: 'query' | 'get' | 'batch-get') => void;
  /**
   * How the change feed asks whether the next change exists (one GetItem each by default). A batched
   * reader sends it with its caller's other reads and tells its own callback the units.
   */
  reads?: ItemReads;
}

/**
 * Reading the estate table (see estate-keys.ts): a home profile by key,
 * every profile or every calendar through one paginated Query of the byKind
 * index, and the change feed (estate-cache.ts) from the table itself. Homes are written by the placements context's decisions only
 * (ManagerDecisions.putHome), which claim each bed id in the same
 * transaction; this adapter never writes.
 * Index reads are eventually consistent; that is enough for matching, which
 * only proposes: offers and admissions are decided by conditional writes on
 * the calendar item itself.
 */
export class DynamoEstateStore implements EstateReader, EstateChangeFeed {
  private readonly reads: ItemReads;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoEstateStoreOptions = {},
  ) {
    this.reads = options.reads ?? singleItemReads(db, (_table, units) => options.onConsumedCapacity?.(units, 'get'));
  }

  async getHome(homeId: string): Promise<VersionedHome | undefined> {
    const { Item, ConsumedCapacity } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: estateKeys.home(homeId), ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.count(ConsumedCapacity, 'get');
    return Item ? homeFromItem(Item) : undefined;
  }

  async listHomes(): Promise<VersionedHome[]> {
    return (await this.queryKind(EstateItemKind.home)).map(homeFromItem);
  }

  async listCalendars(): Promise<HomeCalendar[]> {
    return (await this.queryKind(EstateItemKind.calendar)).map(calendarFromItem);
  }

  async latestChange(): Promise<number> {
    const { Items = [], ConsumedCapacity } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :changes',
        ExpressionAttributeValues: { ':changes': ESTATE_CHANGES_PK },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    this.count(ConsumedCapacity, 'query');
    return Items[0] ? changeFromItem(Items[0]).seq : 0;
  }

  async changesSince(seq: number): Promise<EstateChange[]> {
    // Changes are numbered with no gaps (estate-items.ts): while the next number is free, nothing moved.
    if (!(await this.reads.get({ table: this.tableName, key: estateKeys.change(seq + 1), attributes: [] }))) return [];
    const changes: EstateChange[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :changes AND sk > :seen',
          ExpressionAttributeValues: { ':changes': ESTATE_CHANGES_PK, ':seen': changeSk(seq) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.count(page.ConsumedCapacity, 'query');
      changes.push(...(page.Items ?? []).map(changeFromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return changes;
  }

  async readHomes(homeIds: readonly string[]): Promise<{ homes: VersionedHome[]; calendars: HomeCalendar[] }> {
    const keys = homeIds.flatMap((id) => [estateKeys.home(id), estateKeys.calendar(id)]);
    const items: Record<string, unknown>[] = [];
    // BatchGetItem takes 100 keys a call and may hand some back unprocessed: ask again for those.
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
      while (pending.length > 0) {
        const out = await this.db.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        for (const capacity of out.ConsumedCapacity ?? []) this.count(capacity, 'batch-get');
        items.push(...(out.Responses?.[this.tableName] ?? []));
        pending = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    const calendar = (item: Record<string, unknown>) => item.sk === CALENDAR_SK;
    return { homes: items.filter((i) => !calendar(i)).map(homeFromItem), calendars: items.filter(calendar).map(calendarFromItem) };
  }

  private queryKind(kind: EstateItemKind): Promise<Record<string, unknown>[]> {
    return queryAll(
      this.db,
      {
        TableName: this.tableName,
        IndexName: ESTATE_KIND_INDEX,
        KeyConditionExpression: 'gsi1pk = :kind',
        ExpressionAttributeValues: { ':kind': kind },
        ReturnConsumedCapacity: 'TOTAL',
      },
      (page) => this.count(page.ConsumedCapacity, 'query'),
    );
  }

  private count(capacity: ConsumedCapacity | undefined, operation: 'query' | 'get' | 'batch-get'): void {
    if (capacity?.CapacityUnits !== undefined) this.options.onConsumedCapacity?.(capacity.CapacityUnits, operation);
  }
}
