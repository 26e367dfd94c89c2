import { fileURLToPath } from 'node:url';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { AlarmTopic } from '#infra/constructs/alarm-topic';
import { CaredForFunction } from '#infra/constructs/cared-for-function';
import { DataTable } from '#infra/constructs/data-table';
import { EncryptionKey } from '#infra/constructs/encryption-key';
import { FunctionSchedule } from '#infra/constructs/function-schedule';
import { QueueWithDeadLetter } from '#infra/constructs/queue-with-dead-letter';

type Json = Record<string, any>;

const anyHandler = fileURLToPath(new URL('../../functions/intake/handler.ts', import.meta.url));

/** A stack with the building blocks a queue consumer needs, cdk-nag registered, bundling skipped. */
function consumerStack(options: { functionTimeout?: Duration } = {}) {
  const app = new App({ postCliContext: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Test');
  const { key } = new EncryptionKey(stack, 'Key');
  const alarms = new AlarmTopic(stack, 'Alarms', { encryptionKey: key });
  const jobs = new QueueWithDeadLetter(stack, 'JobsQueue', {
    encryptionKey: key,
    alarmTopic: alarms.topic,
    visibilityTimeout: Duration.seconds(60),
  });
  const table = new DataTable(stack, 'ThingsTable', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    encryptionKey: key,
    globalSecondaryIndexes: [{ indexName: 'byOwner', partitionKey: { name: 'owner', type: AttributeType.STRING } }],
  });
  const worker = new CaredForFunction(stack, 'WorkerFunction', {
    entry: anyHandler,
    serviceName: 'worker',
    timeout: options.functionTimeout ?? Duration.seconds(10),
    reservedConcurrentExecutions: 3,
    alarmTopic: alarms.topic,
  });
  return { app, stack, jobs, table, worker };
}

/** Statements of the worker role's attached (non-inline) policy, as [sorted actions, resources]. */
function workerGrants(stack: Stack): [string[], unknown[]][] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((policy: Json) =>
    policy.Properties.PolicyDocument.Statement.map((s: Json) => [
      [s.Action].flat().sort(),
      [s.Resource].flat(),
    ]),
  );
}

describe('CaredForFunction.consume', () => {
  it('polls the queue with partial batch failures and may only receive, delete and re-time its messages', () => {
    // Prepare
    const { app, stack, jobs, worker } = consumerStack();

    // Act
    worker.consume(jobs, { batchSize: 5, maxBatchingWindow: Duration.seconds(2) });

    // Assess
    const template = Template.fromStack(stack);
    expect(template.toJSON().Resources.WorkerFunctionFromJobsQueue).toMatchObject({
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] },
        FunctionName: { Ref: 'WorkerFunction' },
        BatchSize: 5,
        MaximumBatchingWindowInSeconds: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        // As many batches at once as the function's reserved concurrency (3), no more.
        ScalingConfig: { MaximumConcurrency: 3 },
      },
    });
    expect(workerGrants(stack)).toEqual([
      [
        ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
        [{ 'Fn::GetAtt': ['JobsQueue', 'Arn'] }],
      ],
      [['kms:Decrypt', 'kms:GenerateDataKey'], [{ 'Fn::GetAtt': ['Key', 'Arn'] }]],
    ]);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });

  it('refuses more batches in flight than the reserved concurrency, or fewer than the two Lambda allows', () => {
    // Prepare
    const { jobs, worker } = consumerStack();

    // Act + Assess
    expect(() => worker.consume(jobs, { maxConcurrency: 4 })).toThrow(/takes 2 to 3 \(its reserved concurrency\) batches at once, not 4/);
    expect(() => worker.consume(jobs, { maxConcurrency: 1 })).toThrow(/not 1/);
  });

  it('refuses a queue whose visibility timeout is shorter than the function timeout', () => {
    // Prepare
    const { jobs, worker } = consumerStack({ functionTimeout: Duration.seconds(90) });

    // Act + Assess
    expect(() => worker.consume(jobs)).toThrow(/visibility timeout \(60 s\) is shorter than .* timeout \(90 s\)/);
  });
});

