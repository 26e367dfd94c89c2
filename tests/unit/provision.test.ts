import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { ListSubscriptionsByTopicCommand, PublishCommand } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { localName, provisionedValues, provisionTemplate, type ProvisionedResources } from '#infra/local/provision';
import { resolveString, type CfnTemplate } from '#infra/local/template';
import { emulatorClients } from '#tests/support/emulators';
import { PK_SK, PK_SK_ATTRIBUTES } from '#tests/support/pk-sk-keys';

/** A hand-written template with every shape provisionTemplate reads, in the form CDK synthesizes. */
const template = {
  Parameters: { AlertEmail: { Type: 'String', Default: 'managers@example.org' } },
  Resources: {
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Things: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: PK_SK,
        AttributeDefinitions: [...PK_SK_ATTRIBUTES, { AttributeName: 'status', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [
          { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    },
    Ledger: {
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        Replicas: [{ Region: 'eu-west-2' }],
      },
    },
    // Declared before its DLQ: the DLQ must still be created first.
    Work: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        VisibilityTimeout: 120,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDlq', 'Arn'] }, maxReceiveCount: 3 },
        KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] },
      },
    },
    WorkDlq: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
    Ordered: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, ContentBasedDeduplication: true } },
    Alerts: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'Alerts', KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
    AlertsToWork: {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'Alerts' }, Protocol: 'sqs', Endpoint: { 'Fn::GetAtt': ['Work', 'Arn'] }, RawMessageDelivery: true },
    },
    AlertsByEmail: {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'Alerts' }, Protocol: 'email', Endpoint: { Ref: 'AlertEmail' } },
    },
    AlertsToFunction: {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'Alerts' }, Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['Notifier', 'Arn'] } },
    },
    WorkPolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: {} },
  },
};

const prefix = `prov-${randomUUID().slice(0, 8)}`;
let result: ProvisionedResources;

beforeAll(async () => {
  result = await provisionTemplate(template, emulatorClients(), { prefix });
});

