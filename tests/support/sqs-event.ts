import { createHash } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Building Lambda SQS events from messages really received from a queue, as
 * the event source mapping does: same ids, bodies, attributes and receipt handles.
 */

export function sqsRecordOf(message: Message, queueArn: string, region = 'eu-west-2'): SQSRecord {
  const body = message.Body ?? '';
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body,
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? '0',
      SenderId: message.Attributes?.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { stringValue: value.StringValue, stringListValues: [], binaryListValues: [], dataType: value.DataType ?? 'String' },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export const sqsEventOf = (records: SQSRecord[]): SQSEvent => ({ Records: records });

/** Receives (and deletes) every message on the queue, as records ready for a Lambda event. */
export async function receiveAll(sqs: SQSClient, queueUrl: string, queueArn: string): Promise<SQSRecord[]> {
  const records: SQSRecord[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return records;
    records.push(...Messages.map((m) => sqsRecordOf(m, queueArn)));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}
