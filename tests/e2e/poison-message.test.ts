/**
 * A poison message under the local event source mapping: a queue with a DLQ (maxReceiveCount 3)
 * consumed with ReportBatchItemFailures by a small function that fails one record of its batch
 * every time. The good records are processed once and deleted; the poison one is received
 * maxReceiveCount times and then lands in the DLQ, as in AWS.
 *
 * The template and the function's asset are written here, in the shape CDK synthesizes them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchOutcome } from '#infra/local/event-source-mapping';
import { startLocalStack, type LocalStack } from '#infra/local/runner';
import { emulatorClients } from '#tests/support/emulators';
import { testDir } from '#tests/support/test-dir';
import { eventually, ownAppStackOptions } from './support';

const MAX_RECEIVES = 3;
/**
 * Long enough for the local event source mapping to start the function, run it and delete the good records
 * on a loaded 2-core machine: were it to pass first, SQS would rightly hand the good records out again.
 */
const VISIBILITY_TIMEOUT_S = 3;

/** Fails the records whose body says so; writes every record it sees to a file, one JSON line each. */
const handlerSource = `
import { appendFileSync } from 'node:fs';
export const handler = async (event, context) => {
  const failures = [];
  for (const record of event.Records) {
    appendFileSync(process.env.SEEN_FILE, JSON.stringify({ id: record.messageId, receives: record.attributes.ApproximateReceiveCount, remaining: context.getRemainingTimeInMillis() }) + '\\n');
    if (JSON.parse(record.body).poison) failures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures: failures };
};
`;

function writeAssembly(dir: string, seenFile: string): void {
  const hash = createHash('sha256').update(handlerSource).digest('hex');
  mkdirSync(join(dir, `asset.${hash}`), { recursive: true });
  writeFileSync(join(dir, `asset.${hash}`, 'index.mjs'), handlerSource);
  const template = {
    Resources: {
      WorkDlq: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
      Work: {
        Type: 'AWS::SQS::Queue',
        Properties: { VisibilityTimeout: VISIBILITY_TIMEOUT_S, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDlq', 'Arn'] }, maxReceiveCount: MAX_RECEIVES } },
      },
      WorkerRole: { Type: 'AWS::IAM::Role', Properties: {} },
      WorkerFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: `${hash}.zip` },
          Handler: 'index.handler',
          Runtime: 'nodejs24.x',
          Timeout: 1,
          Role: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] },
          Environment: { Variables: { SEEN_FILE: seenFile, QUEUE_URL: { Ref: 'Work' } } },
        },
      },
      WorkerFunctionFromWork: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['Work', 'Arn'] },
          FunctionName: { Ref: 'WorkerFunction' },
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        },
      },
    },
  };
  writeFileSync(join(dir, 'Poison.template.json'), JSON.stringify(template));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: { Poison: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Poison.template.json' } } } }));
}

const dir = testDir('poison');
let stack: LocalStack;
let seenFile: string;
const batches: BatchOutcome[] = [];

beforeAll(async () => {
  seenFile = join(dir, 'seen.jsonl');
  writeFileSync(seenFile, '');
  writeAssembly(join(dir, 'cdk.out'), seenFile);
  stack = await startLocalStack({
    ...ownAppStackOptions('poison', dir),
    log: () => undefined,
    onBatch: (_, outcome) => batches.push(outcome),
  });
  // Started before the messages are sent: on a loaded machine a cold start can outlast the queue's
  // visibility timeout, and the good records would be received again while their first batch still runs.
  expect((await stack.invoke('WorkerFunction', { Records: [] })).ok).toBe(true);
});

afterAll(async () => {
  await stack?.stop();
});

describe('a poison message', () => {
  it('goes to the DLQ after maxReceiveCount receives while the rest of its batch is processed once', async () => {
    const { sqs } = emulatorClients();
    const work = stack.info.queues.Work!;
    const dlq = stack.info.queues.WorkDlq!;
    expect(work.deadLetterQueue).toBe('WorkDlq');
    expect(stack.info.eventSourceMappings.WorkerFunctionFromWork).toMatchObject({ function: 'WorkerFunction', queue: 'Work', reportBatchItemFailures: true });

    const bodies = [...Array.from({ length: 5 }, (_, i) => ({ n: i })), { n: 5, poison: true }];
    const sent = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: work.url, Entries: bodies.map((b, i) => ({ Id: String(i), MessageBody: JSON.stringify(b) })) }),
    );
    const poisonId = sent.Successful!.find((s) => s.Id === '5')!.MessageId!;
    const goodIds = sent.Successful!.filter((s) => s.Id !== '5').map((s) => s.MessageId!);

    const dead = await eventually(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
      return Messages.length > 0 ? Messages : undefined;
    }, 30_000, 'the poison message in the DLQ');
    expect(dead.map((m) => m.MessageId)).toEqual([poisonId]);
    expect(JSON.parse(dead[0]!.Body!)).toEqual({ n: 5, poison: true });

    const seen = readFileSync(seenFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; receives: string; remaining: number });
    // Each good record was handed to the function once, and deleted.
    for (const id of goodIds) expect(seen.filter((s) => s.id === id)).toHaveLength(1);
    // The poison one on each of its receives, then no more.
    expect(seen.filter((s) => s.id === poisonId).map((s) => s.receives)).toEqual(['1', '2', '3']);
    // The context counts down from the function's timeout.
    expect(seen.every((s) => s.remaining > 0 && s.remaining <= 1000)).toBe(true);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: work.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible)).toBe(0);
    expect(batches.reduce((n, b) => n + b.deleted, 0)).toBe(goodIds.length);
    expect(batches.every((b) => b.error === undefined)).toBe(true);
  }, 30_000);
});