describe('CaredForFunction.useTable', () => {
  it('grants the actions on the table and only index reads on the named indexes', () => {
    // Prepare
    const { stack, table, worker } = consumerStack();

    // Act
    worker.useTable(table, 'THINGS_TABLE_NAME', ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byOwner'] });

    // Assess
    const tableArn = { 'Fn::GetAtt': ['ThingsTable', 'Arn'] };
    expect(workerGrants(stack)).toEqual([
      [['dynamodb:GetItem', 'dynamodb:Query'], [tableArn]],
      [['dynamodb:Query'], [{ 'Fn::Join': ['', [tableArn, '/index/byOwner']] }]],
      [['kms:Decrypt', 'kms:GenerateDataKey'], [{ 'Fn::GetAtt': ['Key', 'Arn'] }]],
    ]);
    expect(Template.fromStack(stack).toJSON().Resources.WorkerFunction.Properties.Environment.Variables).toMatchObject({
      THINGS_TABLE_NAME: { Ref: 'ThingsTable' },
    });
  });

  it('refuses an index the table does not have, or index access without a read action', () => {
    // Prepare
    const { table, worker } = consumerStack();

    // Act + Assess
    expect(() => worker.useTable(table, 'A', ['dynamodb:Query'], { indexes: ['byNothing'] })).toThrow(/no index named byNothing/);
    expect(() => worker.useTable(table, 'B', ['dynamodb:GetItem'], { indexes: ['byOwner'] })).toThrow(/needs dynamodb:Query/);
  });

  it('refuses to bind one environment variable to two resources', () => {
    // Prepare
    const { table, jobs, worker } = consumerStack();
    worker.useTable(table, 'TARGET', ['dynamodb:GetItem']);

    // Act + Assess
    expect(() => worker.sendTo(jobs, 'TARGET')).toThrow(/TARGET is already bound/);
  });
});

describe('CaredForFunction alarms and reserved concurrency', () => {
  it('reserves the concurrency asked for and alarms the topic on the first error and the first throttle', () => {
    // Prepare
    const { stack } = consumerStack();

    // Act
    const resources = Template.fromStack(stack).toJSON().Resources;

    // Assess
    expect(resources.WorkerFunction.Properties.ReservedConcurrentExecutions).toBe(3);
    for (const metric of ['Errors', 'Throttles']) {
      expect(resources[`WorkerFunction${metric}Alarm`].Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'WorkerFunction' } }],
        Threshold: 1,
        AlarmActions: [{ Ref: 'Alarms' }],
        OKActions: [{ Ref: 'Alarms' }],
      });
    }
  });

  it('refuses a reserved concurrency that is not a whole number of at least 1', () => {
    // Prepare
    const { stack } = consumerStack();
    const alarms = new AlarmTopic(stack, 'MoreAlarms', { encryptionKey: new EncryptionKey(stack, 'OtherKey').key });

    // Act + Assess
    for (const reserved of [0, 1.5]) {
      expect(() => new CaredForFunction(stack, `Bad${String(reserved).replace('.', '')}`, { entry: anyHandler, serviceName: 'bad', reservedConcurrentExecutions: reserved, alarmTopic: alarms.topic })).toThrow(
        /reservedConcurrentExecutions must be a whole number of at least 1/,
      );
    }
  });
});

describe('FunctionSchedule', () => {
  it('invokes the function on its schedule; failed events go, after two retries, to a queue with an alarm; cdk-nag clean', () => {
    // Prepare
    const { app, stack, worker } = consumerStack();
    const key = stack.node.findChild('Key') as EncryptionKey;
    const alarms = stack.node.findChild('Alarms') as AlarmTopic;

    // Act
    new FunctionSchedule(stack, 'NightlySchedule', {
      expression: 'cron(0 3 * * ? *)',
      description: 'Nightly',
      target: worker,
      encryptionKey: key.key,
      alarmTopic: alarms.topic,
      whenItFails: 'Run it again by hand.',
    });

    // Assess
    const resources = Template.fromStack(stack).toJSON().Resources;
    expect(resources.NightlySchedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      Targets: [{ Arn: { 'Fn::GetAtt': ['WorkerFunction', 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } }],
    });
    expect(resources.WorkerFunctionAsyncInvoke.Properties).toMatchObject({
      FunctionName: { Ref: 'WorkerFunction' },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['NightlyScheduleFailedEvents', 'Arn'] } } },
    });
    expect(resources.NightlyScheduleFailedEvents.Properties).toEqual({ KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] }, MessageRetentionPeriod: 1_209_600 });
    expect(resources.NightlyScheduleFailedEventsAlarm.Properties).toMatchObject({ AlarmActions: [{ Ref: 'Alarms' }], Threshold: 1 });
    expect(resources.NightlyScheduleFailedEventsAlarm.Properties.AlarmDescription).toContain('Run it again by hand.');
    // Exactly send, with the key; no wildcard KMS actions (as SqsDestination would grant).
    expect(workerGrants(stack)).toEqual([
      [['sqs:SendMessage'], [{ 'Fn::GetAtt': ['NightlyScheduleFailedEvents', 'Arn'] }]],
      [['kms:Decrypt', 'kms:GenerateDataKey'], [{ 'Fn::GetAtt': ['Key', 'Arn'] }]],
    ]);
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});
