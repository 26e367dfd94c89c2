/**
 * A stand-alone invoice builder for the crash test: a Node process that imports the real handler
 * (configured by its environment, as Lambda configures it) and does what the event source mapping
 * does: receive a batch from the invoice-jobs queue, invoke, delete what succeeded. It stops when
 * the run for RUN_MONTH is complete and nothing is left to do. The test kills it with SIGKILL.
 *
 * It tells its parent what it is doing on stdout, one JSON object a line: `ready` once the handler
 * is loaded, `received` with the receipt handles of each batch (so that after a kill the parent can
 * make them visible again at once instead of waiting out the visibility timeout), `done`.
 *
 *   bundled by the crash test (tests/support/worker-process.ts bundledWorker), then node <bundle>  (env: see the crash test; STACK_CLOCK_AT is its "now")
 */
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { documentClient } from '#lib/aws/clients';
import { fixedClock, installLocalClock } from '#lib/clock';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import { sqsEventOf, sqsRecordOf } from './sqs-event';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const queueUrl = env('INVOICE_JOBS_QUEUE_URL');
const queueArn = env('INVOICE_JOBS_QUEUE_ARN');
const runMonth = env('RUN_MONTH');
// The test's instant, as the stack's clock of the handler below.
installLocalClock(fixedClock(env('STACK_CLOCK_AT')));

const { handler } = (await import('#functions/invoice-builder/handler')) as unknown as {
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
};
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
const store = new DynamoInvoiceStore(documentClient({ budget: 'background' }), env('INVOICES_TABLE_NAME'), env('INVOICE_PREFIX'));
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);
const context = { functionName: 'invoice-builder', awsRequestId: 'worker', getRemainingTimeInMillis: () => 120_000 } as unknown as Context;

say({ event: 'ready', pid: process.pid });
for (;;) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 5, WaitTimeSeconds: 0, VisibilityTimeout: 10, MessageSystemAttributeNames: ['All'] }),
  );
  if (Messages.length === 0) {
    if ((await store.getRun(runMonth))?.completedAt) break;
    // Jobs still invisible (held by a killed worker until the parent frees them) or about to be queued.
    await new Promise((resolve) => setTimeout(resolve, 25));
    continue;
  }
  // A kill between the receive and this line strands the batch until its 10 s visibility timeout ends, as in Lambda.
  say({ event: 'received', handles: Messages.map((m) => m.ReceiptHandle), bodies: Messages.map((m) => m.Body) });
  const response = await handler(sqsEventOf(Messages.map((m) => sqsRecordOf(m, queueArn))), context);
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const done = Messages.filter((m) => !failed.has(m.MessageId!));
  if (done.length > 0) {
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  if (failed.size > 0) {
    // Retried at once rather than after the visibility timeout.
    const retry = Messages.filter((m) => failed.has(m.MessageId!));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: retry.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) }));
    say({ event: 'failed', count: failed.size });
  }
}
say({ event: 'done' });
