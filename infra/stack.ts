import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { ENV } from '#lib/config';
import { InvoicePrefix, INVOICING_SETTINGS } from '#lib/invoicing/settings';
import { AlarmTopic } from './constructs/alarm-topic';
import { CaredForFunction } from './constructs/cared-for-function';
import { DataTable } from './constructs/data-table';
import { EncryptionKey } from './constructs/encryption-key';
import { ManagerAlertTopic } from './constructs/manager-alert-topic';
import { PublicApi } from './constructs/public-api';
import { QueueWithDeadLetter } from './constructs/queue-with-dead-letter';
import { useReadableLogicalId } from './constructs/readable-logical-id';
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
   * E-mail address (the managers' shared inbox) subscribed to the void-bed alerts topic.
   * @default - no e-mail subscription (alerts still reach the VoidBedAlertsQueue subscription)
   */
  readonly voidAlertEmail?: string;
  /**
   * The council's OIDC identity provider that signs managers' bearer tokens
   * (e.g. Microsoft Entra ID: issuer `https://login.microsoftonline.com/<tenant>/v2.0`,
   * JWKS `https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`).
   * @default - a placeholder tenant that matches no real token: every manager API call is refused until it is set
   */
  readonly managerIdentityProvider?: ManagerIdentityProvider;
  /**
   * Invoicing settings passed to the invoicing functions.
   * @default - prefix and payment terms from lib/reference-data/invoicing.json (NT, 30 days); every month invoiced
   */
  readonly invoicing?: InvoicingProps;
}

export interface InvoicingProps {
  /** Document-number prefix (`<prefix>-<FY>-<000001>`). @default 'NT' (lib/reference-data/invoicing.json) */
  readonly prefix?: string;
  /** Days from issue to due date. @default 30 (lib/reference-data/invoicing.json) */
  readonly paymentTermsDays?: number;
  /**
   * The first month Cared For invoices (`YYYY-MM`, go-live): earlier months are neither invoiced late nor corrected.
   * @default - none
   */
  readonly startMonth?: string;
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
  // --- invoicing ---
  public readonly invoicesTable: DataTable;
  public readonly invoiceJobsQueue: QueueWithDeadLetter;
  public readonly invoicingRunFunction: CaredForFunction;
  public readonly invoicingRunSchedule: events.Rule;
  public readonly invoiceBuilderFunction: CaredForFunction;
  // --- manager API ---
  public readonly placementsTable: DataTable;
  public readonly apiFunction: CaredForFunction;
  // --- matcher ---
  public readonly matcherFunction: CaredForFunction;
  // --- void-bed alerts ---
  public readonly voidBedAlertsTable: DataTable;
  public readonly voidBedChecksQueue: QueueWithDeadLetter;
  public readonly voidBedAlertsTopic: ManagerAlertTopic;
  public readonly voidBedMonitorFunction: CaredForFunction;
  public readonly voidBedMonitorSchedule: events.Rule;

  constructor(scope: Construct, id: string, props: CaredForStackProps = {}) {
    super(scope, id, props);
    this.encryptionKey = new EncryptionKey(this, 'EncryptionKey');
    const key = this.encryptionKey.key;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { encryptionKey: key, email: props.alarmEmail });

