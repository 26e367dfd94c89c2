import { Duration, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { subscribeQueue } from './queue-subscription';
import { useReadableLogicalId } from './readable-logical-id';

export interface ManagerAlertTopicProps {
  /** The customer-managed key that encrypts the topic and its inbox queue. */
  readonly encryptionKey: kms.IKey;
  /**
   * Logical id of the inbox queue subscribed to the topic.
   * @default `${id}Queue`
   */
  readonly inboxQueueId?: string;
  /**
   * Address that receives every alert by e-mail (the subscription must be confirmed from the inbox).
   * @default - no e-mail subscription
   */
  readonly email?: string;
  /** Name shown as the sender of e-mail notifications. */
  readonly displayName: string;
}

/**
 * An SNS topic that tells managers (not operations) something they must act
 * on: encrypted with the customer-managed key, refusing non-TLS publishers,
 * with an optional e-mail subscription and always an SQS "inbox" subscription,
 * so every alert can be read back by a tool or a test. The inbox keeps
 * alerts 14 days; nothing consumes it, so it has no dead-letter queue.
 * Logical ids: `<id>` (topic) and `inboxQueueId` (queue).
 */
export class ManagerAlertTopic extends Construct {
  /** The topic; give publishers `publishTo` on it. */
  public readonly topic: sns.Topic;
  /** The SQS subscription: each alert in SNS's envelope (Subject, Message, MessageAttributes). */
  public readonly inbox: sqs.Queue;

  constructor(scope: Construct, id: string, props: ManagerAlertTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    useReadableLogicalId(this.topic, id);

    this.inbox = new sqs.Queue(this, 'Inbox', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    useReadableLogicalId(this.inbox, props.inboxQueueId ?? `${id}Queue`);
    Validations.of(this.inbox).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'The inbox is a read-only copy of the alerts (SNS SQS subscription) for tools and tests; no function consumes it, ' +
        'so no message can fail processing and be retried: a dead-letter queue would only ever fill when someone reads an alert five times.',
    });
    subscribeQueue(this, 'InboxSubscription', this.topic, this.inbox, props.encryptionKey);
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
