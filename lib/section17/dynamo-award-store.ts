import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Journal } from '#lib/ledger/journal';
import type { Award, AwardStatus } from './award';
import { awardKeys, statusIndexKeys } from './award-keys';
import type { AwardStore, ChildSpendChange, SaveResult, StoredAward } from './ports';
import { DynamoTable } from '#lib/aws/dynamo-table';

export type { ChildSpendChange, SaveResult, StoredAward } from './ports';

/** Awards in DynamoDB: every save is conditional on the version read, and child totals move in the same transaction. */
export class DynamoAwardStore extends DynamoTable implements AwardStore {
  async get(applicationId: string): Promise<StoredAward | undefined> {
    const item = await this.getItem(awardKeys.award(applicationId));
    if (!item) return undefined;
    return { award: item.award as Award, version: item.version as number, outbox: Object.values((item.outbox as Record<string, Journal> | undefined) ?? {}) };
  }

  /** Takes journals that reached the ledger queue out of the outbox (others stay). */
  async markSent(applicationId: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const names = Object.fromEntries(keys.map((key, i) => [`#k${i}`, key]));
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: awardKeys.award(applicationId),
        UpdateExpression: `REMOVE ${keys.map((_, i) => `outbox.#k${i}`).join(', ')}`,
        ExpressionAttributeNames: names,
      }),
    );
  }

  async childSpend(child: string, financialYear: number, category: string): Promise<number> {
    const item = await this.getItem(awardKeys.childSpend(child, financialYear, category));
    return Number(item?.total ?? 0);
  }

  /**
   * Writes the award at `expectedVersion` (0 = new) with its child-spend
   * changes and the journals still to send (the whole outbox), all or nothing.
   */
  async save(award: Award, expectedVersion: number, spend: readonly ChildSpendChange[] = [], outbox: readonly Journal[] = []): Promise<SaveResult> {
    const item = {
      ...awardKeys.award(award.applicationId),
      ...statusIndexKeys(award),
      version: expectedVersion + 1,
      award,
      outbox: Object.fromEntries(outbox.map((j) => [j.idempotencyKey, j])),
    };
    const put = {
      Put: {
        TableName: this.table,
        Item: item,
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      },
    };
    if (spend.length === 0) {
      try {
        await this.db.send(new PutCommand(put.Put));
        return 'saved';
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return 'version-conflict';
        throw error;
      }
    }
    const spendUpdates = spend.map((change) => {
      // Only an increase can break the cap; a release always goes through.
      const capped = change.capPence !== undefined && change.pence > 0;
      return {
        Update: {
          TableName: this.table,
          Key: awardKeys.childSpend(change.child, change.financialYear, change.category),
          UpdateExpression: 'ADD #total :add',
          ExpressionAttributeNames: { '#total': 'total' },
          ExpressionAttributeValues: { ':add': change.pence, ...(capped ? { ':room': change.capPence! - change.pence } : {}) },
          ...(capped ? { ConditionExpression: 'attribute_not_exists(#total) OR #total <= :room' } : {}),
        },
      };
    });
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [put, ...spendUpdates] }));
      return 'saved';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'version-conflict';
      if (reasons.slice(1).some((r) => r.Code === 'ConditionalCheckFailed')) return 'over-child-cap';
      throw error;
    }
  }

  /** Awards in a status for a financial year, oldest first, a page at a time. */
  /**
   * A page of the status index for a financial year. With `applicant`, only
   * that person's awards: a filter after the key condition, so a page may
   * hold fewer than `limit` items (even none) while a cursor says there is more.
   */
  async listByStatus(status: AwardStatus, financialYear: number, cursor?: Record<string, unknown>, limit = 50, applicant?: string) {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :s AND begins_with(gsi1sk, :fy)',
        ExpressionAttributeValues: { ':s': `STATUS#${status}`, ':fy': `FY${financialYear}#`, ...(applicant === undefined ? {} : { ':me': applicant }) },
        ...(applicant === undefined ? {} : { FilterExpression: 'award.applicant.subject = :me' }),
        ExclusiveStartKey: cursor,
        Limit: limit,
      }),
    );
    return { awards: (page.Items ?? []).map((i) => i.award as Award), cursor: page.LastEvaluatedKey };
  }
}
