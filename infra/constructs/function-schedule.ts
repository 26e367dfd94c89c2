import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CaredForFunction } from './cared-for-function';
import { operationsAlarm } from './operations-alarm';
import { useReadableLogicalId } from './readable-logical-id';

export interface FunctionScheduleProps {
  /** `cron(...)` or `rate(...)`, in UTC as EventBridge reads it. */
  readonly expression: string;
  /** What the schedule is for, shown in the EventBridge console. */
  readonly description: string;
  /** The function it invokes (asynchronously, as EventBridge does). */
  readonly target: CaredForFunction;
  /** The key the failed-events queue is encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** The operations topic the failed-events alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /** What a person should do when a run has failed every retry, for the alarm's description. */
  readonly whenItFails: string;
}

/**
 * A schedule that invokes a function, and what happens when that invocation fails: Lambda retries
 * it twice, then puts the event (with the error) on a failed-events queue kept 14 days, and an
 * alarm tells operations at once. A failed run is never silent, and its event can be replayed.
 * Logical ids: `<id>` (the rule), `<id>FailedEvents` (the queue) and `<id>FailedEventsAlarm`.
 */
export class FunctionSchedule extends Construct {
  public readonly rule: events.Rule;
  /** Lambda's on-failure destination for the target's asynchronous invocations. */
  public readonly failedEvents: sqs.Queue;
  /** Fires as soon as one event is on the failed-events queue. */
  public readonly failedEventsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
    super(scope, id);
    this.failedEvents = new sqs.Queue(this, 'FailedEvents', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    useReadableLogicalId(this.failedEvents, `${id}FailedEvents`);
    Validations.of(this.failedEvents).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: Lambda's on-failure destination for the scheduled function's events " +
        'that failed every retry. Nothing consumes it (a person reads and replays them), so nothing can fail onwards.',
    });
    props.target.sendFailedEventsTo({ queue: this.failedEvents, encryptionKey: props.encryptionKey });

    this.rule = new events.Rule(this, 'Rule', {
      description: props.description,
      schedule: events.Schedule.expression(props.expression),
      // EventBridge's own retries are for delivering the event to Lambda; Lambda retries failed runs.
      targets: [new eventTargets.LambdaFunction(props.target.function, { retryAttempts: 2 })],
    });
    useReadableLogicalId(this.rule, id);

    this.failedEventsAlarm = operationsAlarm(this, 'FailedEventsAlarm', {
      logicalId: `${id}FailedEventsAlarm`,
      description:
        `${props.target.node.id} failed a scheduled run three times (the first try and Lambda's two retries); ` +
        `the event and the error are on ${id}FailedEvents. ${props.whenItFails}`,
      metric: this.failedEvents.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      topic: props.alarmTopic,
    });
  }
}
