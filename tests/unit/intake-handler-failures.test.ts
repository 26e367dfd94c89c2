import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { captureFunctionLogs } from '#tests/support/captured-logs';
import { lambdaContext } from '#tests/support/lambda-context';
import { readEvent, signedEvent, TEST_WEBHOOK_SECRET } from '#tests/support/webhook';

/**
 * Failure paths of the intake handler with the AWS clients mocked: what the
 * sender is told when DynamoDB or SQS fail, and that nothing is lost.
 * (The happy paths run against the real emulators in tests/integration.)
 */

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const logged: string[] = [];
let handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const awsError = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });

beforeAll(async () => {
  vi.stubEnv('REFERRALS_TABLE_NAME', 'referrals');
  vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'idempotency');
  vi.stubEnv('MATCHING_QUEUE_URL', 'http://sqs.local/000000000000/matching');
  vi.stubEnv('WEBHOOK_SECRETS', TEST_WEBHOOK_SECRET);
  captureFunctionLogs(logged);
  handler = (await import('#functions/intake/handler')).handler as typeof handler;
});

afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

beforeEach(() => {
  dynamo.reset();
  sqs.reset();
});

const invoke = (body = readEvent('referrals/created.json'), id = 'msg_fail_1') => handler(signedEvent(body, { id }), lambdaContext());

describe('intake handler failure paths', () => {
  it('503 with Retry-After when DynamoDB throttles, and nothing is sent', async () => {
    dynamo.on(TransactWriteCommand).rejects(awsError('ProvisionedThroughputExceededException'));
    const response = await invoke();
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('5');
    expect(JSON.parse(response.body)).toMatchObject({ status: 503, type: expect.stringMatching(/temporarily-unavailable$/) });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('a new referral takes two calls: the transaction and the send (nothing read first, nothing marked after)', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });

    expect((await invoke(readEvent('referrals/created.json'), 'msg_new_1')).statusCode).toBe(202);

    expect(dynamo.calls().map((c) => c.args[0].constructor.name)).toEqual(['TransactWriteCommand']);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  it('a referral.created for a referral that exists is read after its write is refused, and answered 409', async () => {
    const cancelled = Object.assign(new TransactionCanceledException({ message: 'cancelled', $metadata: {} }), {
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    });
    dynamo.on(TransactWriteCommand).rejects(cancelled);
    dynamo.on(GetCommand, { TableName: 'referrals' }).resolves({ Item: { record: { referralId: 'NE12-2026-000123', status: 'open', version: 1, placingLa: '390', createdAt: '', updatedAt: '' } } });
    dynamo.on(GetCommand, { TableName: 'idempotency' }).resolves({});

    const response = await invoke(readEvent('referrals/created.json'), 'msg_exists_1');

    expect(response.statusCode).toBe(409);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('503 when the transaction times out, and nothing is sent', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).rejects(awsError('TimeoutError'));
    expect((await invoke()).statusCode).toBe(503);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('a queue send failing after the write answers 503 and notes the failure on the delivery, for the retry to send it', async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    sqs.on(SendMessageCommand).rejects(awsError('TimeoutError'));

    // Act
    const response = await invoke();

    // Assess: stored first, then the send failed, then the failure was noted
    expect(response.statusCode).toBe(503);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);
    const updates = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates).toEqual([expect.objectContaining({ UpdateExpression: 'SET #attribute = :at', ExpressionAttributeNames: { '#attribute': 'sendFailedAt' } })]);
  });

  it('the retry of that delivery sends the matching request, records the send, and answers 202', async () => {
    const body = readEvent('referrals/created.json');
    const { createHash } = await import('node:crypto');
    const stored = {
      id: 'webhook#msg_fail_2',
      sendFailedAt: '2026-11-23T09:00:01.000Z',
      delivery: {
        webhookId: 'msg_fail_2',
        bodySha256: createHash('sha256').update(body).digest('hex'),
        referralId: 'NE12-2026-000123',
        referralVersion: 1,
        referralStatus: 'open',
        matchingRequest: { referralId: 'NE12-2026-000123', version: 1, event: 'referral.created' },
        acceptedAt: '2026-11-23T09:00:00.000Z',
      },
    };
    const referral = { referralId: 'NE12-2026-000123', status: 'open', version: 1, placingLa: '390', createdAt: '', updatedAt: '' };
    dynamo.on(GetCommand, { TableName: 'idempotency' }).resolves({ Item: stored });
    dynamo.on(GetCommand, { TableName: 'referrals' }).resolves({ Item: { record: referral } });
    dynamo.on(UpdateCommand).resolves({});
    // The retry's write is refused: the delivery is already recorded (and so is the referral).
    dynamo.on(TransactWriteCommand).rejects(
      Object.assign(new TransactionCanceledException({ message: 'cancelled', $metadata: {} }), {
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm1' });

    const response = await invoke(body, 'msg_fail_2');

    expect(response.statusCode).toBe(202);
    expect(dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input.ExpressionAttributeNames)).toEqual([{ '#attribute': 'enqueuedAt' }]);
    expect(JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!)).toEqual(stored.delivery.matchingRequest);
  });

  it('500 without internals for an unexpected error', async () => {
    dynamo.on(TransactWriteCommand).rejects(new Error('something internal at /var/task/index.mjs'));
    const response = await invoke();
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('/var/task');
  });

  it('never logs the child\'s initials, date of birth, postcode or free text', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({});
    const referral = JSON.parse(readEvent('referrals/created.json'));
    referral.data.risks.riskOther = 'FREE-TEXT-NOTE';
    await invoke(JSON.stringify(referral), 'msg_log_1');
    referral.data.child.sex = 'X';
    await invoke(JSON.stringify(referral), 'msg_log_2');
    dynamo.on(TransactWriteCommand).rejects(awsError('ThrottlingException'));
    await invoke(JSON.stringify(referral), 'msg_log_3');

    const output = logged.join('');
    expect(output).toContain('msg_log_1');
    expect(output).toContain('data.child.sex:invalid_value');
    for (const secret of ['2011-03-14', '"JB"', 'NE8 1HH', 'FREE-TEXT-NOTE', 'GH-CLA-7731']) expect(output).not.toContain(secret);
  });
});
