import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendJson } from '#lib/aws/send-json';
import type { Journal } from './journal';
import type { JournalPublisher } from './ports';

export type { JournalPublisher } from './ports';

/** Puts a journal on the ledger-postings queue; the ledger-poster posts it once per idempotency key. */
export class SqsJournalPublisher implements JournalPublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(journal: Journal): Promise<void> {
    await sendJson(this.sqs, this.queueUrl, journal, { source: `${journal.source.type}:${journal.source.id}` });
  }
}
