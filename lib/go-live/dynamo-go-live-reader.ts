import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bedDirectoryKey } from '#lib/estate/bed-directory-keys';
import { bedHistoryFromItem, calendarFromItem, homeFromItem, type VersionedHome } from '#lib/estate/estate-items';
import { CALENDAR_SK, estateKeys, HISTORY_SK_PREFIX, PROFILE_SK } from '#lib/estate/estate-keys';
import type { BedHistory } from '#lib/time/bed-history';
import type { HomeCalendar } from '#lib/time/home-calendar';
import type { PlacementTables } from '#lib/placements/dynamo-placement-store';
import { placementKeys } from '#lib/placements/placement-keys';
import { Placement } from '#lib/placements/schema';
import { historyKey, type StoredState } from './import-plan';
import type { GoLiveReader, StoredStateRequest } from './ports';

/** BatchGetItem takes at most 100 keys. */
const BATCH = 100;
const PARALLEL = 4;

type Key = Record<string, string>;

/**
 * Reads what an import checks against by key, 100 keys to a strongly
 * consistent BatchGetItem, a few at a time: never a scan. Keys left
 * unprocessed (throttling) are asked for again.
 */
export class DynamoGoLiveReader implements GoLiveReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Pick<PlacementTables, 'estate' | 'placements'>,
  ) {}

  async read(request: StoredStateRequest): Promise<StoredState> {
    const estateKeysWanted: Key[] = [
      ...request.homeIds.flatMap((id) => [estateKeys.home(id), estateKeys.calendar(id)]),
      ...request.beds.map((b) => estateKeys.bedHistory(b.homeId, b.bedId)),
      ...request.bedIds.map(bedDirectoryKey),
      // The calendars of stored homes that only placements name.
      ...[...new Set(request.beds.map((b) => b.homeId))].filter((id) => !request.homeIds.includes(id)).flatMap((id) => [estateKeys.home(id), estateKeys.calendar(id)]),
    ];
    const [estateItems, placementItems] = await Promise.all([
      this.getAll(this.tables.estate, dedupe(estateKeysWanted)),
      this.getAll(this.tables.placements, request.placementIds.map(placementKeys.placement)),
    ]);
    const homes = new Map<string, VersionedHome>();
    const calendars = new Map<string, HomeCalendar>();
    const histories = new Map<string, BedHistory>();
    const bedHomes = new Map<string, string>();
    for (const item of estateItems) {
      const sk = String(item.sk);
      if (sk === PROFILE_SK) {
        const home = homeFromItem(item);
        homes.set(home.home.id, home);
      } else if (sk === CALENDAR_SK) {
        const calendar = calendarFromItem(item);
        calendars.set(calendar.homeId, calendar);
      } else if (sk.startsWith(HISTORY_SK_PREFIX)) {
        const history = bedHistoryFromItem(item);
        histories.set(historyKey(history.homeId, history.bedId), history);
      } else if (String(item.pk).startsWith('BED#')) {
        bedHomes.set(String(item.pk).slice('BED#'.length), String(item.homeId));
      }
    }
    const placements = new Map(placementItems.map((item) => [String(item.placementId), Placement.parse(item)]));
    return { homes, calendars, histories, bedHomes, placements };
  }

  private async getAll(table: string, keys: Key[]): Promise<Record<string, unknown>[]> {
    const batches: Key[][] = [];
    for (let i = 0; i < keys.length; i += BATCH) batches.push(keys.slice(i, i + BATCH));
    const found: Record<string, unknown>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < batches.length) {
          let pending: Key[] = batches[next++]!;
          while (pending.length > 0) {
            const answer = await this.db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }));
            found.push(...(answer.Responses?.[table] ?? []));
            pending = (answer.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
          }
        }
      }),
    );
    return found;
  }
}

function dedupe(keys: Key[]): Key[] {
  return [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
}
