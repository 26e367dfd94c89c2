import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { invoiceBuilderConfigSchema } from '#lib/config';
import { invoicingRuns } from '#functions/invoicing/wiring';
import { InvoiceJob } from '#lib/invoicing/jobs';
import { BeforeInvoicingStart, MonthNotEnded, RunOutOfOrder } from '#lib/invoicing/run-state';
import { functionKit, sqsFunction } from '#functions/kit/index';

const kit = functionKit('invoice-builder', invoiceBuilderConfigSchema);
const { logger, metrics } = kit;
const runs = invoicingRuns(documentClient({ budget: 'background' }), sqsClient('background'), kit.config, stackClock);

/** A requested run that can never go (it would be refused however often it is retried): logged and dropped. */
const refusedForGood = (error: unknown) => error instanceof MonthNotEnded || error instanceof RunOutOfOrder || error instanceof BeforeInvoicingStart;

/**
 * One job, idempotent per (month, council) or per month: a redelivery, or a
 * retry after a crash at any point, leaves what one delivery leaves. Jobs go
 * one at a time: council jobs of one batch then finish one after another, so
 * only the last queues the numbering, and numbering never races itself.
 * Logs carry months, LA numbers, counts and outcomes only.
 */
export const handler = sqsFunction(kit, {
  body: InvoiceJob,
  what: 'the invoice job',
  inOrder: true,
  async handle(job, record) {
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
  },
});
