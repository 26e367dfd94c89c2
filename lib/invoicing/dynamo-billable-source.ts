import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { byPlacingAuthorityPk, PLACEMENTS_INDEX, PLACING_COUNCILS_PK } from '#lib/placements/placement-keys';
import { Placement } from '#lib/placements/schema';
import type { BillablePlacement } from './billable';
import { billableFrom } from './from-placement';
import type { BillableSource } from './ports';
import type { ExtraVatCodes } from './settings';
import { queryAll } from '#lib/aws/query-all';

/**
 * Reads the placements table for invoicing: the placing-council registry (one
 * Query of its partition) and a council's placements through the
 * byPlacingAuthority index (by start date, so one Query up to a period's end).
 * Never a scan.
 */
export class DynamoBillableSource implements BillableSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly extraVatCodes: ExtraVatCodes,
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
    return items.map((item) => billableFrom(Placement.parse(item), this.extraVatCodes));
  }

  private queryAll(query: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, { TableName: this.table, ...query });
  }
}
