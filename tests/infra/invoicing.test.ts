/** Monthly invoicing: the invoices table, the run and its schedule, the jobs queue, the builder, and what the API may do. */
import { App } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { CaredForStack } from '#infra/stack';
import { ENV } from '#lib/config';
import { actionsOn, arnOf, environmentOf, expectPkSkTable, expectQueueConsumer, indexArn, keyArn, outputs, resources, statementsOf, template } from './support';

describe('invoicing infrastructure', () => {
  it('keeps documents and runs in a protected, CMK-encrypted table with the byCouncil, byRun and byDueDate indexes', () => {
    expectPkSkTable('InvoicesTable', 'byCouncil', 'byRun', 'byDueDate');
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
    // A run that fails is alarmed at once, and again once Lambda's retries have failed too (tests/infra/operations.test.ts).
    expect(resources.InvoicingRunFunctionErrorsAlarm.Properties).toMatchObject({
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'InvoicingRunFunction' } }],
      Threshold: 1,
      AlarmActions: [{ Ref: 'AlarmTopic' }],
    });
    expect(resources.InvoicingRunScheduleFailedEventsAlarm.Properties).toMatchObject({ Threshold: 1, AlarmActions: [{ Ref: 'AlarmTopic' }] });
    // One run at a time.
    expect(resources.InvoicingRunFunction.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('fans out through the invoice-jobs queue: a DLQ after 5 receives with an alarm, visibility six times the builder timeout, partial batch failures', () => {
    expect(resources.InvoiceJobsQueue.Properties).toMatchObject({
      RedrivePolicy: { deadLetterTargetArn: arnOf('InvoiceJobsQueueDlq'), maxReceiveCount: 5 },
      KmsMasterKeyId: keyArn,
      VisibilityTimeout: 6 * resources.InvoiceBuilderFunction.Properties.Timeout,
    });
    expect(resources.InvoiceJobsQueueDlqAlarm.Type).toBe('AWS::CloudWatch::Alarm');
    expectQueueConsumer('InvoiceBuilderFunction', 'InvoiceJobsQueue', { BatchSize: 5, ScalingConfig: { MaximumConcurrency: 2 } });
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
    expect(actionsOn('InvoicingRunFunction', arnOf('PlacementsTable'))).toEqual(['dynamodb:Query']);
    expect(actionsOn('InvoicingRunFunction', arnOf('InvoicesTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    expect(actionsOn('InvoicingRunFunction', arnOf('InvoiceJobsQueue'))).toEqual(['sqs:SendMessage']);
    expect(JSON.stringify(statementsOf('InvoicingRunFunction'))).not.toMatch(/"\*"|dynamodb:\*|dynamodb:Scan|sqs:\*/);
  });

  it('grants the builder exactly what drafting, numbering and posting take', () => {
    expect(actionsOn('InvoiceBuilderFunction', arnOf('PlacementsTable'))).toEqual(['dynamodb:Query']);
    expect(actionsOn('InvoiceBuilderFunction', indexArn('PlacementsTable', 'byPlacingAuthority'))).toEqual(['dynamodb:Query']);
    // The homes' names for the documents' lines.
    expect(actionsOn('InvoiceBuilderFunction', arnOf('EstateTable'))).toEqual(['dynamodb:BatchGetItem']);
    expect(actionsOn('InvoiceBuilderFunction', arnOf('InvoicesTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    expect(actionsOn('InvoiceBuilderFunction', indexArn('InvoicesTable', 'byCouncil'))).toEqual(['dynamodb:Query']);
    expect(actionsOn('InvoiceBuilderFunction', arnOf('InvoiceJobsQueue'))).toEqual([
      'sqs:SendMessage',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueAttributes',
    ]);
    expect(actionsOn('InvoiceBuilderFunction', arnOf('LedgerPostingsQueue'))).toEqual(['sqs:SendMessage']);
    expect(actionsOn('InvoiceBuilderFunction', keyArn)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(statementsOf('InvoiceBuilderFunction'))).not.toMatch(/"\*"|dynamodb:\*|dynamodb:Scan|dynamodb:DeleteItem|sqs:\*/);
  });

  it('lets the API read documents, runs and the ledger, and queue run requests: nothing more on either', () => {
    expect(actionsOn('ApiFunction', arnOf('InvoicesTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(actionsOn('ApiFunction', [indexArn('InvoicesTable', 'byCouncil'), indexArn('InvoicesTable', 'byRun')])).toEqual(['dynamodb:Query']);
    expect(actionsOn('ApiFunction', arnOf('LedgerTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(actionsOn('ApiFunction', arnOf('InvoiceJobsQueue'))).toEqual(['sqs:SendMessage']);
    const env = environmentOf('ApiFunction');
    expect(env).toMatchObject({ [ENV.invoicesTable]: { Ref: 'InvoicesTable' }, [ENV.invoiceJobsQueueUrl]: { Ref: 'InvoiceJobsQueue' }, [ENV.ledgerTable]: { Ref: 'LedgerTable' } });
  });

  it('outputs the table and the queue', () => {
    expect(outputs).toMatchObject({
      InvoicesTableName: { Value: { Ref: 'InvoicesTable' } },
      InvoiceJobsQueueUrl: { Value: { Ref: 'InvoiceJobsQueue' } },
    });
  });

  it('takes the prefix, payment terms and go-live month as settings, and refuses a prefix finance systems could not key on', () => {
    // The builder's environment as CloudFormation would get it, without synthesizing the whole app.
    const environmentWith = (invoicing: object) => {
      const stack = new CaredForStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Settings', { invoicing });
      return stack.resolve((stack.invoicing.builderFunction.function.node.defaultChild as CfnFunction).environment).variables;
    };
    expect(environmentWith({ prefix: 'NTC', paymentTermsDays: 14, startMonth: '2026-04' })).toMatchObject({
      [ENV.invoicePrefix]: 'NTC',
      [ENV.paymentTermsDays]: '14',
      [ENV.invoicingStartMonth]: '2026-04',
    });
    expect(() => environmentWith({ prefix: 'nt-1' })).toThrow(/upper-case/);
  });
});
