import { describe, expect, it } from 'vitest';
import { ENV } from '#lib/config';
import { arnOf, asList, keyArn, PK_SK, resources, statementsOf, template } from './support';

const onResource = (statements: Record<string, any>[], resource: unknown) => statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(resource)).flatMap((s) => asList(s.Action));

describe('documents out: infrastructure', () => {
  it('keeps the delivery log in a protected, CMK-encrypted table', () => {
    expect(resources.DeliveriesTable.Properties).toMatchObject({
      KeySchema: PK_SK,
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    });
  });

  it('retries through the deliveries queue: dead-lettered after 8 receives, with an alarm; partial batch failures', () => {
    expect(resources.DeliveriesQueue.Properties).toMatchObject({
      VisibilityTimeout: 6 * resources.DeliverySenderFunction.Properties.Timeout,
      RedrivePolicy: { deadLetterTargetArn: arnOf('DeliveriesQueueDlq'), maxReceiveCount: 8 },
      KmsMasterKeyId: keyArn,
    });
    expect(resources.DeliveriesQueueDlqAlarm.Properties).toMatchObject({ Threshold: 1, AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopic/) }] });
    expect(resources.DeliverySenderFunctionFromDeliveriesQueue.Properties).toMatchObject({ EventSourceArn: arnOf('DeliveriesQueue'), FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  it('lets the sender read documents, keep the log, read the signing secret and send e-mail from our identity through our configuration set: nothing more', () => {
    const statements = statementsOf('DeliverySenderFunction');
    expect(onResource(statements, arnOf('InvoicesTable'))).toEqual(['dynamodb:GetItem']);
    expect(onResource(statements, arnOf('DeliveriesTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(onResource(statements, { Ref: 'OutboundSigningSecret' })).toEqual(['secretsmanager:GetSecretValue']);
    const ses = statements.filter((s) => asList(s.Action).some((a: string) => a.startsWith('ses:')));
    expect(ses).toHaveLength(1);
    expect(ses[0]!.Action).toBe('ses:SendEmail');
    expect(JSON.stringify(ses[0]!.Resource)).toMatch(/identity\/cared-for\.example/);
    expect(JSON.stringify(ses[0]!.Resource)).toMatch(/configuration-set\/"?,?\{"Ref":"EmailConfigurationSet"\}/);
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|dynamodb:\*|ses:\*|dynamodb:Scan/);
    expect(resources.DeliverySenderFunction.Properties.Environment.Variables).toMatchObject({
      [ENV.deliveriesQueueUrl]: { Ref: 'DeliveriesQueue' },
      [ENV.outboundSecretArn]: { Ref: 'OutboundSigningSecret' },
      [ENV.sesConfigurationSet]: { Ref: 'EmailConfigurationSet' },
      [ENV.regionalInboxUrl]: 'https://regional-inbox.example/webhooks/cared-for',
    });
    expect(resources.DeliverySenderFunction.Properties.Environment.Variables[ENV.webhookBaseUrlOverride]).toBeUndefined();
  });

  it('the builder queues each document; the API reads the log and queues re-sends', () => {
    expect(onResource(statementsOf('InvoiceBuilderFunction'), arnOf('DeliveriesQueue'))).toEqual(['sqs:SendMessage']);
    const api = statementsOf('ApiFunction');
    expect(onResource(api, arnOf('DeliveriesTable'))).toEqual(['dynamodb:Query', 'dynamodb:PutItem']);
    expect(onResource(api, arnOf('DeliveriesQueue'))).toEqual(['sqs:SendMessage']);
  });

  it('SES publishes bounces, complaints and rejects to an encrypted topic, delivered to the delivery-events function through its own queue', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: 'EmailConfigurationSet' },
      EventDestination: { Enabled: true, MatchingEventTypes: ['bounce', 'complaint', 'reject'], SnsDestination: { TopicARN: { Ref: 'EmailEventsTopic' } } },
    });
    expect(resources.EmailEventsTopic.Properties.KmsMasterKeyId).toEqual(keyArn);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', TopicArn: { Ref: 'EmailEventsTopic' }, Endpoint: arnOf('EmailEventsQueue') });
    expect(resources.DeliveryEventsFunctionFromEmailEventsQueue.Properties).toMatchObject({ EventSourceArn: arnOf('EmailEventsQueue') });
    expect(onResource(statementsOf('DeliveryEventsFunction'), arnOf('DeliveriesTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
  });

  it('payments: a protected table with the byCouncil index, which the API reads and writes without scans', () => {
    expect(resources.PaymentsTable.Properties).toMatchObject({
      GlobalSecondaryIndexes: [{ IndexName: 'byCouncil', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }] }],
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    });
    const api = statementsOf('ApiFunction');
    expect(onResource(api, arnOf('PaymentsTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    expect(JSON.stringify(api)).not.toMatch(/dynamodb:Scan/);
  });

  it('reminders: daily at 08:00 UTC, reading documents by due date, claiming each reminder, queueing it', () => {
    expect(resources.PaymentRemindersSchedule.Properties).toMatchObject({ ScheduleExpression: 'cron(0 8 * * ? *)', Targets: [{ Arn: arnOf('PaymentRemindersFunction'), RetryPolicy: { MaximumRetryAttempts: 2 } }] });
    expect(resources.InvoicesTable.Properties.GlobalSecondaryIndexes.map((i: Record<string, unknown>) => i.IndexName)).toEqual(['byCouncil', 'byRun', 'byDueDate']);
    const reminders = statementsOf('PaymentRemindersFunction');
    expect(onResource(reminders, arnOf('InvoicesTable'))).toEqual(['dynamodb:Query']);
    expect(onResource(reminders, arnOf('PaymentsTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem']);
    expect(onResource(reminders, arnOf('DeliveriesQueue'))).toEqual(['sqs:SendMessage']);
    expect(JSON.stringify(reminders)).not.toMatch(/"\*"|dynamodb:Scan|ses:/);
  });

  it('the decisions’ outbox: swept every 5 minutes from the placements table into the deliveries queue; the API takes out what it hands over', () => {
    expect(resources.NotificationOutboxSchedule.Properties).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', Targets: [{ Arn: arnOf('NotificationOutboxFunction') }] });
    const outbox = statementsOf('NotificationOutboxFunction');
    expect(onResource(outbox, arnOf('PlacementsTable'))).toEqual(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:DeleteItem']);
    expect(onResource(outbox, arnOf('DeliveriesQueue'))).toEqual(['sqs:SendMessage']);
    expect(onResource(statementsOf('ApiFunction'), arnOf('PlacementsTable'))).toContain('dynamodb:DeleteItem');
  });
});
