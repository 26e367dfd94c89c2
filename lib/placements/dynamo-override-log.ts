import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#lib/aws/query-all';
import type { Month } from '#lib/time/calendar';
import { OverrideLogEntry } from './override-report';
import { overrideLogPk } from './placement-keys';
import type { OverrideLog } from './ports';

/** The override log in the placements table (placement-keys.ts): one Query per month, never a scan. */
export class DynamoOverrideLog implements OverrideLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly placementsTable: string,
  ) {}

  async entriesIn(months: readonly Month[]): Promise<OverrideLogEntry[]> {
    const perMonth = await Promise.all(
      months.map((month) =>
        queryAll(this.db, {
          TableName: this.placementsTable,
          KeyConditionExpression: 'pk = :month',
          ExpressionAttributeValues: { ':month': overrideLogPk(month) },
          // A decision just made shows at once: its entry was written in the decision's own transaction.
          ConsistentRead: true,
        }),
      ),
    );
    return perMonth.flat().map((item) => OverrideLogEntry.parse(item));
  }
}
