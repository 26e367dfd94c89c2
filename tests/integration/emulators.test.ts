import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '#infra/local/emulators';
import { startSesLocal, storedEmails } from '#infra/local/ses-local';
import { startDynamoCallRecorder } from '#tests/support/dynamodb-call-recorder';
import { emulatorClients, emulatorEndpoints, provisionStack, stackTemplate, type ProvisionedStack } from '#tests/support/emulators';

/** The embedded emulators with the stack's own template provisioned on them. */

interface TemplateResource {
  Type: string;
  Properties: Record<string, any>;
}
const resourcesOfType = (type: string): Array<[string, TemplateResource]> =>
  Object.entries(stackTemplate().Resources as Record<string, TemplateResource>).filter(([, r]) => r.Type === type);

let stack: ProvisionedStack;
beforeAll(async () => {
  stack = await provisionStack('emulators');
});

describe('the stack on the emulators', () => {
  it('has every table of the template, with its keys and GSIs, and its TTL recorded for the stack clock (DynamoDB Local\'s own, by the wall clock, off)', async () => {
    const tables = resourcesOfType('AWS::DynamoDB::Table');
    expect(tables.map(([id]) => id)).toEqual(expect.arrayContaining(['ReferralsTable', 'IdempotencyTable']));
    const { dynamodb } = emulatorClients();
    for (const [logicalId, { Properties: p }] of tables) {
      const name = stack.tables[logicalId];
      expect(name, logicalId).toBe(`${stack.prefix}-${logicalId}`);
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
      expect(Table?.KeySchema, logicalId).toEqual(p.KeySchema);
      // DynamoDB does not keep a table's GSIs in the order they were declared.
      const byName = (a: { IndexName?: string }, b: { IndexName?: string }) => String(a.IndexName).localeCompare(String(b.IndexName));
      expect(
        (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema })).sort(byName),
        logicalId,
      ).toEqual((p.GlobalSecondaryIndexes ?? []).map((i: any) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema })).sort(byName));
      const ttl = (await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
      expect(ttl?.TimeToLiveStatus, logicalId).toBe('DISABLED');
      expect(stack.resources[logicalId]?.ttl?.attribute, logicalId).toBe(p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : undefined);
    }
    // The ones the intake relies on, by name, in case the template changes shape.
    const referrals = await dynamodb.send(new DescribeTableCommand({ TableName: stack.tables.ReferralsTable }));
    expect(referrals.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['byStatus']);
  });

  it('redrives a message to the dead-letter queue after maxReceiveCount receives, for every queue with one', async () => {
    const { sqs } = emulatorClients();
    const redriven = resourcesOfType('AWS::SQS::Queue').filter(([, r]) => r.Properties.RedrivePolicy);
    expect(redriven.map(([id]) => id)).toContain('MatchingQueue');
    for (const [logicalId, { Properties: p }] of redriven) {
      const queue = stack.queues[logicalId]!;
      const dlq = stack.queues[p.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]]!;
      const maxReceiveCount = Number(p.RedrivePolicy.maxReceiveCount);
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `poison for ${logicalId}` }));

      // A consumer fails it maxReceiveCount times; making it visible again at once stands in for the timeout.
      for (let receive = 1; receive <= maxReceiveCount; receive++) {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
        );
        expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount, `${logicalId} receive ${receive}`).toBe(String(receive));
        await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue.url, ReceiptHandle: Messages?.[0]?.ReceiptHandle, VisibilityTimeout: 0 }));
      }

      const afterLimit = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 0 }));
      expect(afterLimit.Messages ?? [], logicalId).toEqual([]);
      const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1 }));
      expect(dead.Messages?.map((m) => m.Body), logicalId).toEqual([`poison for ${logicalId}`]);
    }
  });

  it('cancels a TransactWriteItems whose condition fails, with a reason per item, and writes none of it', async () => {
    const { dynamodb } = emulatorClients();
    const TableName = stack.tables.ReferralsTable!;
    const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'CURRENT' } });
    await dynamodb.send(new PutItemCommand({ TableName, Item: { ...key('R-1'), version: { N: '1' } } }));

    const attempt = dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName, Item: { ...key('R-2'), version: { N: '1' } } } },
          {
            Put: {
              TableName,
              Item: { ...key('R-1'), version: { N: '2' } },
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': { N: '7' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    );

    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons;
    expect(reasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(reasons?.[1]?.Item).toMatchObject({ version: { N: '1' } });
    expect((await dynamodb.send(new GetItemCommand({ TableName, Key: key('R-2') }))).Item).toBeUndefined();
    expect((await dynamodb.send(new GetItemCommand({ TableName, Key: key('R-1') }))).Item?.version).toEqual({ N: '1' });
  });
});

