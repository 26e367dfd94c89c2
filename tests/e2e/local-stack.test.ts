/**
 * The local stack end to end, as `npm start` runs it: the bundled app on its own emulators on free
 * ports with a fresh data dir, a signed referral over real HTTP, its record in DynamoDB and its
 * matching message (consumed by the matcher when the template has one), then a restart on the same
 * data dir that finds everything still there.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAssembly } from '#infra/local/assembly';
import { dynamoClient, sqsClient } from '#infra/local/emulators';
import type { BatchOutcome } from '#infra/local/event-source-mapping';
import { readLocalStackInfo, startLocalStack, type LocalStack } from '#infra/local/runner';
import { testDir } from '#tests/support/test-dir';
import { bundledAssembly, eventually, postSignedDelivery } from './support';
import { TEST_NOW } from '#tests/support/clock';
import { sampleEvent } from '#tests/support/sample-events';

const delivery = sampleEvent('referrals/created.json');
const referralId = (JSON.parse(delivery) as { data: { referralId: string } }).data.referralId;

let cdkOut: string;
const dataDir = testDir('e2e');
let stack: LocalStack | undefined;
const batches: Array<{ mapping: string; outcome: BatchOutcome }> = [];
const logs: string[] = [];

const start = (fresh = false) =>
  startLocalStack({
    // A fresh stack starts at the test's instant; a restart goes on with the clock it kept.
    ...(fresh ? { clock: TEST_NOW, clockStandsStill: true } : {}),
    cdkOut,
    dataDir,
    fresh,
    ports: 0,
    log: (source, line) => logs.push(`[${source}] ${line}`),
    onBatch: (mapping, outcome) => batches.push({ mapping, outcome }),
  });

async function referralItems(endpoint: string, table: string): Promise<Record<string, unknown>[]> {
  const client: DynamoDBClient = dynamoClient(endpoint);
  try {
    const db = DynamoDBDocumentClient.from(client);
    const { Items = [] } = await db.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `REFERRAL#${referralId}` }, ConsistentRead: true }),
    );
    return Items;
  } finally {
    client.destroy();
  }
}

beforeAll(async () => {
  cdkOut = await bundledAssembly();
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('npm start, end to end', () => {
  it('takes a signed referral over HTTP, stores it and queues it for matching', async () => {
    stack = await start(true);
    const { info } = stack;
    expect(info.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/webhooks\/referrals$/);
    expect(info.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(readLocalStackInfo(dataDir).control.url).toBe(info.control.url);

    const answer = await postSignedDelivery(info, delivery);
    expect(answer).toMatchObject({ status: 202, json: { referralId, status: 'open' } });

    const items = await referralItems(info.endpoints.dynamodb, info.tables.ReferralsTable!);
    expect(items.map((i) => i.sk)).toEqual(expect.arrayContaining(['CURRENT', 'HISTORY#000001']));

    const matchingQueue = info.queues.MatchingQueue!;
    const consumer = Object.entries(info.eventSourceMappings).find(([, m]) => m.queue === 'MatchingQueue');
    const sqs = sqsClient(info.endpoints.sqs);
    try {
      if (consumer) {
        // The matcher exists: it takes the message off the queue.
        const [mappingId] = consumer;
        await eventually(async () => batches.some((b) => b.mapping === mappingId && b.outcome.deleted >= 1), 20_000, 'the matcher consuming the message');
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: matchingQueue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
        );
        expect(Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible)).toBe(0);
      } else {
        // No consumer yet: the message waits on the queue.
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: matchingQueue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
        expect(Messages.map((m) => JSON.parse(m.Body!))).toContainEqual(expect.objectContaining({ referralId, version: 1, event: 'referral.created' }));
      }
    } finally {
      sqs.destroy();
    }
    expect(logs.some((l) => l.startsWith('[intake] REPORT'))).toBe(true);
  }, 60_000);

  it('keeps everything across a restart on the same data dir, the clock where it was moved to included', async () => {
    const moved = await stack!.moveClock('+3d');
    const before = stack!.info;
    await stack!.stop();
    stack = undefined;
    expect(() => readLocalStackInfo(dataDir)).toThrow(/No local stack is running/);

    stack = await start();
    expect(stack.info.webhookSecret).toBe(before.webhookSecret);
    expect(Date.parse(stack.info.clock.now) - Date.parse(moved.to)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(stack.info.clock.now) - Date.parse(moved.to)).toBeLessThan(60_000);
    const items = await referralItems(stack.info.endpoints.dynamodb, stack.info.tables.ReferralsTable!);
    expect(items.find((i) => i.sk === 'CURRENT')).toMatchObject({ version: 1, record: { referralId, status: 'open' } });
  }, 60_000);

  it('runs the template it was given, nothing else', () => {
    const { template } = readAssembly(cdkOut);
    const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function').map(([id]) => id);
    expect(Object.keys(stack!.info.functions).sort()).toEqual(functions.sort());
    const tables = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::DynamoDB::Table').map(([id]) => id);
    expect(Object.keys(stack!.info.tables).sort()).toEqual(tables.sort());
  });
});