describe('provisionTemplate', () => {
  it('creates tables under the prefix with their keys and GSIs (projection kept); records the TTL for the stack clock to apply; ignores SSE, PITR and deletion protection', async () => {
    const { dynamodb } = emulatorClients();
    expect(result.resources.Things).toMatchObject({ type: 'AWS::DynamoDB::Table', name: `${prefix}-Things` });
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: `${prefix}-Things` }));
    expect(Table?.KeySchema).toEqual(template.Resources.Things.Properties.KeySchema);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType])).toEqual([['byStatus', 'KEYS_ONLY']]);
    expect(result.resources.Things?.arn).toBe(Table?.TableArn);
    expect(result.resources.Things?.ttl).toEqual({ attribute: 'expiresAt', keys: ['pk', 'sk'] });
    // DynamoDB Local's own TTL deletes by the wall clock, not the stack's: left off (infra/local/ttl-sweeper.ts).
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: `${prefix}-Things` }));
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });

  it('creates AWS::DynamoDB::GlobalTable (CDK TableV2) as a plain table', async () => {
    // Described by name: ListTables answers 100 names a page, and the shared emulator holds every test file's tables.
    const { Table } = await emulatorClients().dynamodb.send(new DescribeTableCommand({ TableName: `${prefix}-Ledger` }));
    expect(Table?.TableName).toBe(`${prefix}-Ledger`);
    expect(result.resources.Ledger?.type).toBe('AWS::DynamoDB::GlobalTable');
  });

  it('creates queues with their attributes, the DLQ first and named in the redrive policy by its local ARN', async () => {
    const work = result.resources.Work;
    const dlq = result.resources.WorkDlq;
    expect(dlq).toMatchObject({ name: `${prefix}-WorkDlq`, arn: `arn:aws:sqs:eu-west-2:000000000000:${prefix}-WorkDlq` });
    const { Attributes } = await emulatorClients().sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: work?.url, AttributeNames: ['All'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('120');
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: dlq?.arn, maxReceiveCount: 3 });
    expect(result.resources.Ordered?.name).toBe(`${prefix}-Ordered.fifo`);
  });

  it('subscribes a queue to a topic (fan-out works, raw delivery kept) and records an e-mail subscription without delivering it', async () => {
    const { sns, sqs } = emulatorClients();
    const topicArn = result.resources.Alerts?.arn;
    expect(topicArn).toBe(`arn:aws:sns:eu-west-2:000000000000:${prefix}-Alerts`);
    expect(result.resources.AlertsByEmail?.subscription).toEqual({
      topicArn,
      protocol: 'email',
      endpoint: 'managers@example.org',
      delivered: false,
    });
    const subs = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
    expect(subs.map((s) => s.Protocol).sort()).toEqual(['email', 'sqs']);

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'bed void' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: result.resources.Work?.url, WaitTimeSeconds: 2 }));
    expect(received.Messages?.map((m) => m.Body)).toEqual(['bed void']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: result.resources.Work?.url, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }));
  });

  it('lists the resource types it does not handle, and subscriptions other than sqs and e-mail, as skipped', () => {
    expect(result.skipped).toEqual([
      { logicalId: 'Key', type: 'AWS::KMS::Key' },
      { logicalId: 'AlertsToFunction', type: 'AWS::SNS::Subscription' },
      { logicalId: 'WorkPolicy', type: 'AWS::SQS::QueuePolicy' },
    ]);
  });

  it('is idempotent, and brings existing resources in line with a changed template (new GSI, queue attributes)', async () => {
    const again = await provisionTemplate(template, emulatorClients(), { prefix });
    expect(again.resources).toEqual(result.resources);

    const changed = structuredClone(template);
    changed.Resources.Things.Properties.AttributeDefinitions.push({ AttributeName: 'home', AttributeType: 'S' });
    changed.Resources.Things.Properties.GlobalSecondaryIndexes.push({
      IndexName: 'byHome',
      KeySchema: [{ AttributeName: 'home', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    });
    changed.Resources.Work.Properties.VisibilityTimeout = 60;
    await provisionTemplate(changed, emulatorClients(), { prefix });

    const { Table } = await emulatorClients().dynamodb.send(new DescribeTableCommand({ TableName: `${prefix}-Things` }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['byHome', 'byStatus']);
    const { Attributes } = await emulatorClients().sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: result.resources.Work?.url, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(Attributes?.VisibilityTimeout).toBe('60');
  });

  it('uses a literal TableName as given', async () => {
    const name = `${prefix}-literal`;
    const literal = {
      Resources: {
        Named: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { TableName: name, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] },
        },
      },
    };
    const provisioned = await provisionTemplate(literal, emulatorClients(), { prefix: 'ignored' });
    expect(provisioned.resources.Named?.name).toBe(name);
  });

  it('names the resource and the property when the template has a shape it cannot read', async () => {
    const bad = { Resources: { Broken: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'SIDEWAYS' }] } } } };
    await expect(provisionTemplate(bad, emulatorClients(), { prefix })).rejects.toThrow(/Broken \(AWS::DynamoDB::Table\)[\s\S]*KeySchema/);
  });
});

describe('localName', () => {
  it('is prefix-logicalId when it fits, and a stable hashed shortening within the limit when not', () => {
    expect(localName('p', 'Queue', 80)).toBe('p-Queue');
    const long = localName('intake-1234abcd', 'X'.repeat(100), 80, '.fifo');
    expect(long).toHaveLength(80);
    expect(long).toMatch(/^intake-1234abcd-X+-[0-9a-f]{8}\.fifo$/);
    expect(localName('intake-1234abcd', 'X'.repeat(100), 80, '.fifo')).toBe(long);
    expect(localName('intake-1234abcd', `${'X'.repeat(99)}Y`, 80, '.fifo')).not.toBe(long);
  });
});

describe('provisionedValues', () => {
  it('resolves Ref and Fn::GetAtt of provisioned resources as CloudFormation would, through the one intrinsic resolver', () => {
    const { resources } = result;
    const ctx = { template: template as CfnTemplate, stackName: prefix, values: provisionedValues(resources), placeholders: false };
    const resolve = (value: unknown) => resolveString(value, ctx, 'value');
    expect(resolve({ Ref: 'Things' })).toBe(`${prefix}-Things`);
    expect(resolve({ Ref: 'Work' })).toBe(resources.Work?.url);
    expect(resolve({ Ref: 'Alerts' })).toBe(resources.Alerts?.arn);
    expect(resolve({ 'Fn::GetAtt': ['WorkDlq', 'Arn'] })).toBe(resources.WorkDlq?.arn);
    expect(resolve({ 'Fn::GetAtt': 'Work.QueueName' })).toBe(`${prefix}-Work`);
    expect(resolve({ Ref: 'AlertEmail' })).toBe('managers@example.org');
    expect(() => resolve({ Ref: 'Key' })).toThrow(/cannot resolve Ref Key/);
    expect(() => resolve({ 'Fn::ImportValue': 'Elsewhere' })).toThrow(/not resolved by the local runner/);
  });
});
