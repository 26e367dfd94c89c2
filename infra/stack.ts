import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { ENV } from '../lib/config';
import { AlarmTopic } from './constructs/alarm-topic';
import { CaredForFunction } from './constructs/cared-for-function';
import { DataTable } from './constructs/data-table';
import { EncryptionKey } from './constructs/encryption-key';
import { PublicApi } from './constructs/public-api';
import { QueueWithDeadLetter } from './constructs/queue-with-dead-letter';
import { WebhookSecret } from './constructs/webhook-secret';

export interface CaredForStackProps extends StackProps {
  /**
   * ARN of a regional WAFv2 web ACL to associate with the API stage.
   * @default - none (AwsSolutions-APIG3 acknowledged)
   */
  readonly webAclArn?: string;
  /**
   * E-mail address subscribed to the operations alarm topic.
   * @default - no e-mail subscription
   */
  readonly alarmEmail?: string;
}

/** The path the regional commissioning inbox posts signed referral events to. */
export const REFERRALS_WEBHOOK_PATH = '/webhooks/referrals';

/** Absolute path of a function's handler: `functions/<name>/handler.ts`. */
function handlerEntry(name: string): string {
  return fileURLToPath(new URL(`../functions/${name}/handler.ts`, import.meta.url));
}

/**
 * Cared For: everything in one stack. Construct ids double as the main
 * resources' logical ids (see useReadableLogicalId), which the local runner
 * and the outputs rely on.
 */
export class CaredForStack extends Stack {
  public readonly encryptionKey: EncryptionKey;
  public readonly alarmTopic: AlarmTopic;
  public readonly referralsTable: DataTable;
  public readonly idempotencyTable: DataTable;
  public readonly estateTable: DataTable;
  public readonly matchingQueue: QueueWithDeadLetter;
  public readonly webhookSecret: WebhookSecret;
  public readonly intakeFunction: CaredForFunction;
  public readonly api: PublicApi;
  public readonly ledgerTable: DataTable;
  public readonly ledgerPostingsQueue: QueueWithDeadLetter;
  public readonly ledgerPosterFunction: CaredForFunction;

  constructor(scope: Construct, id: string, props: CaredForStackProps = {}) {
    super(scope, id, props);
    this.encryptionKey = new EncryptionKey(this, 'EncryptionKey');
    const key = this.encryptionKey.key;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { encryptionKey: key, email: props.alarmEmail });

    this.referralsTable = new DataTable(this, 'ReferralsTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      encryptionKey: key,
      globalSecondaryIndexes: [
        {
          indexName: 'byStatus',
          partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
        },
      ],
    });
    // Attribute names are Powertools idempotency's defaults.
    this.idempotencyTable = new DataTable(this, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      encryptionKey: key,
    });

    // Homes (pk HOME#<id>, sk PROFILE) and their calendars (sk CALENDAR); the
    // byKind index lists every profile or every calendar in one query.
    this.estateTable = new DataTable(this, 'EstateTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      encryptionKey: key,
      globalSecondaryIndexes: [
        {
          indexName: 'byKind',
          partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
        },
      ],
    });

    this.matchingQueue = new QueueWithDeadLetter(this, 'MatchingQueue', {
      encryptionKey: key,
      alarmTopic: this.alarmTopic.topic,
      maxReceiveCount: 5,
      // Six times a consumer timeout of up to 20 s, as AWS advises for Lambda event sources.
      visibilityTimeout: Duration.minutes(2),
    });

    this.webhookSecret = new WebhookSecret(this, 'WebhookSecret', { encryptionKey: key });

    this.intakeFunction = new CaredForFunction(this, 'IntakeFunction', {
      entry: handlerEntry('intake'),
      serviceName: 'intake',
      description: 'Verifies signed referral webhooks, records the referral and queues it for matching',
      timeout: Duration.seconds(10),
    });
    this.intakeFunction
      .useTable(this.referralsTable, ENV.referralsTable, [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
      ])
      .useTable(this.idempotencyTable, ENV.idempotencyTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'])
      .sendTo(this.matchingQueue, ENV.matchingQueueUrl)
      .readSecret(this.webhookSecret.secret, ENV.webhookSecretArn);

    this.api = new PublicApi(this, 'Api', {
      description: 'Cared For: referral webhooks (and later the manager API)',
      webAclArn: props.webAclArn,
    });
    this.api.addRoute('POST', REFERRALS_WEBHOOK_PATH, this.intakeFunction.function, {
      authenticatedInFunction:
        'Deliveries are authenticated by their Standard Webhooks HMAC-SHA256 signature (webhook-id, ' +
        'webhook-timestamp, webhook-signature; 5-minute tolerance), verified by the intake function with a ' +
        'constant-time comparison against the secret in Secrets Manager; unsigned or badly signed requests get 401.',
    });

    // --- Ledger: journals and balances, posted through a queue ---------------
    this.ledgerTable = new DataTable(this, 'LedgerTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      encryptionKey: key,
      globalSecondaryIndexes: [
        {
          indexName: 'byPeriod',
          partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
        },
      ],
    });
    this.ledgerPostingsQueue = new QueueWithDeadLetter(this, 'LedgerPostingsQueue', {
      encryptionKey: key,
      alarmTopic: this.alarmTopic.topic,
      maxReceiveCount: 5,
      visibilityTimeout: Duration.minutes(2),
    });
    this.ledgerPosterFunction = new CaredForFunction(this, 'LedgerPosterFunction', {
      entry: handlerEntry('ledger-poster'),
      serviceName: 'ledger-poster',
      description: 'Posts balanced journals to the ledger and its balances, once per idempotency key',
      timeout: Duration.seconds(20),
    })
      .useTable(this.ledgerTable, ENV.ledgerTable, [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:ConditionCheckItem',
      ])
      .consume(this.ledgerPostingsQueue, { batchSize: 10 });

    this.addOutputs();
  }

  private addOutputs(): void {
    const outputs: Record<string, string> = {
      WebhookUrl: this.api.urlForPath(REFERRALS_WEBHOOK_PATH),
      ReferralsTableName: this.referralsTable.table.tableName,
      IdempotencyTableName: this.idempotencyTable.table.tableName,
      EstateTableName: this.estateTable.table.tableName,
      MatchingQueueUrl: this.matchingQueue.queue.queueUrl,
      MatchingDlqUrl: this.matchingQueue.deadLetterQueue.queueUrl,
      WebhookSecretArn: this.webhookSecret.secret.secretArn,
      AlarmTopicArn: this.alarmTopic.topic.topicArn,
      LedgerTableName: this.ledgerTable.table.tableName,
      LedgerPostingsQueueUrl: this.ledgerPostingsQueue.queue.queueUrl,
    };
    for (const [name, value] of Object.entries(outputs)) {
      new CfnOutput(this, name, { value });
    }
  }
}