describe('the emulators listen on 127.0.0.1 only', () => {
  const ports = () => {
    const { dynamodb, sqs } = emulatorEndpoints();
    return { dynamodb: Number(new URL(dynamodb).port), sqs: Number(new URL(sqs).port) };
  };

  it('the kernel lists their listening sockets on 127.0.0.1 and nowhere else', () => {
    // /proc/net/tcp{,6}: "sl local_address rem_address st ..." with addresses as hex ip:port; st 0A = LISTEN.
    const listening = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter((cols) => cols[3] === '0A')
        .map((cols) => {
          const [ip, port] = (cols[1] ?? '').split(':');
          return { file, ip, port: parseInt(port ?? '', 16) };
        }),
    );
    for (const [name, port] of Object.entries(ports())) {
      const sockets = listening.filter((s) => s.port === port);
      // 0100007F is 127.0.0.1 (little-endian); an IPv4-mapped ::ffff:127.0.0.1 would also be loopback-only.
      expect(sockets, name).toEqual([{ file: '/proc/net/tcp', ip: '0100007F', port }]);
    }
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal)
    .map((a) => a!.address.split('%')[0]!);

  it('accepts connections on loopback and refuses them on every other address the machine has', async () => {
    const tryConnect = (host: string, port: number) =>
      new Promise<string>((resolve) => {
        const socket = connect({ host, port, timeout: 2_000 });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('timeout', () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
    for (const [name, port] of Object.entries(ports())) {
      expect(await tryConnect('127.0.0.1', port), `${name} on loopback`).toBe('connected');
      for (const host of external) {
        expect(await tryConnect(host, port), `${name} on ${host}`).not.toBe('connected');
      }
    }
  });
});

describe('the DynamoDB call recorder (the API fuzz test snapshots tables only after calls that could write)', () => {
  it('passes every call on unchanged and counts only those that could change an item', async () => {
    const recorder = await startDynamoCallRecorder(emulatorEndpoints().dynamodb);
    try {
      const dynamodb = dynamoClient(recorder.endpoint);
      const table = stack.tables.IdempotencyTable!;
      const key = { id: { S: 'recorder-1' } };
      await dynamodb.send(new GetItemCommand({ TableName: table, Key: key }));
      await dynamodb.send(new DescribeTableCommand({ TableName: table }));
      expect(recorder.possibleWrites()).toBe(0);
      await dynamodb.send(new PutItemCommand({ TableName: table, Item: { ...key, note: { S: 'through the relay' } } }));
      const afterPut = recorder.possibleWrites();
      expect(afterPut).toBeGreaterThan(0);
      // Refused, still counted (the SDK may send it more than once: it retries when the wall clock is far off DynamoDB's).
      await expect(dynamodb.send(new PutItemCommand({ TableName: table, Item: key, ConditionExpression: 'attribute_not_exists(id)' }))).rejects.toThrow();
      expect(recorder.possibleWrites()).toBeGreaterThan(afterPut);
      const { Item } = await emulatorClients().dynamodb.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
      expect(Item?.note).toEqual({ S: 'through the relay' });
    } finally {
      await recorder.stop();
    }
  });
});

describe('the SES emulator', () => {
  it('starts empty, whatever an emulator started before it in the same process held (the package keeps one store per process)', async () => {
    // Prepare: one emulator takes an e-mail, and stops
    const first = await startSesLocal();
    const ses = new SESv2Client({ endpoint: first.url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'invoices@council.example',
        Destination: { ToAddresses: ['ap@placing-council.example'] },
        Content: { Simple: { Subject: { Data: 'Invoice NT-2627-000001' }, Body: { Text: { Data: 'Attached.' } } } },
      }),
    );
    expect(await storedEmails(first.url)).toHaveLength(1);
    await first.stop();

    // Act
    const second = await startSesLocal();

    // Assess
    try {
      expect(await storedEmails(second.url)).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
