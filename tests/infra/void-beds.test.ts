/** Void-bed alerts: the alerts table, the checks queue, the managers' topic, the monitor function and its schedule. */
import { describe, expect, it } from 'vitest';
import { ENV } from '#lib/config';
import { actionsOn, arnOf, asList, environmentOf, expectQueueConsumer, indexArn as indexOf, type Json, keyArn, outputs, PK_SK, resource, resources, resourcesOfType as ofType, statementsOf, synthesizeWith } from './support';

describe('void-bed alerts table', () => {
  it('keeps alert records and each bed’s tracking by pk/sk, protected, CMK-encrypted, alert records expiring by TTL', () => {
    // Assess
    expect(resource('VoidBedAlertsTable')).toMatchObject({
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: PK_SK,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
      DeletionPolicy: 'Retain',
    });
    // Sent alerts by month, newest first (the console's void-beds page): keys written by lib/void-beds/alert-keys.ts.
    expect(resource('VoidBedAlertsTable').Properties.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({ IndexName: 'bySentMonth', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }] }),
    ]);
  });
});

describe('void-bed checks queue', () => {
  it('is CMK-encrypted, redrives to its DLQ after 5 receives, and alarms the ops topic on a dead letter', () => {
    // Assess
    expect(resource('VoidBedChecksQueue').Properties).toEqual({
      KmsMasterKeyId: keyArn,
      RedrivePolicy: { deadLetterTargetArn: arnOf('VoidBedChecksQueueDlq'), maxReceiveCount: 5 },
      // Six times the monitor's 60 s timeout.
      VisibilityTimeout: 360,
    });
    expect(resource('VoidBedChecksQueueDlq').Properties).toMatchObject({ KmsMasterKeyId: keyArn, MessageRetentionPeriod: 1_209_600 });
    expect(resource('VoidBedChecksQueueDlqAlarm').Properties).toMatchObject({ AlarmActions: [{ Ref: 'AlarmTopic' }], Threshold: 1 });
  });

  it('is consumed by the monitor in batches of 10, two at most at once (one of its three is kept for the daily run), reporting partial batch failures', () => {
    expectQueueConsumer('VoidBedMonitorFunction', 'VoidBedChecksQueue', { BatchSize: 10, ScalingConfig: { MaximumConcurrency: 2 } });
  });

  it('is sent to by the api function (ending or moving a placement), which is told its URL', () => {
    expect(environmentOf('ApiFunction')[ENV.voidBedChecksQueueUrl]).toEqual({ Ref: 'VoidBedChecksQueue' });
    expect(actionsOn('ApiFunction', arnOf('VoidBedChecksQueue'))).toEqual(['sqs:SendMessage']);
  });
});

describe('void-bed alerts topic', () => {
  it('is CMK-encrypted and refuses publishers not using TLS', () => {
    expect(resource('VoidBedAlertsTopic').Properties).toEqual({ DisplayName: 'Cared For void beds', KmsMasterKeyId: keyArn });
    const [[, policy]] = ofType('AWS::SNS::TopicPolicy').filter(([, p]) => p.Properties.Topics[0].Ref === 'VoidBedAlertsTopic') as [[string, Json]];
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('delivers every alert to the VoidBedAlertsQueue subscription (CMK-encrypted, TLS only, kept 14 days), envelope and all', () => {
    const subscriptions = ofType('AWS::SNS::Subscription').filter(([, s]) => s.Properties.TopicArn.Ref === 'VoidBedAlertsTopic');
    expect(subscriptions.map(([, s]) => s.Properties)).toEqual([{ Endpoint: arnOf('VoidBedAlertsQueue'), Protocol: 'sqs', RawMessageDelivery: false, TopicArn: { Ref: 'VoidBedAlertsTopic' } }]);
    expect(resource('VoidBedAlertsQueue').Properties).toEqual({ KmsMasterKeyId: keyArn, MessageRetentionPeriod: 1_209_600 });
    const [[, queuePolicy]] = ofType('AWS::SQS::QueuePolicy').filter(([, p]) => p.Properties.Queues[0].Ref === 'VoidBedAlertsQueue') as [[string, Json]];
    expect(queuePolicy.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'VoidBedAlertsTopic' } } },
      }),
    ]);
    // SNS must use the key to put an alert on the encrypted queue: on behalf of this account only, never unconditionally.
    const forSns = resource('EncryptionKey').Properties.KeyPolicy.Statement.filter((st: Json) => st.Principal?.Service === 'sns.amazonaws.com');
    expect(forSns).toEqual([
      { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } },
    ]);
  });

  it('e-mails the managers’ address given as voidAlertEmail, and no one otherwise', () => {
    const emails = (t: Json) => Object.values(t.Resources as Json).filter((r: Json) => r.Type === 'AWS::SNS::Subscription' && r.Properties.TopicArn.Ref === 'VoidBedAlertsTopic' && r.Properties.Protocol === 'email');
    expect(emails({ Resources: resources })).toEqual([]);
    const withEmail = synthesizeWith({ voidAlertEmail: 'placements.managers@council.example' });
    expect(emails(withEmail).map((r: Json) => r.Properties.Endpoint)).toEqual(['placements.managers@council.example']);
  });
});

