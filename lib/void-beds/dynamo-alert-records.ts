import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, UpdateCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { VoidBedAlert } from './alert';
import { ALERT_RETENTION_DAYS, alertKeys } from './alert-keys';
import type { AlertKey, AlertRecords, Claim } from './ports';
import { DynamoTable } from '#lib/aws/dynamo-table';

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_MAX = 100;
const DAY_SECONDS = 86_400;

/** Conditional writes that lost to another run: what they would have written is already there (or being written). */
async function unlessBeaten(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The void-bed alerts table (alert-keys.ts): claims, sent alerts and each bed's sellable-since record. */
export class DynamoAlertRecords extends DynamoTable implements AlertRecords {
  async sellableSince(bedIds: readonly string[]): Promise<Map<string, string | null>> {
    const found = new Map<string, string | null>();
    const unique = [...new Set(bedIds)];
    for (let i = 0; i < unique.length; i += BATCH_GET_MAX) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + BATCH_GET_MAX).map((id) => alertKeys.sellable(id));
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of result.Responses?.[this.table] ?? []) {
          found.set(String(item.pk).slice('BED#'.length), item.state === 'kept-back' ? null : String(item.since));
        }
        keys = result.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  async recordSellableSince(bedId: string, since: string | null, previous: string | null | undefined): Promise<void> {
    const condition =
      previous === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : previous === null
          ? { ConditionExpression: '#state = :keptBack', ExpressionAttributeValues: { ':keptBack': 'kept-back' } }
          : { ConditionExpression: '#state = :sellable AND since = :previous', ExpressionAttributeValues: { ':sellable': 'sellable', ':previous': previous } };
    await unlessBeaten(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...alertKeys.sellable(bedId), ...(since === null ? { state: 'kept-back' } : { state: 'sellable', since }) },
          ...condition,
          ExpressionAttributeNames: previous === undefined ? undefined : { '#state': 'state' },
        }),
      ),
    );
  }

  async claim(key: AlertKey, nowMs: number, leaseMs: number): Promise<Claim> {
    const token = randomUUID();
    const claimed = await unlessBeaten(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...alertKeys.alert(key),
            status: 'sending',
            claimToken: token,
            leaseUntil: nowMs + leaseMs,
            claimedAt: new Date(nowMs).toISOString(),
            expiresAt: Math.floor(nowMs / 1000) + ALERT_RETENTION_DAYS * DAY_SECONDS,
          },
          // Nobody has it, or somebody had it and let it go (a failed send, or a lease run out).
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':now': nowMs },
        }),
      ),
    );
    if (claimed) return { kind: 'claimed', token };
    const item = await this.getItem(alertKeys.alert(key));
    return item?.status === 'sent' ? { kind: 'already-sent' } : { kind: 'in-progress' };
  }

  async markSent(key: AlertKey, token: string, sent: { messageId: string; subject: string; alert: VoidBedAlert; atMs: number }): Promise<void> {
    // What was sent, for anyone asking later what managers were told: ids and figures, never a child's details.
    const at = new Date(sent.atMs).toISOString();
    const index = alertKeys.sent(at, key.bedId);
    await unlessBeaten(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: alertKeys.alert(key),
          UpdateExpression:
            'SET #status = :sent, #sentAt = :at, #messageId = :messageId, #subject = :subject, #homeId = :homeId, #nights = :nights, #income = :income, #referrals = :referrals, gsi1pk = :sentPk, gsi1sk = :sentSk REMOVE #lease',
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#sentAt': 'sentAt',
            '#messageId': 'messageId',
            '#subject': 'subject',
            '#homeId': 'homeId',
            '#nights': 'nightsVoid',
            '#income': 'incomeNotEarnedPence',
            '#referrals': 'referralIds',
            '#lease': 'leaseUntil',
          },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':at': at,
            ':sentPk': index.gsi1pk,
            ':sentSk': index.gsi1sk,
            ':messageId': sent.messageId,
            ':subject': sent.subject,
            ':homeId': sent.alert.homeId,
            ':nights': sent.alert.nightsVoid,
            ':income': sent.alert.incomeNotEarnedPence,
            ':referrals': sent.alert.referrals.map((r) => r.referralId),
            ':token': token,
          },
        }),
      ),
    );
  }

  async release(key: AlertKey, token: string): Promise<void> {
    await unlessBeaten(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: alertKeys.alert(key),
          UpdateExpression: 'SET leaseUntil = :zero',
          ConditionExpression: 'claimToken = :token AND #status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':zero': 0, ':token': token, ':sending': 'sending' },
        }),
      ),
    );
  }
}
