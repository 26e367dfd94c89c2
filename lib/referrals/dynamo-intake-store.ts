import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_RETENTION_DAYS, type CommitResult, type DeliveryRecord, type IntakeStore } from './intake';
import type { ReferralHistoryEntry, ReferralRecord } from './lifecycle';
import { referralKeys, statusIndexKeys } from './referral-keys';
import { putIfAbsent } from '#lib/aws/conditional-writes';
import { getItem } from '#lib/aws/dynamo-table';

export interface IntakeTables {
  referrals: string;
  /** The shared idempotency table: delivery records live under `webhook#<id>`. */
  idempotency: string;
}

const deliveryKey = (webhookId: string) => ({ id: `webhook#${webhookId}` });

/** DynamoDB implementation of the intake's persistence: one transaction per accepted delivery, no read before it for a new referral. */
export class DynamoIntakeStore implements IntakeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: IntakeTables,
  ) {}

  async getDelivery(webhookId: string): Promise<DeliveryRecord | undefined> {
    const item = await getItem(this.db, this.tables.idempotency, deliveryKey(webhookId));
    if (!item) return undefined;
    const delivery = item.delivery as DeliveryRecord;
    return {
      ...delivery,
      ...(item.enqueuedAt ? { enqueuedAt: item.enqueuedAt as string } : {}),
      ...(item.sendFailedAt ? { sendFailedAt: item.sendFailedAt as string } : {}),
    };
  }

  async getReferral(referralId: string): Promise<ReferralRecord | undefined> {
    const item = await getItem(this.db, this.tables.referrals, referralKeys.current(referralId));
    return item?.record as ReferralRecord | undefined;
  }

  async commit(delivery: DeliveryRecord, next: ReferralRecord, history: ReferralHistoryEntry, expectedVersion: number): Promise<CommitResult> {
    const expiration = Math.floor(Date.parse(delivery.acceptedAt) / 1000) + DELIVERY_RETENTION_DAYS * 86_400;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.idempotency,
                Item: { ...deliveryKey(delivery.webhookId), expiration, delivery },
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            {
              Put: {
                TableName: this.tables.referrals,
                Item: { ...referralKeys.current(next.referralId), ...statusIndexKeys(next), version: next.version, record: next },
                ...(expectedVersion === 0
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
              },
            },
            putIfAbsent(this.tables.referrals, { ...referralKeys.history(history.referralId, history.version), entry: history }),
          ],
        }),
      );
      return 'committed';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'delivery-exists';
      if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return 'version-conflict';
      throw error;
    }
  }

  async markEnqueued(webhookId: string, at: string): Promise<void> {
    await this.mark(webhookId, 'enqueuedAt', at);
  }

  async markSendFailed(webhookId: string, at: string): Promise<void> {
    await this.mark(webhookId, 'sendFailedAt', at);
  }

  private async mark(webhookId: string, attribute: 'enqueuedAt' | 'sendFailedAt', at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tables.idempotency,
        Key: deliveryKey(webhookId),
        UpdateExpression: 'SET #attribute = :at',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: { '#attribute': attribute },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }
}
