/**
 * The local stack is driven by the template alone: a table and a queue added to the CDK app appear
 * on the emulators with no other change (no list in the runner to update).
 */
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/runner';
import { DataTable } from '#infra/constructs/data-table';
import { QueueWithDeadLetter } from '#infra/constructs/queue-with-dead-letter';
import { prebundledCodeContext } from '#infra/local/prebundle';
import { buildStack } from '#infra/synth';
import { emulatorClients } from '#tests/support/emulators';
import { PK_SK } from '#tests/support/pk-sk-keys';
import { testDir } from '#tests/support/test-dir';
import { ownAppStackOptions } from './support';

const dir = testDir('added');
let stack: LocalStack;

beforeAll(async () => {
  // The functions bundled as the local runner bundles them (at once, unchanged ones reused), not one by one, and
  // synthesized as it synthesizes: without CDK's CloudFormation validation (infra/synth.ts).
  const { app, stack: cdkStack } = buildStack({ bundle: true, validateCloudFormation: false, outdir: join(dir, 'cdk.out'), context: await prebundledCodeContext() });
  const encryptionKey = cdkStack.platform.key;
  new DataTable(cdkStack, 'AddedTable', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
    encryptionKey,
    globalSecondaryIndexes: [{ indexName: 'byThing', partitionKey: { name: 'thing', type: AttributeType.STRING } }],
  });
  new QueueWithDeadLetter(cdkStack, 'AddedQueue', { encryptionKey, alarmTopic: cdkStack.platform.alarmTopic.topic, maxReceiveCount: 4 });
  app.synth();
  stack = await startLocalStack({
    ...ownAppStackOptions('added', dir),
    schedules: false,
    log: () => undefined,
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a resource added to the CDK app', () => {
  it('appears in the local stack: the table with its keys and index', async () => {
    const name = stack.info.tables.AddedTable;
    expect(name).toBeDefined();
    const { Table } = await emulatorClients().dynamodb.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.KeySchema).toEqual(PK_SK);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byThing']);
  });

  it('appears in the local stack: the queue with its DLQ and redrive', async () => {
    const queue = stack.info.queues.AddedQueue!;
    const dlq = stack.info.queues.AddedQueueDlq!;
    expect(queue).toMatchObject({ deadLetterQueue: 'AddedQueueDlq', maxReceiveCount: 4 });
    const { Attributes } = await emulatorClients().sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 4 });
  });

  it('still runs everything that was there', () => {
    expect(Object.keys(stack.info.functions)).toContain('IntakeFunction');
    expect(stack.info.webhookUrl).toMatch(/\/v1\/webhooks\/referrals$/);
  });
});
