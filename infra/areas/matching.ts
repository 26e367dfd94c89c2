import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CaredForFunction } from '#infra/constructs/cared-for-function';
import { ENV } from '#lib/config';
import type { IntakeArea } from './intake';
import type { ManagerApiArea } from './manager-api';
import type { Platform } from './platform';

export interface MatchingAreaProps {
  readonly platform: Platform;
  readonly intake: IntakeArea;
  readonly managerApi: ManagerApiArea;
}

/**
 * Bed matching: the matcher ranks the estate for each referral version from the matching queue and
 * stores the proposal (PROPOSAL#<version>) beside the referral. It keeps the estate between
 * invocations (lib/estate/estate-cache.ts): cold, every home and calendar through the estate's byKind
 * index; warm, whether the next estate change exists (a key read in the same BatchGetItem as the referral
 * and its proposal), then only when it does the change feed (a Query) and the homes it names
 * (BatchGetItem). A withdrawal releases the referral's offers through the placements context
 * (lib/placements/dynamo-offer-releaser.ts): a referral's offers through byReferral, each offer and its
 * home's calendar read, both rewritten in one transaction.
 */
export class MatchingArea {
  public readonly function: CaredForFunction;

  constructor(scope: Construct, { platform, intake, managerApi }: MatchingAreaProps) {
    this.function = platform.function('MatcherFunction', 'matcher', {
      description: 'Matches each referral version against the estate and stores a ranked proposal; releases offers on withdrawal',
      // Within the matching queue's 2-minute visibility timeout (six times this, as AWS advises).
      timeout: Duration.seconds(20),
      // Ranking a large estate is CPU-bound; Lambda's CPU grows with memory (tests/bench/matching.bench.ts).
      memorySize: 1024,
      // Referral versions arrive a few a day; four rankings at once clear a backlog (after an outage)
      // without four more 1 GB environments competing for the estate's reads.
      reservedConcurrentExecutions: 4,
    })
      .useTable(intake.referralsTable, ENV.referralsTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem'])
      .useTable(managerApi.estateTable, ENV.estateTable, ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'], { indexes: ['byKind'] })
      .useTable(managerApi.placementsTable, ENV.placementsTable, ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'], {
        indexes: ['byReferral'],
      })
      .consume(intake.matchingQueue, { batchSize: 10 });
  }
}
