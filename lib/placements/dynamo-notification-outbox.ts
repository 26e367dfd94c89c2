import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#lib/aws/query-all';
import type { Clock } from '#lib/clock';
import type { DeliveryRequester } from '#lib/contracts/delivery-requests';
import type { OutboxEntry } from './notifications';
import { placementKeys } from './placement-keys';
import type { NotificationDispatcher, SweepOutcome } from './ports';

/**
 * Key layout of the outbox in the placements table: one partition, sorted by
 * when each notice may go, so the due ones are one Query.
 *   pk OUTBOX   sk <dueAt>#<messageId>   { entry }   written in the decision's own transaction
 */
export const OUTBOX_PK = 'OUTBOX';
export const outboxKey = (entry: Pick<OutboxEntry, 'dueAt'> & { request: { messageId: string } }) => ({ pk: OUTBOX_PK, sk: `${entry.dueAt}#${entry.request.messageId}` });

/**
 * The outbox's sender. A notice goes to the deliveries queue and is then
 * deleted; dying between the two sends it again later under the same message
 * id, which the delivery sender delivers once.
 */
export class DynamoNotificationOutbox implements NotificationDispatcher {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly placementsTable: string,
    private readonly deliveries: DeliveryRequester,
    private readonly clock: Clock,
  ) {}

  async dispatch(entries: readonly OutboxEntry[]): Promise<void> {
    const now = new Date(this.clock.nowMs()).toISOString();
    const due = entries.filter((e) => e.dueAt <= now && !e.onlyIfOfferUnanswered);
    if (due.length === 0) return;
    await this.deliveries.request(due.map((e) => e.request));
    await Promise.all(due.map((e) => this.db.send(new DeleteCommand({ TableName: this.placementsTable, Key: outboxKey(e) }))));
  }

  /** Everything due by now: sent (a lapse only if its offer is still unanswered), then deleted. */
  async sweep(): Promise<SweepOutcome> {
    const now = new Date(this.clock.nowMs()).toISOString();
    const items = await queryAll(this.db, {
      TableName: this.placementsTable,
      KeyConditionExpression: 'pk = :pk AND sk <= :now',
      ExpressionAttributeValues: { ':pk': OUTBOX_PK, ':now': `${now}~` },
      ConsistentRead: true,
    });
    const outcome: SweepOutcome = { sent: 0, dropped: 0 };
    for (const item of items) {
      const entry = item.entry as OutboxEntry;
      if (entry.onlyIfOfferUnanswered && !(await this.unanswered(entry.onlyIfOfferUnanswered))) {
        outcome.dropped++;
      } else {
        await this.deliveries.request([entry.request]);
        outcome.sent++;
      }
      await this.db.send(new DeleteCommand({ TableName: this.placementsTable, Key: { pk: item.pk, sk: item.sk } }));
    }
    return outcome;
  }

  private async unanswered(offerId: string): Promise<boolean> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.placementsTable, Key: placementKeys.offer(offerId), ConsistentRead: true }));
    return Item?.status === 'offered' || Item?.status === 'lapsed';
  }
}
