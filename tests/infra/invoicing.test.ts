import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaredForStack } from '#infra/stack';
import { synthesizeTemplate } from '#infra/synth';
import { ENV } from '#lib/config';

type Json = Record<string, any>;
let template: Template;
let resources: Json;

beforeAll(() => {
  // Synthesis runs cdk-nag's AwsSolutions checks and fails on any unacknowledged finding.
  template = Template.fromJSON(synthesizeTemplate({ bundle: false }));
  resources = template.toJSON().Resources;
});

const keyArn = { 'Fn::GetAtt': ['EncryptionKey', 'Arn'] };
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** Every policy statement of a function's role. */
function statementsOf(functionId: string): Json[] {
  const roleId = resources[functionId].Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((r: Json) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleId))
    .flatMap((p: Json) => p.Properties.PolicyDocument.Statement);
}
const onResource = (statements: Json[], resource: unknown) => statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(resource)).flatMap((s) => s.Action);
const indexArn = (table: string, index: string) => ({ 'Fn::Join': ['', [arnOf(table), `/index/${index}`]] });

describe('invoicing infrastructure', () => {
  it('keeps documents and runs in a protected, CMK-encrypted table with the byCouncil and byRun indexes', () => {
    expect(resources.InvoicesTable.Type).toBe('AWS::DynamoDB::Table');
    expect(resources.InvoicesTable.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        { IndexName: 'byCouncil', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'byRun', KeySchema: [{ AttributeName: 'gsi2pk', KeyType: 'HASH' }, { AttributeName: 'gsi2sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
      ],
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    });
  });

  it('fires the run at 02:00 UTC on the 1st of every month, retrying twice, and alarms when it fails', () => {
    expect(resources.InvoicingRunSchedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 2 1 * ? *)',
      State: 'ENABLED',
      Targets: [{ Arn: arnOf('InvoicingRunFunction'), RetryPolicy: { MaximumRetryAttempts: 2 } }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf('InvoicingRunFunction'),
      Principal: 'events.amazonaws.com',
      SourceArn: arnOf('InvoicingRunSchedule'),
    });
    expect(resources.InvoicingRunFailedAlarm.Properties).toMatchObject({
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'InvoicingRunFunction' } }],
      Threshold: 1,
      AlarmActions: [{ Ref: expect.stringMatching(/^AlarmTopic/) }],
    });
  });

  it('fans out through the invoice-jobs queue: a DLQ after 5 receives with an alarm, visibility six times the builder timeout, partial batch failures', () => {
    expect(resources.InvoiceJobsQueue.Properties).toMatchObject({
      RedrivePolicy: { deadLetterTargetArn: arnOf('InvoiceJobsQueueDlq'), maxReceiveCount: 5 },
      KmsMasterKeyId: keyArn,
      VisibilityTimeout: 6 * resources.InvoiceBuilderFunction.Properties.Timeout,
    });
    expect(resources.InvoiceJobsQueueDlqAlarm.Type).toBe('AWS::CloudWatch::Alarm');
    expect(resources.InvoiceBuilderFunctionFromInvoiceJobsQueue.Properties).toMatchObject({
      FunctionName: { Ref: 'InvoiceBuilderFunction' },
      EventSourceArn: arnOf('InvoiceJobsQueue'),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 5,
    });
  });

  it('runs both functions on Node 24 with the tables, queues and settings in their environment', () => {
    const run = resources.InvoicingRunFunction.Properties;
    const builder = resources.InvoiceBuilderFunction.Properties;
    for (const fn of [run, builder]) {
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.Environment.Variables).toMatchObject({
        [ENV.placementsTable]: { Ref: 'PlacementsTable' },
        [ENV.invoicesTable]: { Ref: 'InvoicesTable' },
        [ENV.invoiceJobsQueueUrl]: { Ref: 'InvoiceJobsQueue' },
        [ENV.invoicePrefix]: 'NT',
        [ENV.paymentTermsDays]: '30',
      });
      expect(fn.Environment.Variables[ENV.invoicingStartMonth]).toBeUndefined();
    }
    expect(builder.Environment.Variables[ENV.ledgerPostingsQueueUrl]).toEqual({ Ref: 'LedgerPostingsQueue' });
  });

  it('grants the run function exactly what starting a run takes', () => {
    const statements = statementsOf('InvoicingRunFunction');
    expect(onResource(statements, arnOf('PlacementsTable'))).toEqual(['dynamodb:Query']);
    expect(onResource(statements, arnOf('InvoicesTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    expect(onResource(statements, arnOf('InvoiceJobsQueue'))).toEqual(['sqs:SendMessage']);
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|dynamodb:\*|dynamodb:Scan|sqs:\*/);
  });

  it('grants the builder exactly what drafting, numbering and posting take', () => {
    const statements = statementsOf('InvoiceBuilderFunction');
    expect(onResource(statements, arnOf('PlacementsTable'))).toEqual(['dynamodb:Query']);
    expect(onResource(statements, indexArn('PlacementsTable', 'byPlacingAuthority'))).toEqual(['dynamodb:Query']);
    // The homes' names for the documents' lines.
    expect(onResource(statements, arnOf('EstateTable'))).toEqual(['dynamodb:BatchGetItem']);
    expect(onResource(statements, arnOf('InvoicesTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    expect(onResource(statements, indexArn('InvoicesTable', 'byCouncil'))).toEqual(['dynamodb:Query']);
    expect(onResource(statements, arnOf('InvoiceJobsQueue'))).toEqual([
      'sqs:SendMessage',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
    ]);
    expect(onResource(statements, arnOf('LedgerPostingsQueue'))).toEqual(['sqs:SendMessage']);
    expect(onResource(statements, keyArn)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|dynamodb:\*|dynamodb:Scan|dynamodb:DeleteItem|sqs:\*/);
  });

  it('lets the API read documents, runs and the ledger, and queue run requests: nothing more on either', () => {
    const statements = statementsOf('ApiFunction');
    expect(onResource(statements, arnOf('InvoicesTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(onResource(statements, [indexArn('InvoicesTable', 'byCouncil'), indexArn('InvoicesTable', 'byRun')])).toEqual(['dynamodb:Query']);
    expect(onResource(statements, arnOf('LedgerTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(onResource(statements, arnOf('InvoiceJobsQueue'))).toEqual(['sqs:SendMessage']);
    const env = resources.ApiFunction.Properties.Environment.Variables;
    expect(env).toMatchObject({ [ENV.invoicesTable]: { Ref: 'InvoicesTable' }, [ENV.invoiceJobsQueueUrl]: { Ref: 'InvoiceJobsQueue' }, [ENV.ledgerTable]: { Ref: 'LedgerTable' } });
  });

  it('outputs the table and the queue', () => {
    expect(template.toJSON().Outputs).toMatchObject({
      InvoicesTableName: { Value: { Ref: 'InvoicesTable' } },
      InvoiceJobsQueueUrl: { Value: { Ref: 'InvoiceJobsQueue' } },
    });
  });

  it('takes the prefix, payment terms and go-live month as settings, and refuses a prefix finance systems could not key on', () => {
    const synth = (invoicing: object) =>
      Template.fromStack(
        new CaredForStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Settings', { invoicing }),
      ).toJSON().Resources.InvoiceBuilderFunction.Properties.Environment.Variables;
    expect(synth({ prefix: 'NTC', paymentTermsDays: 14, startMonth: '2026-04' })).toMatchObject({
      [ENV.invoicePrefix]: 'NTC',
      [ENV.paymentTermsDays]: '14',
      [ENV.invoicingStartMonth]: '2026-04',
    });
    expect(() => synth({ prefix: 'nt-1' })).toThrow(/upper-case/);
  });
});
