import { Duration } from 'aws-cdk-lib';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { CaredForFunction } from '#infra/constructs/cared-for-function';
import { DataTable } from '#infra/constructs/data-table';
import type { RouteThrottle } from '#infra/constructs/public-api';
import type { QueueWithDeadLetter } from '#infra/constructs/queue-with-dead-letter';
import { WebhookSecret } from '#infra/constructs/webhook-secret';
import { ENV } from '#lib/config';
import type { Platform } from './platform';

/** The path the regional commissioning inbox posts signed referral events to. */
export const REFERRALS_WEBHOOK_PATH = '/webhooks/referrals';

/** The regional inbox sends a referral at a time, and retries after a failure: ten a second, bursts of twenty. */
export const WEBHOOK_THROTTLE: RouteThrottle = { rateLimit: 10, burstLimit: 20 };

export interface IntakeAreaProps {
  readonly platform: Platform;
}

/**
 * Referral intake: the signed webhook the regional commissioning inbox calls, the intake
 * function that verifies it and records the referral (current item and history) in the
 * referrals table, once per delivery (idempotency table), and the matching queue it hands
 * each referral version to.
 */
export class IntakeArea {
  public readonly referralsTable: DataTable;
  public readonly idempotencyTable: DataTable;
  public readonly matchingQueue: QueueWithDeadLetter;
  public readonly webhookSecret: WebhookSecret;
  public readonly function: CaredForFunction;

  constructor(scope: Construct, { platform }: IntakeAreaProps) {
    this.referralsTable = platform.table('ReferralsTable', { indexes: ['byStatus'] });
    // Attribute names are Powertools idempotency's defaults.
    this.idempotencyTable = new DataTable(scope, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      encryptionKey: platform.key,
    });
    // Six times the matcher's 20 s timeout, as AWS advises for Lambda event sources.
    this.matchingQueue = platform.workQueue('MatchingQueue', Duration.minutes(2));
    this.webhookSecret = new WebhookSecret(scope, 'WebhookSecret', { encryptionKey: platform.key });

    this.function = platform.function('IntakeFunction', 'intake', {
      description: 'Verifies signed referral webhooks, records the referral and queues it for matching',
      timeout: Duration.seconds(10),
      // Its own share, so a flood of /api calls cannot leave referrals waiting: ten at once is many times
      // the inbox's rate (its route is held to 10 a second, each delivery well under a second).
      reservedConcurrentExecutions: 10,
    })
      .useTable(this.referralsTable, ENV.referralsTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'])
      .useTable(this.idempotencyTable, ENV.idempotencyTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'])
      .sendTo(this.matchingQueue, ENV.matchingQueueUrl)
      .readSecret(this.webhookSecret.secret, ENV.webhookSecretArn);

    platform.api.addRoute('POST', REFERRALS_WEBHOOK_PATH, this.function.function, {
      authenticatedInFunction:
        'Deliveries are authenticated by their Standard Webhooks HMAC-SHA256 signature (webhook-id, ' +
        'webhook-timestamp, webhook-signature; 5-minute tolerance), verified by the intake function with a ' +
        'constant-time comparison against the secret in Secrets Manager; unsigned or badly signed requests get 401.',
      // Apart from /api's limits: a flood there cannot use up the inbox's, nor a flood here /api's.
      throttle: WEBHOOK_THROTTLE,
    });

    platform.outputs({
      WebhookUrl: platform.api.urlForPath(REFERRALS_WEBHOOK_PATH),
      ReferralsTableName: this.referralsTable.table.tableName,
      IdempotencyTableName: this.idempotencyTable.table.tableName,
      MatchingQueueUrl: this.matchingQueue.queue.queueUrl,
      MatchingDlqUrl: this.matchingQueue.deadLetterQueue.queueUrl,
      WebhookSecretArn: this.webhookSecret.secret.secretArn,
    });
  }
}
