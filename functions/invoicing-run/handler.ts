import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { systemClock } from '#lib/clock';
import { invoicingRunConfigSchema, parseConfig } from '#lib/config';
import { MonthSchema } from '#lib/invoicing/billable';
import { invoicingRuns } from '#lib/invoicing/invoicing-services';
import type { StartOutcome } from '#lib/invoicing/invoicing-run';
import { monthToInvoice } from '#lib/invoicing/run-period';

const config = parseConfig(invoicingRunConfigSchema);
const logger = new Logger({ serviceName: 'invoicing-run' });
const metrics = new Metrics({ namespace: 'CaredFor', serviceName: 'invoicing-run' });
const runs = invoicingRuns(documentClient(), sqsClient(), config, systemClock);

/** The schedule's event (the month before the one its `time` falls in, in London), or `{ month }` to run one by hand. */
const RunEvent = z.union([z.object({ month: MonthSchema }), z.object({ 'detail-type': z.literal('Scheduled Event'), time: z.iso.datetime() })]);

export const handler = middy<unknown, StartOutcome & { month: string }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const parsed = RunEvent.parse(event);
    const month = 'month' in parsed ? parsed.month : monthToInvoice(Date.parse(parsed.time));
    // Idempotent per month: a second firing (LocalStack may fire twice) finds the run and re-queues what is still pending.
    const outcome = await runs.start(month);
    logger.info('invoicing run', { month, outcome: outcome.kind, ...(outcome.kind === 'complete' ? {} : { councils: outcome.councils.length, jobs: outcome.jobs }) });
    metrics.addMetric(outcome.kind === 'started' ? 'InvoicingRunsStarted' : 'InvoicingRunsRepeated', MetricUnit.Count, 1);
    return { month, ...outcome };
  });
