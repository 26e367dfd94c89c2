import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { CaredForFunction } from '#infra/constructs/cared-for-function';
import type { FunctionSchedule } from '#infra/constructs/function-schedule';
import type { DataTable } from '#infra/constructs/data-table';
import { QueueWithDeadLetter } from '#infra/constructs/queue-with-dead-letter';
import { subscribeQueue } from '#infra/constructs/queue-subscription';
import { useReadableLogicalId } from '#infra/constructs/readable-logical-id';
import { ENV } from '#lib/config';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';
import type { ConsoleArea } from './console';
import type { InvoicingArea } from './invoicing';
import type { ManagerApiArea } from './manager-api';
import type { Platform } from './platform';

export interface DocumentsOutProps {
  readonly platform: Platform;
  /** The api function reads the delivery log and queues re-sends. */
  readonly managerApi: ManagerApiArea;
  /** Issued documents (the sender reads them to render); the builder queues each one it issues. */
  readonly invoicing: InvoicingArea;
  /** The console serves the same API in process: it gets what the api function gets here. */
  readonly console: ConsoleArea;
  /**
   * Where the regional commissioning inbox takes news of its referrals (signed Standard Webhooks).
   * @default - a placeholder under the reserved .example domain: deliveries fail (and are logged) until it is set
   */
  readonly regionalInboxUrl?: string;
}

/** Until the inbox's real endpoint is configured, news of referrals goes nowhere (and says so in the delivery log). */
export const PLACEHOLDER_REGIONAL_INBOX_URL = 'https://regional-inbox.example/webhooks/cared-for';

/** Six times the sender's timeout, as AWS advises for Lambda event sources. */
const SENDER_TIMEOUT = Duration.seconds(60);

/**
 * Documents out: every issued invoice and credit note is queued (by the
 * invoice builder, or a finance re-send) on the deliveries queue, and the
 * delivery sender e-mails it to the council's accounts payable through SES
 * with the PDF attached and, where the council has one, posts it signed to its
 * invoice endpoint; news of referrals goes the same way to the regional inbox.
 * Each message is sent once (the delivery log's state), retried with a
 * doubling back-off, dead-lettered after 8 attempts with the alarm. SES's
 * bounces and complaints come back through a configuration set's SNS topic to
 * the delivery-events function, which logs them against their message.
 */
export class DocumentsOutArea {
  /** The delivery log: each message's state and its events, by document or referral (lib/outbound/dynamo-delivery-log.ts). */
  public readonly deliveriesTable: DataTable;
  public readonly deliveriesQueue: QueueWithDeadLetter;
  /** The outbound master signing secret; each endpoint's secret is derived from it (lib/outbound/endpoint-secrets.ts). */
  public readonly signingSecret: secretsmanager.Secret;
  public readonly configurationSet: ses.ConfigurationSet;
  public readonly emailEventsTopic: sns.Topic;
  public readonly emailEventsQueue: QueueWithDeadLetter;
  public readonly senderFunction: CaredForFunction;
  public readonly eventsFunction: CaredForFunction;
  /** Remittances, allocations, documents' tallies, reminder claims (lib/payments/payment-keys.ts); byCouncil: a council's account in one Query. */
  public readonly paymentsTable: DataTable;
  public readonly remindersFunction: CaredForFunction;
  public readonly remindersSchedule: FunctionSchedule;
  public readonly outboxFunction: CaredForFunction;
  public readonly outboxSchedule: FunctionSchedule;

  constructor(scope: Construct, { platform, managerApi, invoicing, console, regionalInboxUrl }: DocumentsOutProps) {
    const key = platform.key;
    const alarmTopic = platform.alarmTopic.topic;
    this.deliveriesTable = platform.table('DeliveriesTable');
    this.deliveriesQueue = new QueueWithDeadLetter(scope, 'DeliveriesQueue', {
      encryptionKey: key,
      alarmTopic,
      // With the back-off doubling from a minute to at most 15: about an hour and a half of trying.
      maxReceiveCount: 8,
      visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6),
    });
    this.signingSecret = this.createSigningSecret(scope, key);
    this.emailEventsTopic = this.createEmailEventsTopic(scope, key);
    this.configurationSet = this.createConfigurationSet(scope);
    this.emailEventsQueue = platform.workQueue('EmailEventsQueue', Duration.minutes(1));
    subscribeQueue(scope, 'EmailEventsSubscription', this.emailEventsTopic, this.emailEventsQueue.queue, key);

