/** Bed matching: the matcher function, the matching queue it consumes, and its grants. */
import { describe, expect, it } from 'vitest';
import { ENV } from '#lib/config';
import { allow, arnOf, environmentOf, expectQueueConsumer, functionBasics, grantsOf, indexArn, keyArn, logGroupOf, resource } from './support';

describe('matcher function', () => {
  it('runs with 1 GB and 20 s (a sixth of the queue’s visibility timeout), told its three tables', () => {
    const { Properties } = resource('MatcherFunction');
    expect(Properties).toMatchObject({ MemorySize: 1024, Timeout: 20 });
    expect(environmentOf('MatcherFunction')).toEqual({
      ...functionBasics('matcher'),
      [ENV.referralsTable]: { Ref: 'ReferralsTable' },
      [ENV.estateTable]: { Ref: 'EstateTable' },
      [ENV.placementsTable]: { Ref: 'PlacementsTable' },
    });
    expect(resource('MatchingQueue').Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Properties.Timeout);
  });

  it('consumes the matching queue in batches of 10, four at most at once, reporting partial batch failures', () => {
    expectQueueConsumer('MatcherFunction', 'MatchingQueue', { BatchSize: 10, ScalingConfig: { MaximumConcurrency: 4 } });
  });

  it('is granted exactly what matching and releasing a withdrawn referral’s offers use, and no Scan', () => {
    // Act
    const grants = grantsOf('MatcherFunction');

    // Assess
    const readWrite = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'];
    expect(grants).toHaveLength(8);
    expect(grants).toEqual(
      expect.arrayContaining([
        allow(['logs:CreateLogStream', 'logs:PutLogEvents'], arnOf(logGroupOf('MatcherFunction'))),
        // the referral (current and history) and its PROPOSAL#<version>; a request's reads as one BatchGetItem
        allow(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem'], arnOf('ReferralsTable')),
        // every home and calendar through byKind; then the change feed (Query) and the homes it names (BatchGetItem);
        // a calendar read and rewritten when an offer is released
        allow(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem'], arnOf('EstateTable')),
        allow(['dynamodb:Query'], indexArn('EstateTable', 'byKind')),
        // a referral's offers through byReferral; each read and rewritten when released
        allow(readWrite, arnOf('PlacementsTable')),
        allow(['dynamodb:Query'], indexArn('PlacementsTable', 'byReferral')),
        allow(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'], arnOf('MatchingQueue')),
        allow(['kms:Decrypt', 'kms:GenerateDataKey'], keyArn),
      ]),
    );
    expect(JSON.stringify(grants)).not.toContain('dynamodb:Scan');
  });
});
