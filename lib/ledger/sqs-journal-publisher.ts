import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
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
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(journal),
        MessageAttributes: { source: { DataType: 'String', StringValue: `${journal.source.type}:${journal.source.id}` } },
      }),
    );
  }
}
