import { BatchGetCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { estateKeys } from '#lib/estate/estate-keys';
import { byPlacingAuthorityPk, PLACEMENTS_INDEX, PLACING_COUNCILS_PK } from '#lib/placements/placement-keys';
import { PlacementCharges } from '#lib/placements/placement-charges';
import type { BillablePlacement } from './billable';
import { billableFrom } from './from-placement';
import type { BillableSource } from './ports';
import type { ExtraVatCodes } from './settings';
import { queryAll } from '#lib/aws/query-all';

/** BatchGetItem's limit of keys per request. */
const BATCH_GET_KEYS = 100;

/**
 * Reads the placements table for invoicing: the placing-council registry (one
 * Query of its partition) and a council's placements through the
 * byPlacingAuthority index (by start date, so one Query up to a period's end).
 * Never a scan. With the estate table, homes are named on the documents by
 * their names (one BatchGetItem of the council's homes' profiles); without it,
 * or for a home no longer in the estate, by their ids.
 */
export class DynamoBillableSource implements BillableSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly extraVatCodes: ExtraVatCodes,
    private readonly estateTable?: string,
  ) {}

  async placingCouncils(): Promise<string[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PLACING_COUNCILS_PK },
      ProjectionExpression: 'laNumber',
      ConsistentRead: true,
    });
    return items.map((i) => String(i.laNumber)).sort();
  }

  async placementsOf(placingLa: string, before: string): Promise<BillablePlacement[]> {
    const items = await this.queryAll({
      IndexName: PLACEMENTS_INDEX.byPlacingAuthority,
      // gsi2sk is <startDate>#<placementId>: every key of a start date before `before` sorts below it.
      KeyConditionExpression: 'gsi2pk = :la AND gsi2sk < :before',
      ExpressionAttributeValues: { ':la': byPlacingAuthorityPk(placingLa), ':before': before },
    });
    const placements = items.map((item) => PlacementCharges.parse(item));
    const names = await this.homeNames([...new Set(placements.map((p) => p.homeId))]);
    return placements.map((p) => billableFrom(p, this.extraVatCodes, names.get(p.homeId)));
  }

  private async homeNames(homeIds: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (!this.estateTable || homeIds.length === 0) return names;
    const table = this.estateTable;
    for (let i = 0; i < homeIds.length; i += BATCH_GET_KEYS) {
      let keys: Record<string, unknown>[] = homeIds.slice(i, i + BATCH_GET_KEYS).map((id) => estateKeys.home(id));
      while (keys.length > 0) {
        const { Responses, UnprocessedKeys } = await this.db.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ProjectionExpression: 'home.id, home.#name', ExpressionAttributeNames: { '#name': 'name' } } } }),
        );
        for (const item of Responses?.[table] ?? []) {
          const home = item.home as { id?: string; name?: string } | undefined;
          if (home?.id && home.name) names.set(home.id, home.name);
        }
        keys = (UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return names;
  }

  private queryAll(query: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, { TableName: this.table, ...query });
  }
}
