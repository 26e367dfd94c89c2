/**
 * Lambda's SQS event source mapping, for tests that need its retry semantics: receive a batch
 * (with ApproximateReceiveCount), invoke the handler, delete what succeeded, and leave each failed
 * message on the queue, where it comes back when its visibility timeout ends (the handler may have
 * set it: the delivery sender's back-off). Stops when the queue has nothing visible for a while.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext } from './lambda-context';
import { sqsEventOf, sqsRecordOf } from './sqs-event';

export interface ConsumeOptions {
  batchSize?: number;
  /** Empty receives in a row (25 ms apart) that mean the queue is drained. @default 4 */
  idleRounds?: number;
  /** Stop after this many batches whatever happens (a runaway test ends). @default 500 */
  maxBatches?: number;
}

export async function consumeUntilEmpty(
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>,
  sqs: SQSClient,
  queue: { url: string; arn: string },
  functionName: string,
  options: ConsumeOptions = {},
): Promise<{ batches: number; records: number; failures: number }> {
  let idle = 0;
  let batches = 0;
  let records = 0;
  let failures = 0;
  while (idle < (options.idleRounds ?? 4) && batches < (options.maxBatches ?? 500)) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: options.batchSize ?? 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) {
      idle++;
      await new Promise((resolve) => setTimeout(resolve, 25));
      continue;
    }
    idle = 0;
    batches++;
    records += Messages.length;
    let failed = new Set<string>();
    try {
      const response = await handler(sqsEventOf(Messages.map((m) => sqsRecordOf(m, queue.arn))), lambdaContext(functionName, 60_000));
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      // A thrown error fails the whole batch, as in Lambda.
      failed = new Set(Messages.map((m) => m.MessageId!));
    }
    failures += failed.size;
    const done = Messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length > 0) {
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
  }
  return { batches, records, failures };
}
