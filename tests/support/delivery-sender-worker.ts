/**
 * A stand-alone delivery sender for the crash test: a Node process that imports the real handler
 * (configured by its environment, as Lambda configures it) and does what the event source mapping
 * does: receive a batch from the deliveries queue, invoke, delete what succeeded; failed messages
 * come back when the back-off the handler set runs out. It stops when the queue has stayed empty
 * for a while. The test kills it with SIGKILL.
 *
 * It tells its parent what it is doing on stdout, one JSON object a line: `ready`, `received`
 * (the receipt handles of each batch, so that after a kill the parent can make them visible again
 * at once instead of waiting out the visibility timeout), `done`.
 *
 *   bundled by the crash test (tests/support/worker-process.ts bundledWorker), then node <bundle>  (env: see the crash test)
 */
// First: this process's wall clock is the test's (npm run test:dates moves it), as the receiver's is.
import './wall-clock';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsEventOf, sqsRecordOf } from './sqs-event';

const queueUrl = process.env.DELIVERIES_QUEUE_URL!;
const queueArn = process.env.DELIVERIES_QUEUE_ARN!;
const { handler } = (await import('#functions/delivery-sender/handler')) as unknown as { handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> };
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);
const context = { functionName: 'delivery-sender', awsRequestId: 'worker', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

say({ event: 'ready', pid: process.pid });
let idle = 0;
while (idle < 40) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
  );
  if (Messages.length === 0) {
    idle++;
    await new Promise((resolve) => setTimeout(resolve, 25));
    continue;
  }
  idle = 0;
  say({ event: 'received', handles: Messages.map((m) => m.ReceiptHandle) });
  let failed = new Set<string>();
  try {
    const response = await handler(sqsEventOf(Messages.map((m) => sqsRecordOf(m, queueArn))), context);
    failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  } catch {
    failed = new Set(Messages.map((m) => m.MessageId!));
  }
  const done = Messages.filter((m) => !failed.has(m.MessageId!));
  if (done.length > 0) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
}
say({ event: 'done' });
