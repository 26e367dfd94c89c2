import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { notificationOutboxConfigSchema } from '#lib/config';
import { SqsDeliveryRequests } from '#lib/outbound/sqs-delivery-requests';
import { DynamoNotificationOutbox } from '#lib/placements/dynamo-notification-outbox';
import { stackClock } from '#lib/stack-clock';
import { functionKit, scheduledFunction } from '#functions/kit/index';

const kit = functionKit('notification-outbox', notificationOutboxConfigSchema);
const outbox = new DynamoNotificationOutbox(documentClient(), kit.config.placementsTable, new SqsDeliveryRequests(sqsClient(), kit.config.deliveriesQueueUrl), stackClock);

/**
 * Every few minutes: news for the regional inbox that is due (a lapse when its
 * offer runs out; anything a decision's caller could not hand over at once)
 * goes to the deliveries queue. Logs carry counts only.
 */
export const handler = scheduledFunction(kit, {
  event: z.looseObject({}),
  async handle() {
    const outcome = await outbox.sweep();
    kit.logger.info('outbox swept', { ...outcome });
    kit.metrics.addMetric('NotificationsQueued', MetricUnit.Count, outcome.sent);
    return outcome;
  },
});