    this.referralsTable = DataTable.keyedByPkSk(this, 'ReferralsTable', { encryptionKey: key, indexes: ['byStatus'] });
    // Attribute names are Powertools idempotency's defaults.
    this.idempotencyTable = new DataTable(this, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
      encryptionKey: key,
    });

    // Homes (pk HOME#<id>, sk PROFILE) and their calendars (sk CALENDAR); the
    // byKind index lists every profile or every calendar in one query.
    this.estateTable = DataTable.keyedByPkSk(this, 'EstateTable', { encryptionKey: key, indexes: ['byKind'] });

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
    this.ledgerTable = DataTable.keyedByPkSk(this, 'LedgerTable', { encryptionKey: key, indexes: ['byPeriod'] });
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
    this.placementsTable = DataTable.keyedByPkSk(this, 'PlacementsTable', { encryptionKey: key, indexes: ['byReferral', 'byPlacingAuthority', 'byBed'] });
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
    this.section17Table = DataTable.keyedByPkSk(this, 'Section17Table', { encryptionKey: key, indexes: ['byStatus'] });
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

    // --- Void-bed alerts: a daily check and a check on every placement end or move ---
    // The monitor reads homes (estate byKind), a bed's home (bed directory) and
    // calendar by key, a bed's placements (placements byBed; the placement whose
    // change asked for the check by key) and the open referrals (referrals
    // byStatus) to name the best fits. It claims each alert
    // with a conditional write in its own table (pk BED#<bedId>, sk
    // ALERT#<spellStart>#<threshold>; lib/void-beds/alert-keys.ts) before
    // publishing it, so however often it runs a bed gets one alert per threshold
    // per void spell. Its own table, not the estate's: the monitor writes only
    // there, and so may write nowhere else.
    this.voidBedAlertsTable = DataTable.keyedByPkSk(this, 'VoidBedAlertsTable', { encryptionKey: key, timeToLiveAttribute: 'expiresAt' });
    const voidBedMonitorTimeout = Duration.minutes(1);
    this.voidBedChecksQueue = new QueueWithDeadLetter(this, 'VoidBedChecksQueue', {
      encryptionKey: key,
      alarmTopic: this.alarmTopic.topic,
      maxReceiveCount: 5,
      // Six times the monitor's timeout, as AWS advises for Lambda event sources.
      visibilityTimeout: Duration.minutes(6),
    });
    this.voidBedAlertsTopic = new ManagerAlertTopic(this, 'VoidBedAlertsTopic', {
      encryptionKey: key,
      inboxQueueId: 'VoidBedAlertsQueue',
      email: props.voidAlertEmail,
      displayName: 'Cared For void beds',
    });
    this.voidBedMonitorFunction = new CaredForFunction(this, 'VoidBedMonitorFunction', {
      entry: handlerEntry('void-bed-monitor'),
      serviceName: 'void-bed-monitor',
      description: 'Checks sellable beds for voids (daily, and when a placement ends or moves) and alerts managers once per threshold',
      timeout: voidBedMonitorTimeout,
    })
      .useTable(this.estateTable, ENV.estateTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byKind'] })
      .useTable(this.placementsTable, ENV.placementsTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byBed'] })
      .useTable(this.referralsTable, ENV.referralsTable, ['dynamodb:Query'], { indexes: ['byStatus'] })
      .useTable(this.voidBedAlertsTable, ENV.voidBedAlertsTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'])
      .publishTo(this.voidBedAlertsTopic.topic, ENV.voidBedAlertsTopicArn)
      .consume(this.voidBedChecksQueue, { batchSize: 10 });
    // Early morning every day. The function works out the London date from the event's time
    // (07:00 UTC is 07:00 GMT or 08:00 BST: the same London date all year).
    this.voidBedMonitorSchedule = new events.Rule(this, 'VoidBedMonitorSchedule', {
      description: 'Daily void-bed check (the monitor reads the London date from the event time)',
      schedule: events.Schedule.expression('cron(0 7 * * ? *)'),
      targets: [new eventTargets.LambdaFunction(this.voidBedMonitorFunction.function, { retryAttempts: 2 })],
    });
    useReadableLogicalId(this.voidBedMonitorSchedule, 'VoidBedMonitorSchedule');
    // Ending or moving a placement asks for its bed to be checked at once.
    this.apiFunction.sendTo(this.voidBedChecksQueue, ENV.voidBedChecksQueueUrl);
    new CfnOutput(this, 'VoidBedAlertsTopicArn', { value: this.voidBedAlertsTopic.topic.topicArn });
    new CfnOutput(this, 'VoidBedAlertsQueueUrl', { value: this.voidBedAlertsTopic.inbox.queueUrl });
    new CfnOutput(this, 'VoidBedChecksQueueUrl', { value: this.voidBedChecksQueue.queue.queueUrl });

    // --- Invoicing: a monthly run fans out one job per placing council to the invoice builder ---
    const invoicingProps = props.invoicing ?? {};
    const prefix = InvoicePrefix.parse(invoicingProps.prefix ?? INVOICING_SETTINGS.prefix);
    if (invoicingProps.startMonth !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(invoicingProps.startMonth)) {
      throw new Error(`invoicing.startMonth ${invoicingProps.startMonth}: expected a month YYYY-MM`);
    }
    const settings: Record<string, string> = {
      [ENV.invoicePrefix]: prefix,
      [ENV.paymentTermsDays]: String(invoicingProps.paymentTermsDays ?? INVOICING_SETTINGS.paymentTermsDays),
      ...(invoicingProps.startMonth ? { [ENV.invoicingStartMonth]: invoicingProps.startMonth } : {}),
    };
    // Issued invoices and credit notes (pk DOC#<number>), each year's gap-free counter, the
    // runs' slots, progress and staged drafts; a council's documents by month charged
    // (byCouncil) and a run's documents (byRun). See lib/invoicing/invoice-keys.ts.
    this.invoicesTable = DataTable.keyedByPkSk(this, 'InvoicesTable', { encryptionKey: key, indexes: ['byCouncil', 'byRun'] });
    const builderTimeout = Duration.minutes(2);
    this.invoiceJobsQueue = new QueueWithDeadLetter(this, 'InvoiceJobsQueue', {
      encryptionKey: key,
      alarmTopic: this.alarmTopic.topic,
      maxReceiveCount: 5,
      // Six times the builder's timeout, as AWS advises for Lambda event sources.
      visibilityTimeout: Duration.minutes(12),
    });

    // Starts a month's run: reads the placing-council registry (one Query of its partition in
    // the placements table), records the run and queues one job per council.
    this.invoicingRunFunction = new CaredForFunction(this, 'InvoicingRunFunction', {
      entry: handlerEntry('invoicing-run'),
      serviceName: 'invoicing-run',
      description: "Starts the month's invoicing run (the previous London month) and queues one job per placing council",
      timeout: Duration.seconds(30),
    })
      .useTable(this.placementsTable, ENV.placementsTable, ['dynamodb:Query'])
      .useTable(this.invoicesTable, ENV.invoicesTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'])
      .sendTo(this.invoiceJobsQueue, ENV.invoiceJobsQueueUrl);
    for (const [name, value] of Object.entries(settings)) this.invoicingRunFunction.function.addEnvironment(name, value);

    // 02:00 UTC on the 1st is the 1st in London in winter (GMT) and summer (BST) alike; the
    // function invoices the month before the London date of the event's time, once per month.
    this.invoicingRunSchedule = new events.Rule(this, 'InvoicingRunSchedule', {
      description: 'Monthly invoicing run: 02:00 UTC on the 1st, for the previous calendar month in Europe/London',
      schedule: events.Schedule.expression('cron(0 2 1 * ? *)'),
      targets: [new eventTargets.LambdaFunction(this.invoicingRunFunction.function, { retryAttempts: 2 })],
    });
    useReadableLogicalId(this.invoicingRunSchedule, 'InvoicingRunSchedule');
    // A run that cannot start (the previous one incomplete) fails loudly: nobody is invoiced until a person looks.
    const runFailed = new cloudwatch.Alarm(this, 'InvoicingRunFailedAlarm', {
      alarmDescription:
        "The monthly invoicing run failed to start (often: the previous month's run has not completed). Find the cause in " +
        'the invoicing-run logs, then ask for the run again (POST /api/invoicing/runs).',
      metric: this.invoicingRunFunction.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    runFailed.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic.topic));
    useReadableLogicalId(runFailed, 'InvoicingRunFailedAlarm');

    // Drafts and stages a council's documents; numbers and issues a run's staged documents in one
    // fixed order (a transaction per document: counter, slot, document); sends their journals to
    // the ledger; starts runs the API asked for (run jobs) and queues the numbering.
    this.invoiceBuilderFunction = new CaredForFunction(this, 'InvoiceBuilderFunction', {
      entry: handlerEntry('invoice-builder'),
      serviceName: 'invoice-builder',
      description: "Drafts each placing council's monthly invoice and corrections, numbers them gap-free, and posts their journals",
      timeout: builderTimeout,
      memorySize: 1024,
    })
      .useTable(this.placementsTable, ENV.placementsTable, ['dynamodb:Query'], { indexes: ['byPlacingAuthority'] })
      // The homes' names printed on the documents' lines: one BatchGetItem of a council's homes.
      .useTable(this.estateTable, ENV.estateTable, ['dynamodb:BatchGetItem'])
      .useTable(
        this.invoicesTable,
        ENV.invoicesTable,
        ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        { indexes: ['byCouncil'] },
      )
      .sendTo(this.invoiceJobsQueue, ENV.invoiceJobsQueueUrl)
      .sendTo(this.ledgerPostingsQueue, ENV.ledgerPostingsQueueUrl)
      .consume(this.invoiceJobsQueue, { batchSize: 5 });
    for (const [name, value] of Object.entries(settings)) this.invoiceBuilderFunction.function.addEnvironment(name, value);

    // The API lists and reads documents and runs' progress, and queues the runs finance asks for.
    this.apiFunction
      .useTable(this.invoicesTable, ENV.invoicesTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byCouncil', 'byRun'] })
      .sendTo(this.invoiceJobsQueue, ENV.invoiceJobsQueueUrl);

    new CfnOutput(this, 'InvoicesTableName', { value: this.invoicesTable.table.tableName });
    new CfnOutput(this, 'InvoiceJobsQueueUrl', { value: this.invoiceJobsQueue.queue.queueUrl });

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
