import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryRequest, DeliveryRequester } from '#lib/contracts/delivery-requests';
import { stringAttributes } from '#lib/aws/send-json';

const BATCH = 10;

/** Sends delivery requests to the deliveries queue, ten to a request; a partly failed batch throws (a retry sends the same message ids). */
export class SqsDeliveryRequests implements DeliveryRequester {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async request(requests: readonly DeliveryRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH) {
      const chunk = requests.slice(i, i + BATCH);
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((r, j) => ({ Id: String(j), MessageBody: JSON.stringify(r), MessageAttributes: stringAttributes({ messageId: r.messageId }) })),
        }),
      );
      if (Failed.length > 0) throw new Error(`${Failed.length} delivery request(s) not queued: ${Failed.map((f) => f.Code).join(', ')}`);
    }
  }
}
