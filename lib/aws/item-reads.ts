import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

export interface ItemRead {
  table: string;
  key: Item;
  /** Only these attributes besides the key (every attribute when absent). */
  attributes?: readonly string[];
}

/** Strongly consistent reads of one item by its key. */
export interface ItemReads {
  get(read: ItemRead): Promise<Item | undefined>;
}

/** Told the read capacity units each call consumed, per table. */
export type OnTableUnits = (table: string, units: number) => void;

/** BatchGetItem takes at most 100 keys a call. */
const KEYS_PER_CALL = 100;

/** One GetItem per read (the units it consumed asked for only when someone is told them). */
export function singleItemReads(db: DynamoDBDocumentClient, onConsumedCapacity?: OnTableUnits): ItemReads {
  return {
    async get({ table, key, attributes }) {
      const { Item, ConsumedCapacity } = await db.send(
        new GetCommand({
          TableName: table,
          Key: key,
          ConsistentRead: true,
          ...projection([{ table, key, attributes }]),
          ...(onConsumedCapacity ? { ReturnConsumedCapacity: 'TOTAL' } : {}),
        }),
      );
      if (ConsumedCapacity?.CapacityUnits !== undefined) onConsumedCapacity?.(table, ConsumedCapacity.CapacityUnits);
      return Item;
    },
  };
}

interface Waiting {
  read: ItemRead;
  resolve: (item: Item | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads asked for in the same turn of the event loop, sent as one BatchGetItem (across tables;
 * a key asked for twice is asked once). A matcher's request reads the referral, whether its
 * version has a proposal and whether the estate has a new change, all at once: one call instead
 * of three. The read units are those of the separate GetItems.
 */
export function batchedItemReads(db: DynamoDBDocumentClient, onConsumedCapacity?: OnTableUnits): ItemReads {
  let waiting: Waiting[] = [];
  const flush = () => {
    const due = waiting;
    waiting = [];
    readAll(db, due, onConsumedCapacity).catch((error: unknown) => due.forEach((w) => w.reject(error)));
  };
  return {
    get(read) {
      return new Promise((resolve, reject) => {
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ read, resolve, reject });
      });
    },
  };
}

async function readAll(db: DynamoDBDocumentClient, due: readonly Waiting[], onConsumedCapacity?: OnTableUnits): Promise<void> {
  const byId = new Map<string, Waiting[]>();
  for (const w of due) {
    const id = identity(w.read.table, w.read.key, Object.keys(w.read.key));
    byId.set(id, [...(byId.get(id) ?? []), w]);
  }
  const found = new Map<string, Item>();
  const distinct = [...byId.values()].map((ws) => ws[0]!.read);
  for (let i = 0; i < distinct.length; i += KEYS_PER_CALL) {
    const chunk = distinct.slice(i, i + KEYS_PER_CALL);
    const tables = [...new Set(chunk.map((r) => r.table))];
    let pending: Record<string, { Keys: Item[] }> = Object.fromEntries(tables.map((t) => [t, { Keys: chunk.filter((r) => r.table === t).map((r) => r.key) }]));
    for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
      // Unprocessed keys (throttling) are asked for again after a growing pause, as AWS advises.
      if (attempt > 0) await sleep(Math.min(2 ** attempt * 10, 1_000));
      const out = await db.send(
        new BatchGetCommand({
          RequestItems: Object.fromEntries(
            Object.entries(pending).map(([table, { Keys }]) => [table, { Keys, ConsistentRead: true, ...projection(chunk.filter((r) => r.table === table)) }]),
          ),
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      for (const capacity of out.ConsumedCapacity ?? []) {
        if (capacity.TableName && capacity.CapacityUnits !== undefined) onConsumedCapacity?.(capacity.TableName, capacity.CapacityUnits);
      }
      for (const [table, items] of Object.entries(out.Responses ?? {})) {
        const keyNames = Object.keys(chunk.find((r) => r.table === table)!.key);
        for (const item of items) found.set(identity(table, item, keyNames), item);
      }
      pending = Object.fromEntries(Object.entries(out.UnprocessedKeys ?? {}).map(([table, { Keys = [] }]) => [table, { Keys }]));
    }
  }
  for (const [id, ws] of byId) for (const w of ws) w.resolve(found.get(id));
}

function identity(table: string, item: Item, keyNames: readonly string[]): string {
  return JSON.stringify([table, ...[...keyNames].sort().map((name) => item[name])]);
}

/** The attributes every read of a table asked for, with the key's: none (every attribute) if any read wants the whole item. */
function projection(reads: readonly ItemRead[]): { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } {
  if (reads.some((r) => !r.attributes)) return {};
  const names = [...new Set(reads.flatMap((r) => [...Object.keys(r.key), ...r.attributes!]))];
  return {
    ProjectionExpression: names.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
  };
}
