/** Referral intake: its tables, the matching queue it feeds, the webhook secret, the intake function and the webhook route. */
import { describe, expect, it } from 'vitest';
import { ENV } from '#lib/config';
import { allow, apiInvokeSources, apiRoutes, arnOf, environmentOf, expectPkSkTable, functionBasics, grantsOf, type Json, keyArn, logGroupOf, outputs, protectedTable, resource, resourcesOfType } from './support';

describe('referrals and idempotency tables', () => {
  it('keeps referrals by pk/sk with the byStatus index, protected and encrypted with the CMK', () => {
    const table = expectPkSkTable('ReferralsTable', 'byStatus');
    expect(table.Properties.AttributeDefinitions).toEqual(
      ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    );
  });

  it('keeps idempotency records by id and lets DynamoDB expire them', () => {
    const table = resource('IdempotencyTable');
    expect(table).toMatchObject(protectedTable);
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiration', Enabled: true });
  });
});

describe('matching queue', () => {
  it('is encrypted with the CMK and redrives to its DLQ after 5 receives', () => {
    expect(resource('MatchingQueue').Properties).toMatchObject({
      KmsMasterKeyId: keyArn,
      VisibilityTimeout: 120,
      RedrivePolicy: { deadLetterTargetArn: arnOf('MatchingQueueDlq'), maxReceiveCount: 5 },
    });
  });

  it('keeps dead letters 14 days, encrypted with the CMK', () => {
    expect(resource('MatchingQueueDlq').Properties).toEqual({ KmsMasterKeyId: keyArn, MessageRetentionPeriod: 1_209_600 });
  });

  it('refuses non-TLS access to both queues', () => {
    for (const queue of ['MatchingQueue', 'MatchingQueueDlq']) {
      const policy = resourcesOfType('AWS::SQS::QueuePolicy').find(([, p]) => p.Properties.Queues.some((q: Json) => q.Ref === queue));
      expect(policy?.[1].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('alarms the ops topic as soon as one message is dead-lettered', () => {
    expect(resource('MatchingQueueDlqAlarm').Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['MatchingQueueDlq', 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
  });
});

describe('webhook secret', () => {
  it('is encrypted with the CMK', () => {
    expect(resource('WebhookSecret')).toMatchObject({ Type: 'AWS::SecretsManager::Secret', Properties: { KmsKeyId: keyArn } });
  });
});

describe('intake function', () => {
  it('runs with 512 MB and 10 s', () => {
    expect(resource('IntakeFunction').Properties).toMatchObject({ MemorySize: 512, Timeout: 10 });
  });

  it('is told where its tables, queue and secret are, and how to log', () => {
    expect(environmentOf('IntakeFunction')).toEqual({
      ...functionBasics('intake'),
      [ENV.referralsTable]: { Ref: 'ReferralsTable' },
      [ENV.idempotencyTable]: { Ref: 'IdempotencyTable' },
      [ENV.matchingQueueUrl]: { Ref: 'MatchingQueue' },
      [ENV.webhookSecretArn]: { Ref: 'WebhookSecret' },
    });
  });

  it('is granted exactly the actions it uses, each on its one resource', () => {
    const grants = grantsOf('IntakeFunction');
    expect(grants).toHaveLength(6);
    expect(grants).toEqual(
      expect.arrayContaining([
        allow(['logs:CreateLogStream', 'logs:PutLogEvents'], arnOf(logGroupOf('IntakeFunction'))),
        allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], arnOf('ReferralsTable')),
        allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], arnOf('IdempotencyTable')),
        allow(['sqs:SendMessage'], arnOf('MatchingQueue')),
        allow(['secretsmanager:GetSecretValue'], { Ref: 'WebhookSecret' }),
        allow(['kms:Decrypt', 'kms:GenerateDataKey'], keyArn),
      ]),
    );
  });
});

describe('webhook route', () => {
  it('routes POST /webhooks/referrals, and nothing else under /webhooks, to the intake function', () => {
    const webhook = apiRoutes().filter((r) => r.pathPart === 'referrals');
    expect(webhook.map((r) => r.method)).toEqual(['POST']);
    expect(JSON.stringify(webhook[0]?.props.Integration.Uri)).toContain('"IntakeFunction","Arn"');
    expect(resourcesOfType('AWS::ApiGateway::Resource').map(([, r]) => r.Properties.PathPart)).toContain('webhooks');
  });

  it('lets API Gateway invoke the intake function for that route only', () => {
    const sources = apiInvokeSources('IntakeFunction');
    expect(sources).toEqual([expect.stringContaining('/POST/webhooks/referrals')]);
  });
});

describe('outputs', () => {
  it('names the webhook URL, the tables, the queue and its DLQ, and the secret', () => {
    expect(outputs).toMatchObject({
      WebhookUrl: { Value: expect.objectContaining({ 'Fn::Join': expect.any(Array) }) },
      ReferralsTableName: { Value: { Ref: 'ReferralsTable' } },
      IdempotencyTableName: { Value: { Ref: 'IdempotencyTable' } },
      MatchingQueueUrl: { Value: { Ref: 'MatchingQueue' } },
      MatchingDlqUrl: { Value: { Ref: 'MatchingQueueDlq' } },
      WebhookSecretArn: { Value: { Ref: 'WebhookSecret' } },
    });
    const [stageId] = resourcesOfType('AWS::ApiGateway::Stage')[0] ?? [];
    expect(JSON.stringify(outputs.WebhookUrl)).toContain(`{"Ref":"${stageId}"},"/webhooks/referrals"`);
  });
});
