import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSRecord } from 'aws-lambda';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { deliverySenderConfigSchema } from '#lib/config';
import { customerOf } from '#lib/invoicing/customers';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';
import { DynamoDeliveryLog } from '#lib/outbound/dynamo-delivery-log';
import { endpointKeys } from '#lib/outbound/endpoint-secrets';
import { DeliveryFailed, OutboundSender, retryDelaySeconds } from '#lib/outbound/outbound-sender';
import { DeliveryRequest } from '#lib/contracts/delivery-requests';
import { SesEmailSender } from '#lib/outbound/ses-email-sender';
import { postSigned } from '#lib/outbound/webhook-poster';
import { loadWebhookKeys } from '#lib/webhooks/webhook-secrets';
import { functionKit, sqsFunction } from '#functions/kit/index';

const kit = functionKit('delivery-sender', deliverySenderConfigSchema);
const { config, logger, metrics } = kit;
const db = documentClient();
const sqs = sqsClient();

/** Local stacks and tests send every webhook to one receiver on 127.0.0.1: the path is kept, the origin replaced. */
const redirect = (url: string): string => {
  if (!config.webhookBaseUrlOverride) return url;
  const target = new URL(url);
  return new URL(`${target.pathname}${target.search}`, config.webhookBaseUrlOverride).toString();
};

const sender = new OutboundSender({
  log: new DynamoDeliveryLog(db, config.deliveriesTable),
  documents: new DynamoInvoiceStore(db, config.invoicesTable, INVOICING_SETTINGS.prefix),
  email: new SesEmailSender(new SESv2Client({}), config.sesConfigurationSet),
  post: (post) => postSigned({ ...post, url: redirect(post.url) }),
  keysFor: async (endpointId) => endpointKeys(await loadWebhookKeys({ secretArn: config.outboundSecretArn, secrets: config.outboundSecrets }), endpointId),
  customerOf,
  issuer: INVOICING_SETTINGS.issuer,
  regionalInboxUrl: config.regionalInboxUrl,
  clock: stackClock,
});

/** A failed message waits before its next attempt, doubling each time: its visibility timeout is the back-off. */
async function backOff(record: SQSRecord, receiveCount: number): Promise<void> {
  await sqs
    .send(new ChangeMessageVisibilityCommand({ QueueUrl: config.deliveriesQueueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: retryDelaySeconds(receiveCount, config.retryBaseSeconds) }))
    // Without it the message comes back after the queue's own visibility timeout: later, never lost.
    .catch((error: unknown) => logger.warn('could not set the retry delay', { error: error as Error }));
}

/**
 * Sends each message once (document e-mails through SES with the PDF,
 * signed webhooks to councils' invoice endpoints and the regional inbox).
 * A failed attempt is logged, given its back-off, and left on the queue;
 * after the queue's maxReceiveCount it is dead-lettered and the alarm fires.
 * Logs carry message ids, channels, purposes and outcomes only.
 */
export const handler = sqsFunction(kit, {
  body: DeliveryRequest,
  what: 'the delivery request',
  async handle(request, record) {
    const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
    const context = { messageId: request.messageId, kind: request.kind, attempt, ...(request.kind === 'document' ? { channel: request.channel, purpose: request.purpose } : { type: request.type }) };
    try {
      const outcome = await sender.deliver(request, attempt);
      logger.info('delivery', { ...context, outcome: outcome.kind });
      if (outcome.kind === 'sent') metrics.addMetric('MessagesDelivered', MetricUnit.Count, 1);
      if (outcome.kind === 'undeliverable') metrics.addMetric('MessagesUndeliverable', MetricUnit.Count, 1);
    } catch (error) {
      if (error instanceof DeliveryFailed) {
        logger.warn('delivery failed; the queue retries it', { ...context, reason: error.message });
        metrics.addMetric('DeliveryAttemptsFailed', MetricUnit.Count, 1);
      }
      await backOff(record, attempt);
      throw error;
    }
  },
});
