import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { operationsAlarm } from './operations-alarm';
import { useReadableLogicalId } from './readable-logical-id';

export interface QueueWithDeadLetterProps {
  /** The customer-managed key that encrypts both queues. */
  readonly encryptionKey: kms.IKey;
  /** Topic notified when a message lands on the dead-letter queue. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Receives before a message is moved to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long a received message stays hidden; must be at least the consumer's timeout
   * (AWS recommends six times it, to leave room for retries within a batch).
   * @default Duration.seconds(30)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How long an unprocessed message is kept on the main queue.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
}

/**
 * An SQS queue with its dead-letter queue, both encrypted with the
 * customer-managed key and TLS-only, and an alarm that fires as soon as one
 * message is dead-lettered: a poison message is set aside without holding back
 * the rest, and a person is told. Logical ids: `<id>`, `<id>Dlq`, `<id>DlqAlarm`.
 */
export class QueueWithDeadLetter extends Construct {
  /** The work queue. */
  public readonly queue: sqs.Queue;
  /** Where messages go after `maxReceiveCount` failed receives; kept 14 days. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Fires when the dead-letter queue holds at least one message. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The key both queues are encrypted with; senders and consumers need to use it. */
  public readonly encryptionKey: kms.IKey;
  /** The work queue's visibility timeout. */
  public readonly visibilityTimeout: Duration;
  /** Receives before a message is dead-lettered. */
  public readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: QueueWithDeadLetterProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(30);
    this.maxReceiveCount = props.maxReceiveCount ?? 5;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      retentionPeriod: props.retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });
    this.deadLetterAlarm = this.alarmOnDeadLetters(id, props.alarmTopic);

    useReadableLogicalId(this.queue, id);
    useReadableLogicalId(this.deadLetterQueue, `${id}Dlq`);
  }

  private alarmOnDeadLetters(id: string, topic: sns.ITopic): cloudwatch.Alarm {
    return operationsAlarm(this, 'DeadLetterAlarm', {
      logicalId: `${id}DlqAlarm`,
      description:
        `A message on ${id} failed ${this.maxReceiveCount} times and was moved to its dead-letter queue. ` +
        'Find the cause in the consumer logs, fix it, then redrive the message.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      topic,
    });
  }
}
