import { vi } from 'vitest';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { ENV } from '#lib/config';
import type { MatchingRequest } from '#lib/matching/matching-request';
import { useStackClock, type ManualClock } from './clock';
import { emulatorClients, provisionStack, useEmulatorEnvironment } from './emulators';
import { TEST_WEBHOOK_SECRET } from './webhook';

export interface IntakeHarness {
  /** The stack's clock the handler reads, standing at TEST_NOW: sign deliveries at it. */
  clock: ManualClock;
  handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  db: DynamoDBDocumentClient;
  sqs: SQSClient;
  tables: { referrals: string; idempotency: string };
  queueUrl: string;
  /** Items in each table (a test-only scan). */
  countItems(): Promise<{ referrals: number; idempotency: number }>;
  /** Every item of one referral's collection, in sort-key order. */
  referralItems(referralId: string): Promise<Record<string, unknown>[]>;
  /** Receives and deletes everything on the matching queue. */
  drainMatchingQueue(): Promise<MatchingRequest[]>;
}

/**
 * Provisions the stack's tables and queues on the emulators under a fresh
 * prefix and imports the real intake handler configured for them, exactly as
 * the local runner and Lambda configure it: through its environment.
 */
export async function startIntakeHarness(name: string): Promise<IntakeHarness> {
  const clock = useStackClock();
  const stack = await provisionStack(name);
  useEmulatorEnvironment();
  const tables = { referrals: stack.tables.ReferralsTable!, idempotency: stack.tables.IdempotencyTable! };
  const queueUrl = stack.queues.MatchingQueue!.url;
  vi.stubEnv(ENV.referralsTable, tables.referrals);
  vi.stubEnv(ENV.idempotencyTable, tables.idempotency);
  vi.stubEnv(ENV.matchingQueueUrl, queueUrl);
  vi.stubEnv(ENV.webhookSecrets, TEST_WEBHOOK_SECRET);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  const { handler } = await import('#functions/intake/handler');

  const { dynamodb, sqs } = emulatorClients();
  const db = DynamoDBDocumentClient.from(dynamodb);
  const count = async (table: string) => (await db.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;

  return {
    clock,
    handler: handler as IntakeHarness['handler'],
    db,
    sqs,
    tables,
    queueUrl,
    countItems: async () => ({ referrals: await count(tables.referrals), idempotency: await count(tables.idempotency) }),
    referralItems: async (referralId) =>
      (await db.send(new QueryCommand({
        TableName: tables.referrals,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `REFERRAL#${referralId}` },
        ConsistentRead: true,
      }))).Items ?? [],
    drainMatchingQueue: async () => {
      const received: MatchingRequest[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        if (Messages.length === 0) return received;
        received.push(...Messages.map((m) => JSON.parse(m.Body!) as MatchingRequest));
        await sqs.send(new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }));
      }
    },
  };
}
