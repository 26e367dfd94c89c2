import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { systemClock } from '#lib/clock';
import { paymentRemindersConfigSchema } from '#lib/config';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';
import { SqsDeliveryRequests } from '#lib/outbound/sqs-delivery-requests';
import { DynamoPaymentsStore } from '#lib/payments/dynamo-payments-store';
import { requestReminders } from '#lib/payments/reminders';
import { londonDateAt } from '#lib/time/calendar';
import { functionKit, scheduledFunction } from '#functions/kit/index';

const kit = functionKit('payment-reminders', paymentRemindersConfigSchema);
const { config, logger, metrics } = kit;
const db = documentClient();
const invoices = new DynamoInvoiceStore(db, config.invoicesTable, INVOICING_SETTINGS.prefix);
const payments = new DynamoPaymentsStore(db, config.paymentsTable);
const deliveries = new SqsDeliveryRequests(sqsClient(), config.deliveriesQueueUrl);

/**
 * The daily reminder run: "today" is the London date of the schedule's event
 * time (a manual invoke may give any `time`), so a run is about one day
 * whenever it actually executes. Logs carry document numbers, stages, days
 * and pence: never anything about a child.
 */
export const handler = scheduledFunction(kit, {
  event: z.object({ time: z.optional(z.iso.datetime({ offset: true })) }),
  async handle(event) {
    const nowMs = systemClock.nowMs();
    const today = londonDateAt(event.time ? Date.parse(event.time) : nowMs);
    const outcome = await requestReminders(
      today,
      {
        dueOn: (date) => invoices.dueOn(date),
        tallies: (numbers) => payments.tallies(numbers),
        requested: (number, stage) => payments.reminderRequested(number, stage),
        markRequested: (number, stage, at) => payments.markReminderRequested(number, stage, at),
      },
      deliveries,
      new Date(nowMs).toISOString(),
    );
    logger.info('reminders', { today, requested: outcome.requested.map((r) => `${r.number}:${r.stage}`), alreadyRequested: outcome.alreadyRequested, settled: outcome.settled });
    metrics.addMetric('RemindersRequested', MetricUnit.Count, outcome.requested.length);
    return outcome;
  },
});
