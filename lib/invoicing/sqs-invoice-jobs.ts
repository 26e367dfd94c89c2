import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { InvoiceJob, InvoiceJobQueue } from './jobs';
import { stringAttributes } from '#lib/aws/send-json';

/** Puts invoice jobs on the invoice-jobs queue, ten to a request. */
export class SqsInvoiceJobs implements InvoiceJobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(jobs: readonly InvoiceJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 10) {
      const batch = jobs.slice(i, i + 10);
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((job, j) => ({
            Id: String(j),
            MessageBody: JSON.stringify(job),
            MessageAttributes: stringAttributes({ job: job.type }),
          })),
        }),
      );
      if (Failed.length > 0) throw new Error(`${Failed.length} invoice job(s) not queued: ${Failed.map((f) => f.Code).join(', ')}`);
    }
  }
}
