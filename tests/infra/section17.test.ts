import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeTemplate } from '#infra/synth';
import { ENV } from '#lib/config';

type Json = Record<string, any>;
let resources: Json;
let outputs: Json;

beforeAll(() => {
  const template = Template.fromJSON(synthesizeTemplate({ bundle: false })).toJSON();
  resources = template.Resources;
  outputs = template.Outputs;
});

const apiStatements = () => {
  const roleId = resources.ApiFunction.Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((r: Json) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleId))
    .flatMap((p: Json) => p.Properties.PolicyDocument.Statement);
};
const on = (statements: Json[], resource: unknown) => statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(resource));
const index = (table: string, name: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, `/index/${name}`]] });

describe('Section 17', () => {
  it('keeps awards in a protected, CMK-encrypted table with the approvers\' byStatus index', () => {
    const table = resources.Section17Table.Properties;
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes.map((g: Json) => g.IndexName)).toEqual(['byStatus']);
    expect(table).toMatchObject({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, SSESpecification: { SSEType: 'KMS' } });
    expect(outputs.Section17TableName).toEqual({ Value: { Ref: 'Section17Table' } });
  });

  it('lets the api function write awards, read the ledger, and send journals to the ledger-postings queue, nothing more', () => {
    const env = resources.ApiFunction.Properties.Environment.Variables;
    expect(env).toMatchObject({
      [ENV.section17Table]: { Ref: 'Section17Table' },
      [ENV.ledgerTable]: { Ref: 'LedgerTable' },
      [ENV.ledgerPostingsQueueUrl]: { Ref: 'LedgerPostingsQueue' },
    });
    const statements = apiStatements();
    expect(on(statements, { 'Fn::GetAtt': ['Section17Table', 'Arn'] }).map((s) => s.Action)).toEqual([
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    ]);
    expect(on(statements, index('Section17Table', 'byStatus')).map((s) => s.Action)).toEqual(['dynamodb:Query']);
    expect(on(statements, { 'Fn::GetAtt': ['LedgerTable', 'Arn'] }).map((s) => s.Action)).toEqual([['dynamodb:GetItem', 'dynamodb:Query']]);
    expect(on(statements, { 'Fn::GetAtt': ['LedgerPostingsQueue', 'Arn'] }).map((s) => s.Action)).toEqual(['sqs:SendMessage']);
  });
});
