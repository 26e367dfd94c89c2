import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#lib/aws/query-all';
import { byBedPk, PLACEMENTS_INDEX, placementKeys } from './placement-keys';
import { Placement } from './schema';
import type { Write } from './writes';
import { bookEntries, bookEntriesOf, bookItem, entryAttribute, kpiBookKey, storedEntry } from './kpi-book';
import { kpiPlacementOf, type KpiPlacement } from './kpi-placement';
import { inPool } from '#lib/pool';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX = 100;
/** Requests in flight at once while rebuilding. */
const CONCURRENCY = 16;
/** Tries at one home's book when decisions keep writing it meanwhile. */
const MAX_REBUILD_ATTEMPTS = 5;

/**
 * The KPI books' part of a decision's transaction: one update per home whose placements the
 * decision writes, setting their entries and counting the book's version up. Unconditional: the
 * placements' own writes carry the conditions, and the transaction lands whole or not at all.
 */
export function kpiBookUpdates(table: string, writes: readonly Write[]): TransactItem[] {
  const placements = writes.flatMap((w) => (w.kind === 'placement' ? [w.placement] : []));
  return [...bookEntriesOf(placements)].map(([homeId, entries]) => ({
    Update: {
      TableName: table,
      Key: kpiBookKey(homeId),
      UpdateExpression: `SET #home = :home, ${entries.map((_, i) => `#p${i} = :p${i}`).join(', ')} ADD #version :one`,
      ExpressionAttributeNames: { '#home': 'homeId', '#version': 'version', ...Object.fromEntries(entries.map((e, i) => [`#p${i}`, entryAttribute(e.placementId)])) },
      ExpressionAttributeValues: { ':home': homeId, ':one': 1, ...Object.fromEntries(entries.map((e, i) => [`:p${i}`, storedEntry(e)])) },
    },
  }));
}

export interface RebuildOutcome {
  homes: number;
  placements: number;
  /** Books whose entries differed from the placements (rewritten, unless checking only). */
  differing: string[];
}

interface StoredBook {
  version: number;
  entries: KpiPlacement[];
}

/** JSON with keys in order: an entry read back compares equal to the one written. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
const sameEntries = (a: readonly KpiPlacement[], b: readonly KpiPlacement[]) => {
  const key = (list: readonly KpiPlacement[]) => canonical([...list].sort((x, y) => x.placementId.localeCompare(y.placementId)));
  return key(a) === key(b);
};

/**
 * The homes' KPI books in the placements table: read for the KPIs, rebuilt from the placements.
 * The books read are kept in the instance and read again only when their version moves (every
 * write of a book counts its version up), so a warm read of the KPIs reads 200 versions, not 200
 * books of every placement.
 */
export class DynamoKpiBook {
  private readonly kept = new Map<string, StoredBook>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Every entry of these homes' books (a home with no book has no placements). */
  async placementsOfHomes(homeIds: readonly string[]): Promise<KpiPlacement[]> {
    const versions = await this.versions(homeIds);
    const moved = homeIds.filter((id) => versions.has(id) && this.kept.get(id)?.version !== versions.get(id));
    if (moved.length > 0) for (const [homeId, book] of await this.books(moved, false)) this.kept.set(homeId, book);
    return homeIds.flatMap((id) => (versions.has(id) ? (this.kept.get(id)?.entries ?? []) : []));
  }

  /** Each of these homes' book version (homes with no book are absent). */
  private async versions(homeIds: readonly string[]): Promise<Map<string, number>> {
    const items = await this.batchGet(homeIds.map(kpiBookKey), false, { ProjectionExpression: '#home, #version', ExpressionAttributeNames: { '#home': 'homeId', '#version': 'version' } });
    return new Map(items.map((item) => [String(item.homeId), Number(item.version ?? 0)]));
  }

