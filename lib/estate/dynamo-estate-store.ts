import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HomeCalendar } from '#lib/placements/calendar';
import { calendarFromItem, homeFromItem, type VersionedHome } from './estate-items';
import { ESTATE_KIND_INDEX, estateKeys, EstateItemKind } from './estate-keys';
import type { EstateReader } from './estate-store';

export interface DynamoEstateStoreOptions {
  /** Told the read capacity units of every call (they are always requested: it costs nothing). */
  onConsumedCapacity?: (units: number, operation: 'query' | 'get') => void;
}

/**
 * Reading the estate table (see estate-keys.ts): a home profile by key, and
 * every profile or every calendar through one paginated Query of the byKind
 * index. Homes are written by the placements context's decisions only
 * (ManagerDecisions.putHome), which claim each bed id in the same
 * transaction; this adapter never writes.
 * Index reads are eventually consistent; that is enough for matching, which
 * only proposes: offers and admissions are decided by conditional writes on
 * the calendar item itself.
 */
export class DynamoEstateStore implements EstateReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: DynamoEstateStoreOptions = {},
  ) {}

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

  private async queryKind(kind: EstateItemKind): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: ESTATE_KIND_INDEX,
          KeyConditionExpression: 'gsi1pk = :kind',
          ExpressionAttributeValues: { ':kind': kind },
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      this.count(page.ConsumedCapacity, 'query');
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  private count(capacity: ConsumedCapacity | undefined, operation: 'query' | 'get'): void {
    if (capacity?.CapacityUnits !== undefined) this.options.onConsumedCapacity?.(capacity.CapacityUnits, operation);
  }
}
