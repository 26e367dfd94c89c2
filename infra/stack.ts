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
  /**
   * The council's OIDC identity provider that signs managers' bearer tokens
   * (e.g. Microsoft Entra ID: issuer `https://login.microsoftonline.com/<tenant>/v2.0`,
   * JWKS `https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`).
   * @default - a placeholder tenant that matches no real token: every manager API call is refused until it is set
   */
  readonly managerIdentityProvider?: ManagerIdentityProvider;
}

export interface ManagerIdentityProvider {
  /** The `iss` claim every token must carry. */
  readonly issuer: string;
  /** The `aud` claim every token must carry (this API's application id URI or client id). */
  readonly audience: string;
  /** Where the issuer publishes its signing keys. */
  readonly jwksUrl: string;
}

/** Fails closed: no real token carries this issuer, so nothing is authorised until the council's IdP is configured. */
export const PLACEHOLDER_IDENTITY_PROVIDER: ManagerIdentityProvider = {
  issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
  audience: 'api://cared-for',
  jwksUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/discovery/v2.0/keys',
};

/** The manager API's routes: every method under this prefix goes to the api function, which routes and authenticates. */
export const MANAGER_API_PATH = '/api/{proxy+}';

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
  public readonly section17Table: DataTable;
  // --- manager API ---
  public readonly placementsTable: DataTable;
  public readonly apiFunction: CaredForFunction;
  // --- matcher ---
  public readonly matcherFunction: CaredForFunction;

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

    // --- Manager API: placements table, api function, /api routes ------------
    // Offers and placements with their decisions; indexes for a referral's
    // offers and placements, a council's placements (invoicing) and a bed's
    // placements (void nights over any period). See lib/placements/placement-keys.ts.
    this.placementsTable = new DataTable(this, 'PlacementsTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      encryptionKey: key,
      globalSecondaryIndexes: (['byReferral', 'byPlacingAuthority', 'byBed'] as const).map((indexName, i) => ({
        indexName,
        partitionKey: { name: `gsi${i + 1}pk`, type: AttributeType.STRING },
        sortKey: { name: `gsi${i + 1}sk`, type: AttributeType.STRING },
      })),
    });
    const identityProvider = props.managerIdentityProvider ?? PLACEHOLDER_IDENTITY_PROVIDER;
    this.apiFunction = new CaredForFunction(this, 'ApiFunction', {
      entry: handlerEntry('api'),
      serviceName: 'api',
      description: 'Manager API: estate, referrals, offers, placements and occupancy, for OIDC-authenticated staff',
      timeout: Duration.seconds(10),
    })
      // Decisions: calendars and homes written under version conditions in one transaction; bed ids claimed and released.
      .useTable(
        this.estateTable,
        ENV.estateTable,
        [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ],
        { indexes: ['byKind'] },
      )
      .useTable(this.referralsTable, ENV.referralsTable, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], { indexes: ['byStatus'] })
      .useTable(this.placementsTable, ENV.placementsTable, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], {
        indexes: ['byReferral', 'byBed'],
      });
    this.apiFunction.function.addEnvironment(ENV.oidcIssuer, identityProvider.issuer);
    this.apiFunction.function.addEnvironment(ENV.oidcAudience, identityProvider.audience);
    this.apiFunction.function.addEnvironment(ENV.oidcJwksUrl, identityProvider.jwksUrl);
    for (const method of ['GET', 'PUT', 'POST'] as const) {
      this.api.addRoute(method, MANAGER_API_PATH, this.apiFunction.function, {
        authenticatedInFunction:
          "Every request must carry an OIDC bearer JWT from the council's identity provider (Microsoft Entra ID), " +
          'verified by the api function with jose against the provider\'s JWKS: RS256 only, issuer, audience and expiry ' +
          'checked; each route then requires one of its roles from the token\'s roles claim (401 without a valid token, 403 without the role).',
      });
    }
    new CfnOutput(this, 'ManagerApiUrl', { value: this.api.urlForPath('/api') });
    new CfnOutput(this, 'PlacementsTableName', { value: this.placementsTable.table.tableName });

    // --- Section 17: applications and awards; approved spend posts to the ledger ---
    // Awards (pk AWARD#<id>) with the approvers' byStatus index, and each child's
    // yearly total per category kept in the award's own transaction.
    this.section17Table = new DataTable(this, 'Section17Table', {
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
    this.apiFunction
      .useTable(this.section17Table, ENV.section17Table, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], {
        indexes: ['byStatus'],
      })
      // Reports and the ledger routes read journals by period and balances by account.
      .useTable(this.ledgerTable, ENV.ledgerTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byPeriod'] })
      .sendTo(this.ledgerPostingsQueue, ENV.ledgerPostingsQueueUrl);
    new CfnOutput(this, 'Section17TableName', { value: this.section17Table.table.tableName });

    // --- Matcher: ranks the estate for each referral version, stores the proposal ---
    // Reads the referral (current item and history) and writes PROPOSAL#<version>
    // beside it; reads every home and calendar through the estate's byKind index.
    // A withdrawal releases the referral's offers through the placements context
    // (lib/placements/offer-releaser.ts): a referral's offers through byReferral,
    // each offer and its home's calendar read, both rewritten in one transaction.
    this.matcherFunction = new CaredForFunction(this, 'MatcherFunction', {
      entry: handlerEntry('matcher'),
      serviceName: 'matcher',
      description: 'Matches each referral version against the estate and stores a ranked proposal; releases offers on withdrawal',
      // Within the matching queue's 2-minute visibility timeout (six times this, as AWS advises).
      timeout: Duration.seconds(20),
      // Ranking a large estate is CPU-bound; Lambda's CPU grows with memory (tests/bench/matching.bench.ts).
      memorySize: 1024,
    })
      .useTable(this.referralsTable, ENV.referralsTable, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'])
      .useTable(this.estateTable, ENV.estateTable, ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'], { indexes: ['byKind'] })
      .useTable(this.placementsTable, ENV.placementsTable, ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'], {
        indexes: ['byReferral'],
      })
      .consume(this.matchingQueue, { batchSize: 10 });

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
