import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Award, AwardStatus } from './award';
import { awardKeys, statusIndexKeys } from './award-keys';

export interface StoredAward {
  award: Award;
  version: number;
}

/** A change to what a child has been awarded in a category and year (a reservation or a release). */
export interface ChildSpendChange {
  child: string;
  financialYear: number;
  category: string;
  pence: number;
  /** Refuse the change if it would take the total over this. */
  capPence?: number;
}

export type SaveResult = 'saved' | 'version-conflict' | 'over-child-cap';

/** Awards in DynamoDB: every save is conditional on the version read, and child totals move in the same transaction. */
export class DynamoAwardStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(applicationId: string): Promise<StoredAward | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: awardKeys.award(applicationId), ConsistentRead: true }));
    return Item ? { award: Item.award as Award, version: Item.version as number } : undefined;
  }

  async childSpend(child: string, financialYear: number, category: string): Promise<number> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: awardKeys.childSpend(child, financialYear, category), ConsistentRead: true }),
    );
    return Number(Item?.total ?? 0);
  }

  /** Writes the award at `expectedVersion` (0 = new) with any child-spend change, all or nothing. */
  async save(award: Award, expectedVersion: number, spend?: ChildSpendChange): Promise<SaveResult> {
    const item = { ...awardKeys.award(award.applicationId), ...statusIndexKeys(award), version: expectedVersion + 1, award };
    const put = {
      Put: {
        TableName: this.table,
        Item: item,
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      },
    };
    if (!spend) {
      try {
        await this.db.send(new PutCommand(put.Put));
        return 'saved';
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return 'version-conflict';
        throw error;
      }
    }
    const cap = spend.capPence === undefined
      ? {}
      : {
          ConditionExpression: 'attribute_not_exists(#total) OR #total <= :room',
          ExpressionAttributeValues: { ':add': spend.pence, ':room': spend.capPence - spend.pence },
        };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            put,
            {
              Update: {
                TableName: this.table,
                Key: awardKeys.childSpend(spend.child, spend.financialYear, spend.category),
                UpdateExpression: 'ADD #total :add',
                ExpressionAttributeNames: { '#total': 'total' },
                ExpressionAttributeValues: { ':add': spend.pence },
                ...cap,
              },
            },
          ],
        }),
      );
      return 'saved';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'over-child-cap';
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'version-conflict';
      throw error;
    }
  }

  /** Awards in a status for a financial year, oldest first, a page at a time. */
  async listByStatus(status: AwardStatus, financialYear: number, cursor?: Record<string, unknown>, limit = 50) {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :s AND begins_with(gsi1sk, :fy)',
        ExpressionAttributeValues: { ':s': `STATUS#${status}`, ':fy': `FY${financialYear}#` },
        ExclusiveStartKey: cursor,
        Limit: limit,
      }),
    );
    return { awards: (page.Items ?? []).map((i) => i.award as Award), cursor: page.LastEvaluatedKey };
  }
}
