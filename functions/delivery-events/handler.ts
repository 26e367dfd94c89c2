import { documentClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { deliveryEventsConfigSchema } from '#lib/config';
import { DynamoDeliveryLog } from '#lib/outbound/dynamo-delivery-log';
import { recordSesEvent, SesEvent, SnsEnvelope } from '#lib/outbound/ses-events';
import { parseRecordBody } from '#functions/kit/record-body';
import { functionKit, sqsFunction } from '#functions/kit/index';

const kit = functionKit('delivery-events', deliveryEventsConfigSchema);
const log = new DynamoDeliveryLog(documentClient(), kit.config.deliveriesTable);

/** SES's events (bounces, complaints) from the configuration set's topic, each logged against the message it is about. */
export const handler = sqsFunction(kit, {
  body: SnsEnvelope,
  what: 'the SES notification',
  async handle(envelope) {
    const event = parseRecordBody(SesEvent, envelope.Message, 'the SES event');
    const outcome = await recordSesEvent(event, log, new Date(stackClock.nowMs()).toISOString());
    kit.logger.info('SES event', { eventType: event.eventType, messageId: event.mail.tags.message?.[0], outcome });
  },
});
