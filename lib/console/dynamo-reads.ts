import { BatchGetCommand, GetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { bedHistoryFromItem, calendarFromItem } from '#lib/estate/estate-items';
import { EstateCache } from '#lib/estate/estate-cache';
import { estateKeys } from '#lib/estate/estate-keys';
import type { Stay } from '#lib/time/bed-history';
import { sentAlerts } from '#lib/void-beds/dynamo-sent-alerts';
import type { ConsoleReads } from './ports';

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX = 100;

/** The console's reads over the stack's tables (see reads.ts): by key or index, never a scan. */
export function dynamoConsoleReads(deps: { db: DynamoDBDocumentClient; estate: DynamoEstateStore; estateTable: string; alertsTable: string }): ConsoleReads {
  const { db, estateTable } = deps;
  // The estate kept in the container and brought up to date from its change feed: a warm read is one small query.
  const estate = new EstateCache(deps.estate);
  return {
    async estate() {
      const { homes, calendars } = await estate.snapshot();
      return { homes, calendars };
    },

    async stays(beds) {
      const found = new Map<string, Stay[]>();
      const batches: Array<Record<string, unknown>[]> = [];
      for (let i = 0; i < beds.length; i += BATCH_GET_MAX) batches.push(beds.slice(i, i + BATCH_GET_MAX).map((b) => estateKeys.bedHistory(b.homeId, b.bedId)));
      await Promise.all(
        batches.map(async (batch) => {
          let keys: Record<string, unknown>[] | undefined = batch;
          while (keys && keys.length > 0) {
            const result: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: { [estateTable]: { Keys: keys } } }));
            for (const item of result.Responses?.[estateTable] ?? []) {
              const history = bedHistoryFromItem(item);
              found.set(history.bedId, history.stays);
            }
            keys = result.UnprocessedKeys?.[estateTable]?.Keys;
          }
        }),
      );
      return found;
    },

    async calendar(homeId) {
      const { Item } = await db.send(new GetCommand({ TableName: estateTable, Key: estateKeys.calendar(homeId) }));
      return Item ? calendarFromItem(Item) : { homeId, version: 0, holds: [] };
    },

    sentAlerts: (months, limit) => sentAlerts(db, deps.alertsTable, months, limit),
  };
}
