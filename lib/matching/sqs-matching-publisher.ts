import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendJson } from '#lib/aws/send-json';
import type { MatchingPublisher, MatchingRequest } from './matching-request';

export class SqsMatchingPublisher implements MatchingPublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(request: MatchingRequest): Promise<void> {
    await sendJson(this.sqs, this.queueUrl, request, { referralId: request.referralId });
  }
}
