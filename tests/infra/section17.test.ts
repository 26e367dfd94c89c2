/** Section 17: the awards table and what the manager API's Section 17 routes may do. */
import { describe, expect, it } from 'vitest';
import { ENV } from '#lib/config';
import { actionsOn, arnOf, environmentOf, expectPkSkTable, indexArn, outputs } from './support';

describe('Section 17', () => {
  it("keeps awards in a protected, CMK-encrypted table with the approvers' byStatus index", () => {
    expectPkSkTable('Section17Table', 'byStatus');
    expect(outputs.Section17TableName).toEqual({ Value: { Ref: 'Section17Table' } });
  });

  it('lets the api function write awards, read the ledger, and send journals to the ledger-postings queue, nothing more', () => {
    expect(environmentOf('ApiFunction')).toMatchObject({
      [ENV.section17Table]: { Ref: 'Section17Table' },
      [ENV.ledgerTable]: { Ref: 'LedgerTable' },
      [ENV.ledgerPostingsQueueUrl]: { Ref: 'LedgerPostingsQueue' },
    });
    expect(actionsOn('ApiFunction', arnOf('Section17Table'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']);
    expect(actionsOn('ApiFunction', indexArn('Section17Table', 'byStatus'))).toEqual(['dynamodb:Query']);
    expect(actionsOn('ApiFunction', arnOf('LedgerTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(actionsOn('ApiFunction', indexArn('LedgerTable', 'byPeriod'))).toEqual(['dynamodb:Query']);
    expect(actionsOn('ApiFunction', arnOf('LedgerPostingsQueue'))).toEqual(['sqs:SendMessage']);
  });
});
