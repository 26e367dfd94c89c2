/** The ledger: its table, the postings queue and the poster function. */
import { describe, expect, it } from 'vitest';
import { ENV } from '#lib/config';
import { actionsOn, arnOf, environmentOf, expectPkSkTable, expectQueueConsumer, outputs, resource, statementsOf } from './support';

describe('ledger', () => {
  it('keeps journals and balances in a protected, CMK-encrypted table with the byPeriod index', () => {
    expectPkSkTable('LedgerTable', 'byPeriod');
  });

  it('posts from the ledger-postings queue, reporting partial batch failures, with a DLQ after 5 receives', () => {
    expect(resource('LedgerPostingsQueue').Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf('LedgerPostingsQueueDlq'), maxReceiveCount: 5 });
    expectQueueConsumer('LedgerPosterFunction', 'LedgerPostingsQueue', { BatchSize: 10, ScalingConfig: { MaximumConcurrency: 2 } });
    expect(resource('LedgerPostingsQueueDlqAlarm').Type).toBe('AWS::CloudWatch::Alarm');
  });

  it('grants the poster exactly what posting needs and tells it the table', () => {
    expect(environmentOf('LedgerPosterFunction')[ENV.ledgerTable]).toEqual({ Ref: 'LedgerTable' });
    expect(actionsOn('LedgerPosterFunction', arnOf('LedgerTable'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    expect(JSON.stringify(statementsOf('LedgerPosterFunction'))).not.toMatch(/"\*"|dynamodb:\*|dynamodb:Scan/);
  });

  it('outputs the table and the queue', () => {
    expect(outputs).toMatchObject({
      LedgerTableName: { Value: { Ref: 'LedgerTable' } },
      LedgerPostingsQueueUrl: { Value: { Ref: 'LedgerPostingsQueue' } },
    });
  });
});
