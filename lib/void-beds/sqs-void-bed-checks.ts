import type { SQSClient } from '@aws-sdk/client-sqs';
import { sendJson } from '#lib/aws/send-json';
import type { VoidBedCheckRequest, VoidBedCheckRequester } from './check-request';

/**
 * Asks the void-bed monitor to check beds now, through its queue. Best
 * effort: the decision that asks has already been committed, so a failed
 * send must not turn it into an error (the manager would retry and be told
 * the placement has ended). It is reported to `onFailure` instead, and the
 * next morning's daily check finds the bed anyway.
 */
export class SqsVoidBedChecks implements VoidBedCheckRequester {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly onFailure: (error: unknown, check: VoidBedCheckRequest) => void = () => undefined,
  ) {}

  async request(check: VoidBedCheckRequest): Promise<void> {
    try {
      await sendJson(this.sqs, this.queueUrl, check);
    } catch (error) {
      this.onFailure(error, check);
    }
  }
}