  /**
   * Works every home's book out again from the placements (each bed's through the byBed index,
   * then each placement read as it stands) and rewrites those that differ, each conditioned on
   * the version it read first: a decision committed meanwhile makes that home start again.
   * With `check`, writes nothing and says which books differ.
   */
  async rebuild(homes: readonly { id: string; beds: readonly { id: string }[] }[], options: { check?: boolean } = {}): Promise<RebuildOutcome> {
    const homeIds = homes.map((h) => h.id);
    const stored = await this.books(homeIds, true);
    const ids = new Set([...stored.values()].flatMap((b) => b.entries.map((e) => e.placementId)));
    await inPool(homes.flatMap((h) => h.beds.map((b) => b.id)), CONCURRENCY, async (bedId) => {
      for (const id of await this.placementIdsOfBed(bedId)) ids.add(id);
    });
    const placements = await this.placementsById([...ids]);
    const byHome = new Map<string, KpiPlacement[]>(homeIds.map((id) => [id, []]));
    for (const p of placements) byHome.set(p.homeId, [...(byHome.get(p.homeId) ?? []), kpiPlacementOf(p)]);

    const differing: string[] = [];
    await inPool([...byHome], CONCURRENCY, async ([homeId, entries]) => {
      const book = stored.get(homeId) ?? { version: 0, entries: [] };
      if (sameEntries(book.entries, entries)) return;
      differing.push(homeId);
      if (options.check) return;
      if (await this.replace(homeId, book.version, entries)) return;
      await this.rebuildHome(homes.find((h) => h.id === homeId) ?? { id: homeId, beds: [] });
    });
    return { homes: byHome.size, placements: placements.length, differing: differing.sort() };
  }

  /** One home again, from a fresh read, until no decision writes it in between. */
  private async rebuildHome(home: { id: string; beds: readonly { id: string }[] }): Promise<void> {
    for (let attempt = 1; attempt <= MAX_REBUILD_ATTEMPTS; attempt++) {
      const book = (await this.books([home.id], true)).get(home.id) ?? { version: 0, entries: [] };
      const ids = new Set(book.entries.map((e) => e.placementId));
      for (const bed of home.beds) for (const id of await this.placementIdsOfBed(bed.id)) ids.add(id);
      const entries = (await this.placementsById([...ids])).filter((p) => p.homeId === home.id).map(kpiPlacementOf);
      if (await this.replace(home.id, book.version, entries)) return;
    }
    throw new Error(`the KPI book of ${home.id} kept changing while it was rebuilt: run the rebuild again`);
  }

  private async replace(homeId: string, version: number, entries: readonly KpiPlacement[]): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: bookItem(homeId, version + 1, entries),
          ...(version === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': version } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async placementIdsOfBed(bedId: string): Promise<string[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: PLACEMENTS_INDEX.byBed,
      KeyConditionExpression: 'gsi3pk = :bed',
      ExpressionAttributeValues: { ':bed': byBedPk(bedId) },
      ProjectionExpression: 'placementId',
    });
    return items.map((i) => String(i.placementId));
  }

  /** Each placement as it stands (consistent reads of the table: the index may lag). */
  private async placementsById(ids: readonly string[]): Promise<Placement[]> {
    const items = await this.batchGet(ids.map(placementKeys.placement), true);
    return items.map((i) => Placement.parse(i));
  }

  private async books(homeIds: readonly string[], consistent: boolean): Promise<Map<string, StoredBook>> {
    const items = await this.batchGet(homeIds.map(kpiBookKey), consistent);
    return new Map(items.map((item) => [String(item.homeId), { version: Number(item.version ?? 0), entries: bookEntries(item) }]));
  }

  private async batchGet(keys: readonly Record<string, string>[], consistent: boolean, projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {}): Promise<Record<string, unknown>[]> {
    const chunks: Record<string, string>[][] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX) chunks.push(keys.slice(i, i + BATCH_GET_MAX));
    const found: Record<string, unknown>[] = [];
    await inPool(chunks, CONCURRENCY, async (chunk) => {
      let pending: Record<string, unknown>[] | undefined = chunk;
      while (pending && pending.length > 0) {
        const out: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: consistent, ...projection } } }));
        found.push(...(out.Responses?.[this.table] ?? []));
        pending = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    });
    return found;
  }
}