    this.senderFunction = platform.function('DeliverySenderFunction', 'delivery-sender', {
      description: 'Sends each issued document (SES e-mail with the PDF; signed webhook) and news of referrals to the regional inbox, once, with retries',
      timeout: SENDER_TIMEOUT,
      memorySize: 1024,
      // A month's run queues a few dozen messages; four batches at once stay well inside SES's default
      // sending rate (14 a second) and leave councils' endpoints a gentle load while they recover.
      reservedConcurrentExecutions: 4,
    })
      .useTable(invoicing.invoicesTable, ENV.invoicesTable, ['dynamodb:GetItem'])
      .useTable(this.deliveriesTable, ENV.deliveriesTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'])
      .readSecret(this.signingSecret, ENV.outboundSecretArn)
      .consume(this.deliveriesQueue, { batchSize: 10 })
      .withEnvironment({
        // Its own queue's URL, to set a failed message's back-off (consume already allows ChangeMessageVisibility on it).
        [ENV.deliveriesQueueUrl]: this.deliveriesQueue.queue.queueUrl,
        [ENV.regionalInboxUrl]: regionalInboxUrl ?? PLACEHOLDER_REGIONAL_INBOX_URL,
        [ENV.sesConfigurationSet]: this.configurationSet.configurationSetName,
      });
    this.allowSendingEmail(scope);

    this.eventsFunction = platform.function('DeliveryEventsFunction', 'delivery-events', {
      description: "Logs SES bounces and complaints against the message they are about",
      timeout: Duration.seconds(10),
      // Bounces come a few a month: two batches at once is Lambda's least for a queue.
      reservedConcurrentExecutions: 2,
    })
      .useTable(this.deliveriesTable, ENV.deliveriesTable, ['dynamodb:GetItem', 'dynamodb:PutItem'])
      .consume(this.emailEventsQueue, { batchSize: 10 });

    invoicing.builderFunction.sendTo(this.deliveriesQueue, ENV.deliveriesQueueUrl);
    // The console serves the same API in process, so it is granted what the api function is.
    const apis = [managerApi.function, console.function];
    for (const api of apis) api.useTable(this.deliveriesTable, ENV.deliveriesTable, ['dynamodb:Query', 'dynamodb:PutItem']).sendTo(this.deliveriesQueue, ENV.deliveriesQueueUrl);

    // --- Payments: finance records and allocates remittances and imports bank files through the API ---
    this.paymentsTable = platform.table('PaymentsTable', { indexes: ['byCouncil'] });
    for (const api of apis) {
      api.useTable(
        this.paymentsTable,
        ENV.paymentsTable,
        ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        { indexes: ['byCouncil'] },
      );
    }

    // --- Reminders: daily, for the London date of the event's time (08:00 UTC is 08:00 or 09:00 in London: the same date) ---
    this.remindersFunction = platform.function('PaymentRemindersFunction', 'payment-reminders', {
      description: 'Asks for one reminder of each document 14 and 30 days past due with money outstanding, once each',
      timeout: Duration.minutes(2),
      // One run a day; a repeated event waits its turn (the claims make it send nothing twice anyway).
      reservedConcurrentExecutions: 1,
    })
      .useTable(invoicing.invoicesTable, ENV.invoicesTable, ['dynamodb:Query'], { indexes: ['byDueDate'] })
      .useTable(this.paymentsTable, ENV.paymentsTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'])
      .sendTo(this.deliveriesQueue, ENV.deliveriesQueueUrl);
    this.remindersSchedule = platform.schedule('PaymentRemindersSchedule', {
      description: 'Daily payment reminders (the function reads the London date from the event time)',
      expression: 'cron(0 8 * * ? *)',
      target: this.remindersFunction,
      whenItFails:
        "No reminders went for that day. Find the cause in the payment-reminders logs, then replay the event: the next day's run also " +
        'catches up the last seven days, and a reminder already asked for is never sent twice.',
    });

    // --- News for the placing council: the decisions' outbox in the placements table, swept every 5 minutes ---
    this.outboxFunction = platform.function('NotificationOutboxFunction', 'notification-outbox', {
      description: "Sends the regional inbox's due notices of decisions (lapses as offers run out; any not handed over at once)",
      timeout: Duration.minutes(1),
      // One sweep at a time: two would only hand the same notices over twice (harmless, but wasted).
      reservedConcurrentExecutions: 1,
    })
      .useTable(managerApi.placementsTable, ENV.placementsTable, ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:DeleteItem'])
      .sendTo(this.deliveriesQueue, ENV.deliveriesQueueUrl);
    this.outboxSchedule = platform.schedule('NotificationOutboxSchedule', {
      description: 'Every 5 minutes: due notices of decisions to the deliveries queue',
      expression: 'rate(5 minutes)',
      target: this.outboxFunction,
      whenItFails:
        'Notices of decisions (and lapses) are waiting in the outbox. Find the cause in the notification-outbox logs; the next ' +
        'sweep sends everything still due, under the same message ids.',
    });

    platform.outputs({
      DeliveriesTableName: this.deliveriesTable.table.tableName,
      DeliveriesQueueUrl: this.deliveriesQueue.queue.queueUrl,
      PaymentsTableName: this.paymentsTable.table.tableName,
    });
  }

  private createSigningSecret(scope: Construct, key: kms.IKey): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(scope, 'OutboundSigningSecretResource', {
      description:
        'Outbound Standard Webhooks master secret (whsec_…; two, space separated, during a rotation). Each receiving endpoint ' +
        "(a council's invoice endpoint, the regional inbox) gets its own secret derived from it: see lib/outbound/endpoint-secrets.ts",
      encryptionKey: key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    useReadableLogicalId(secret, 'OutboundSigningSecret');
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating it changes every endpoint secret derived from it, which each receiver must be given first: rotation is a ' +
        'planned two-step change (add the new value beside the old, share the derived secrets, then remove the old), not a Lambda on a timer.',
    });
    return secret;
  }

  /** Where SES publishes what happened to each e-mail; SES may use the key and publish here, for this account only. */
  private createEmailEventsTopic(scope: Construct, key: kms.IKey): sns.Topic {
    const topic = new sns.Topic(scope, 'EmailEventsTopicResource', { displayName: 'Cared For e-mail events (SES)', masterKey: key, enforceSSL: true });
    useReadableLogicalId(topic, 'EmailEventsTopic');
    const sesService = new iam.ServicePrincipal('ses.amazonaws.com');
    const account = Stack.of(scope).account;
    topic.addToResourcePolicy(
      new iam.PolicyStatement({ principals: [sesService], actions: ['sns:Publish'], resources: [topic.topicArn], conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [sesService],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        // In a key policy, "*" means this key.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    return topic;
  }

  private createConfigurationSet(scope: Construct): ses.ConfigurationSet {
    const set = new ses.ConfigurationSet(scope, 'EmailConfigurationSetResource', {});
    useReadableLogicalId(set, 'EmailConfigurationSet');
    set.addEventDestination('ToEmailEventsTopic', {
      destination: ses.EventDestination.snsTopic(this.emailEventsTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.REJECT],
    });
    return set;
  }

  /** SES v2 SendEmail from our sender identity's domain, through our configuration set: nothing else. */
  private allowSendingEmail(scope: Construct): void {
    const stack = Stack.of(scope);
    const domain = INVOICING_SETTINGS.issuer.invoiceSenderEmail.split('@')[1]!;
    this.senderFunction.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
        ],
      }),
    );
  }
}
