import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CaredForFunction } from '#infra/constructs/cared-for-function';
import type { DataTable } from '#infra/constructs/data-table';
import type { QueueWithDeadLetter } from '#infra/constructs/queue-with-dead-letter';
import { ENV } from '#lib/config';
import type { Platform } from './platform';

export interface LedgerAreaProps {
  readonly platform: Platform;
}

/**
 * The double-entry ledger: journals and balances (byPeriod index), posted once per idempotency
 * key by the ledger poster from the ledger-postings queue, which invoicing and Section 17 send to.
 */
export class LedgerArea {
  public readonly table: DataTable;
  public readonly postingsQueue: QueueWithDeadLetter;
  public readonly posterFunction: CaredForFunction;

  constructor(scope: Construct, { platform }: LedgerAreaProps) {
    this.table = platform.table('LedgerTable', { indexes: ['byPeriod'] });
    // Six times the poster's timeout, as AWS advises for Lambda event sources.
    this.postingsQueue = platform.workQueue('LedgerPostingsQueue', Duration.minutes(2));
    this.posterFunction = platform.function('LedgerPosterFunction', 'ledger-poster', {
      description: 'Posts balanced journals to the ledger and its balances, once per idempotency key',
      timeout: Duration.seconds(20),
      // Two posters at once: journals touching the same balances would only contend (conditional
      // writes retried); a month's invoices and the day's awards post in seconds at this rate.
      reservedConcurrentExecutions: 2,
    })
      .useTable(this.table, ENV.ledgerTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'])
      .consume(this.postingsQueue, { batchSize: 10 });

    platform.outputs({ LedgerTableName: this.table.table.tableName, LedgerPostingsQueueUrl: this.postingsQueue.queue.queueUrl });
  }
}
