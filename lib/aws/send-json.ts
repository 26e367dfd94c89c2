import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';

/** String message attributes (name → value): what finds a message in the queue's tools without reading its body. */
export const stringAttributes = (labels: Record<string, string>): Record<string, MessageAttributeValue> =>
  Object.fromEntries(Object.entries(labels).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]));

/** Sends `body` as JSON to the queue, labelled with `labels` as string attributes where there are any. */
export async function sendJson(sqs: SQSClient, queueUrl: string, body: unknown, labels: Record<string, string> = {}): Promise<void> {
  const attributes = Object.keys(labels).length > 0 ? { MessageAttributes: stringAttributes(labels) } : {};
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body), ...attributes }));
}
