import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeTemplate } from '#infra/synth';
import { ENV } from '#lib/config';

type Json = Record<string, any>;
let template: Template;
let resources: Json;

beforeAll(() => {
  template = Template.fromJSON(synthesizeTemplate({ bundle: false }));
  resources = template.toJSON().Resources;
});

const keyArn = { 'Fn::GetAtt': ['EncryptionKey', 'Arn'] };

describe('ledger', () => {
  it('keeps journals and balances in a protected, CMK-encrypted table with the byPeriod index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byPeriod',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    });
    expect(resources.LedgerTable.Type).toBe('AWS::DynamoDB::Table');
  });

  it('posts from the ledger-postings queue, reporting partial batch failures, with a DLQ after 5 receives', () => {
    expect(resources.LedgerPostingsQueue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['LedgerPostingsQueueDlq', 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(resources.LedgerPosterFunctionFromLedgerPostingsQueue.Properties).toMatchObject({
      FunctionName: { Ref: 'LedgerPosterFunction' },
      EventSourceArn: { 'Fn::GetAtt': ['LedgerPostingsQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    expect(resources.LedgerPostingsQueueDlqAlarm.Type).toBe('AWS::CloudWatch::Alarm');
  });

  it('grants the poster exactly what posting needs and tells it the table', () => {
    const fn = resources.LedgerPosterFunction.Properties;
    expect(fn.Environment.Variables[ENV.ledgerTable]).toEqual({ Ref: 'LedgerTable' });
    const roleId = fn.Role['Fn::GetAtt'][0];
    const statements = Object.values(resources)
      .filter((r: Json) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleId))
      .flatMap((p: Json) => p.Properties.PolicyDocument.Statement);
    const onTable = statements.find((s: Json) => JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': ['LedgerTable', 'Arn'] }));
    expect(onTable.Action).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|dynamodb:\*|dynamodb:Scan/);
  });

  it('outputs the table and the queue', () => {
    expect(template.toJSON().Outputs).toMatchObject({
      LedgerTableName: { Value: { Ref: 'LedgerTable' } },
      LedgerPostingsQueueUrl: { Value: { Ref: 'LedgerPostingsQueue' } },
    });
  });
});
