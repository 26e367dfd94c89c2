import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
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
    this.subscribeInbox(props.encryptionKey);
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }

  /**
   * The SQS subscription, wired by hand rather than with SqsSubscription: that
   * lets SNS use the key for any topic (or, with its feature flag, names this
   * topic in the key's policy, a dependency cycle when topic and queue share
   * the key). Here SNS may send to the inbox only for this topic, and use the
   * key only on behalf of this account. Envelope delivery (not raw) keeps the
   * subject and the message attributes.
   */
  private subscribeInbox(key: kms.IKey): void {
    const snsService = new iam.ServicePrincipal('sns.amazonaws.com');
    const { policyDependable } = this.inbox.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [snsService],
        actions: ['sqs:SendMessage'],
        resources: [this.inbox.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.topic.topicArn } },
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [snsService],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        // In a key policy, "*" means this key.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const subscription = new sns.Subscription(this, 'InboxSubscription', {
      topic: this.topic,
      endpoint: this.inbox.queueArn,
      protocol: sns.SubscriptionProtocol.SQS,
      rawMessageDelivery: false,
    });
    if (policyDependable) subscription.node.addDependency(policyDependable);
  }
}
