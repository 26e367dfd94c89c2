import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MatchingPublisher, MatchingRequest } from './matching-request';

export class SqsMatchingPublisher implements MatchingPublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(request: MatchingRequest): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(request),
        MessageAttributes: { referralId: { DataType: 'String', StringValue: request.referralId } },
      }),
    );
  }
}
