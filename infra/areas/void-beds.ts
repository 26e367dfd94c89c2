import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CaredForFunction } from '#infra/constructs/cared-for-function';
import type { DataTable } from '#infra/constructs/data-table';
import type { FunctionSchedule } from '#infra/constructs/function-schedule';
import { ManagerAlertTopic } from '#infra/constructs/manager-alert-topic';
import type { QueueWithDeadLetter } from '#infra/constructs/queue-with-dead-letter';
import { ENV } from '#lib/config';
import type { IntakeArea } from './intake';
import type { ManagerApiArea } from './manager-api';
import type { Platform } from './platform';

export interface VoidBedsAreaProps {
  readonly platform: Platform;
  readonly intake: IntakeArea;
  readonly managerApi: ManagerApiArea;
  /** The managers' shared inbox, subscribed to the alerts topic. @default - no e-mail subscription */
  readonly alertEmail?: string;
}

/**
 * Void-bed alerts: a daily check and a check on every placement end or move. The monitor reads
 * homes (estate byKind), a bed's home and calendar by key, a bed's placements (placements byBed)
 * and the open referrals (referrals byStatus) to name the best fits. It claims each alert with a
 * conditional write in its own table (pk BED#<bedId>, sk ALERT#<spellStart>#<threshold>;
 * lib/void-beds/alert-keys.ts) before publishing it, so however often it runs a bed gets one
 * alert per threshold per void spell. Its own table, not the estate's: the monitor writes only
 * there, and so may write nowhere else.
 */
export class VoidBedsArea {
  public readonly alertsTable: DataTable;
  public readonly checksQueue: QueueWithDeadLetter;
  public readonly alertsTopic: ManagerAlertTopic;
  public readonly monitorFunction: CaredForFunction;
  public readonly schedule: FunctionSchedule;

  constructor(scope: Construct, { platform, intake, managerApi, alertEmail }: VoidBedsAreaProps) {
    // bySentMonth: the alerts sent in a month, newest first (the console's void-beds page; lib/void-beds/alert-keys.ts).
    this.alertsTable = platform.table('VoidBedAlertsTable', { timeToLiveAttribute: 'expiresAt', indexes: ['bySentMonth'] });
    // Six times the monitor's timeout, as AWS advises for Lambda event sources.
    this.checksQueue = platform.workQueue('VoidBedChecksQueue', Duration.minutes(6));
    this.alertsTopic = new ManagerAlertTopic(scope, 'VoidBedAlertsTopic', {
      encryptionKey: platform.key,
      inboxQueueId: 'VoidBedAlertsQueue',
      email: alertEmail,
      displayName: 'Cared For void beds',
    });
    this.monitorFunction = platform.function('VoidBedMonitorFunction', 'void-bed-monitor', {
      description: 'Checks sellable beds for voids (daily, and when a placement ends or moves) and alerts managers once per threshold',
      timeout: Duration.minutes(1),
      // Three: the checks queue takes at most two batches at once (below), which leaves one for the
      // daily run, so placement ends never hold up (or throttle) the morning's check.
      reservedConcurrentExecutions: 3,
    })
      .useTable(managerApi.estateTable, ENV.estateTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byKind'] })
      .useTable(managerApi.placementsTable, ENV.placementsTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byBed'] })
      .useTable(intake.referralsTable, ENV.referralsTable, ['dynamodb:Query'], { indexes: ['byStatus'] })
      .useTable(this.alertsTable, ENV.voidBedAlertsTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'])
      .publishTo(this.alertsTopic.topic, ENV.voidBedAlertsTopicArn)
      .consume(this.checksQueue, { batchSize: 10, maxConcurrency: 2 });

    // Early morning every day. The function works out the London date from the event's time
    // (07:00 UTC is 07:00 GMT or 08:00 BST: the same London date all year).
    this.schedule = platform.schedule('VoidBedMonitorSchedule', {
      description: 'Daily void-bed check (the monitor reads the London date from the event time)',
      expression: 'cron(0 7 * * ? *)',
      target: this.monitorFunction,
      whenItFails:
        "Today's void-bed alerts were not sent. Find the cause in the void-bed-monitor logs, fix it, then invoke the " +
        "function with the failed event's requestPayload (the check is idempotent: a bed is alerted once per threshold).",
    });

    // Ending or moving a placement asks for its bed to be checked at once.
    managerApi.function.sendTo(this.checksQueue, ENV.voidBedChecksQueueUrl);

    platform.outputs({
      VoidBedAlertsTopicArn: this.alertsTopic.topic.topicArn,
      VoidBedAlertsQueueUrl: this.alertsTopic.inbox.queueUrl,
      VoidBedChecksQueueUrl: this.checksQueue.queue.queueUrl,
    });
  }
}
