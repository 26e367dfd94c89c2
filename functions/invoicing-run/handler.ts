import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { invoicingRunConfigSchema } from '#lib/config';
import { MonthSchema } from '#lib/invoicing/billable';
import { runStarter } from '#functions/invoicing/wiring';
import { monthToInvoice } from '#lib/invoicing/run-period';
import { functionKit, scheduledFunction } from '#functions/kit/index';

const kit = functionKit('invoicing-run', invoicingRunConfigSchema);
const startRun = runStarter(documentClient({ budget: 'background' }), sqsClient('background'), kit.config, stackClock);

/** The schedule's event (the month before the one its `time` falls in, in London), or `{ month }` to run one by hand. */
const RunEvent = z.union([z.object({ month: MonthSchema }), z.object({ 'detail-type': z.literal('Scheduled Event'), time: z.iso.datetime() })]);

export const handler = scheduledFunction(kit, {
  event: RunEvent,
  async handle(event) {
    const month = 'month' in event ? event.month : monthToInvoice(Date.parse(event.time));
    // Idempotent per month: a second firing (LocalStack may fire twice) finds the run and re-queues what is still pending.
    const outcome = await startRun(month);
    kit.logger.info('invoicing run', { month, outcome: outcome.kind, ...(outcome.kind === 'complete' ? {} : { councils: outcome.councils.length, jobs: outcome.jobs }) });
    kit.metrics.addMetric(outcome.kind === 'started' ? 'InvoicingRunsStarted' : 'InvoicingRunsRepeated', MetricUnit.Count, 1);
    return { month, ...outcome };
  },
});
