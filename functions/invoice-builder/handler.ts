import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { systemClock } from '#lib/clock';
import { invoiceBuilderConfigSchema, parseConfig } from '#lib/config';
import { invoicingRuns } from '#lib/invoicing/invoicing-services';
import { InvoiceJob } from '#lib/invoicing/jobs';
import { BeforeInvoicingStart, MonthNotEnded, RunOutOfOrder } from '#lib/invoicing/run-state';

const config = parseConfig(invoiceBuilderConfigSchema);
const logger = new Logger({ serviceName: 'invoice-builder' });
const metrics = new Metrics({ namespace: 'CaredFor', serviceName: 'invoice-builder' });
const runs = invoicingRuns(documentClient(), sqsClient(), config, systemClock);
const processor = new BatchProcessor(EventType.SQS, { logger });

/** The body as a job; errors name no part of the body. */
function parseJob(body: string): InvoiceJob {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new SyntaxError('the invoice job is not JSON');
  }
  return InvoiceJob.parse(json);
}

/** A requested run that can never go (it would be refused however often it is retried): logged and dropped. */
const refusedForGood = (error: unknown) => error instanceof MonthNotEnded || error instanceof RunOutOfOrder || error instanceof BeforeInvoicingStart;

/**
 * One job, idempotent per (month, council) or per month: a redelivery, or a
 * retry after a crash at any point, leaves what one delivery leaves.
 * Logs carry months, LA numbers, counts and outcomes only.
 */
async function buildRecord(record: SQSRecord): Promise<void> {
  const job = parseJob(record.body);
  const context = { job: job.type, month: job.month, messageId: record.messageId };
  switch (job.type) {
    case 'run':
      try {
        const outcome = await runs.start(job.month);
        logger.info('run requested', { ...context, outcome: outcome.kind, requestedBy: job.requestedBy });
      } catch (error) {
        if (!refusedForGood(error)) throw error;
        logger.warn('run request refused', { ...context, reason: (error as Error).message });
        metrics.addMetric('RunRequestsRefused', MetricUnit.Count, 1);
      }
      return;
    case 'council': {
      const outcome = await runs.council(job.month, job.placingLa);
      logger.info('council drafted', { ...context, placingLa: job.placingLa, ...outcome });
      if (outcome.kind === 'staged') metrics.addMetric('DocumentsDrafted', MetricUnit.Count, outcome.drafts);
      return;
    }
    case 'number': {
      const outcome = await runs.number(job.month);
      logger.info('run numbered', { ...context, ...outcome });
      if (outcome.kind === 'numbered') metrics.addMetric('DocumentsIssued', MetricUnit.Count, outcome.issuedNow);
      return;
    }
  }
}

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  // One job at a time: council jobs of one batch then finish one after another, so only the last
  // queues the numbering (a duplicate would be harmless, merely wasted), and numbering never races itself.
  .handler(async (event, context) => processPartialResponse(event, buildRecord, processor, { context, processInParallel: false }));