describe('void-bed monitor function', () => {
  it('runs Node.js 24 on arm64, 60 s, told its tables and topic', () => {
    const fn = resource('VoidBedMonitorFunction').Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 60, MemorySize: 512 });
    expect(fn.Environment.Variables).toMatchObject({
      [ENV.estateTable]: { Ref: 'EstateTable' },
      [ENV.placementsTable]: { Ref: 'PlacementsTable' },
      [ENV.referralsTable]: { Ref: 'ReferralsTable' },
      [ENV.voidBedAlertsTable]: { Ref: 'VoidBedAlertsTable' },
      [ENV.voidBedAlertsTopicArn]: { Ref: 'VoidBedAlertsTopic' },
      POWERTOOLS_SERVICE_NAME: 'void-bed-monitor',
    });
  });

  it('is granted exactly what it uses: reads by key and index (no Scan), writes only to its own table, publishes only to its topic', () => {
    const statements = statementsOf('VoidBedMonitorFunction');
    const granted = statements
      .filter((s) => !asList(s.Action).every((a: string) => a.startsWith('logs:')))
      .map((s) => ({ actions: [...asList(s.Action)].sort(), resource: s.Resource }));
    expect(granted).toEqual(
      expect.arrayContaining([
        { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resource: arnOf('EstateTable') },
        { actions: ['dynamodb:Query'], resource: indexOf('EstateTable', 'byKind') },
        { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resource: arnOf('PlacementsTable') },
        { actions: ['dynamodb:Query'], resource: indexOf('PlacementsTable', 'byBed') },
        { actions: ['dynamodb:Query'], resource: arnOf('ReferralsTable') },
        { actions: ['dynamodb:Query'], resource: indexOf('ReferralsTable', 'byStatus') },
        { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resource: arnOf('VoidBedAlertsTable') },
        { actions: ['sns:Publish'], resource: { Ref: 'VoidBedAlertsTopic' } },
        { actions: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], resource: arnOf('VoidBedChecksQueue') },
        { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resource: keyArn },
        // Lambda's on-failure destination for the daily run's events (tests/infra/operations.test.ts)
        { actions: ['sqs:SendMessage'], resource: arnOf('VoidBedMonitorScheduleFailedEvents') },
      ]),
    );
    expect(granted).toHaveLength(11);
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|dynamodb:\*|dynamodb:Scan|dynamodb:DeleteItem|dynamodb:BatchWriteItem/);
  });
});

describe('void-bed monitor schedule', () => {
  it('fires daily at 07:00 UTC (morning in London all year), invoking the monitor with two retries', () => {
    expect(resource('VoidBedMonitorSchedule').Properties).toEqual({
      Description: expect.stringContaining('London date'),
      ScheduleExpression: 'cron(0 7 * * ? *)',
      State: 'ENABLED',
      Targets: [{ Arn: arnOf('VoidBedMonitorFunction'), Id: 'Target0', RetryPolicy: { MaximumRetryAttempts: 2 } }],
    });
    const invokes = ofType('AWS::Lambda::Permission').filter(([, p]) => p.Properties.Principal === 'events.amazonaws.com' && p.Properties.FunctionName['Fn::GetAtt']?.[0] === 'VoidBedMonitorFunction');
    expect(invokes.map(([, p]) => p.Properties.SourceArn)).toEqual([arnOf('VoidBedMonitorSchedule')]);
  });
});

describe('outputs', () => {
  it('names the topic, its queue and the checks queue', () => {
    expect(outputs).toMatchObject({
      VoidBedAlertsTopicArn: { Value: { Ref: 'VoidBedAlertsTopic' } },
      VoidBedAlertsQueueUrl: { Value: { Ref: 'VoidBedAlertsQueue' } },
      VoidBedChecksQueueUrl: { Value: { Ref: 'VoidBedChecksQueue' } },
    });
  });
});
