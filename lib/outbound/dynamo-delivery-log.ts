import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#lib/aws/query-all';
import type { DeliveryLog, DeliveryState, LogEntry } from './ports';
import { DynamoTable } from '#lib/aws/dynamo-table';

/**
 * Key layout of the deliveries table.
 *   pk MSG#<messageId>   sk STATE                                   the message: pending, sent or undeliverable, attempts
 *   pk <subject>         sk LOG#<at>#<messageId>#<event>#<attempt>  one entry per event, under DOC#<number> or REFERRAL#<id>
 */
export const deliveryKeys = {
  state: (messageId: string) => ({ pk: `MSG#${messageId}`, sk: 'STATE' }),
  entry: (e: LogEntry) => ({ pk: e.subject, sk: `LOG#${e.at}#${e.messageId}#${e.event}#${e.attempt ?? 0}` }),
};

export class DynamoDeliveryLog extends DynamoTable implements DeliveryLog {
  async state(messageId: string): Promise<DeliveryState | undefined> {
    const item = await this.getItem(deliveryKeys.state(messageId));
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, ...state } = item;
    return state as DeliveryState;
  }

  async record(entry: LogEntry & { attempt: number }, outcome: 'sent' | 'failed' | 'undeliverable'): Promise<'recorded' | 'already-sent'> {
    const status = outcome === 'failed' ? 'pending' : outcome;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: deliveryKeys.state(entry.messageId),
                UpdateExpression:
                  'SET messageId = :id, subject = :subject, channel = :channel, #status = :status, attempts = if_not_exists(attempts, :zero) + :one' +
                  (outcome === 'sent' ? ', sentAt = :at' : ''),
                // Nothing changes a message once it is sent.
                ConditionExpression: 'attribute_not_exists(#status) OR #status <> :sent',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':id': entry.messageId,
                  ':subject': entry.subject,
                  ':channel': entry.channel,
                  ':status': status,
                  ':zero': 0,
                  ':one': 1,
                  ':sent': 'sent',
                  ...(outcome === 'sent' ? { ':at': entry.at } : {}),
                },
              },
            },
            { Put: { TableName: this.table, Item: { ...deliveryKeys.entry(entry), ...entry } } },
          ],
        }),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'already-sent';
      throw error;
    }
  }

  async note(entry: LogEntry): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...deliveryKeys.entry(entry), ...entry } }));
  }

  async entriesFor(subject: string): Promise<LogEntry[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :log)',
      ExpressionAttributeValues: { ':pk': subject, ':log': 'LOG#' },
      ConsistentRead: true,
    });
    return items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as unknown as LogEntry);
  }
}
