import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { useReadableLogicalId } from './readable-logical-id';

export interface AlarmTopicProps {
  /** The customer-managed key that encrypts messages on the topic. */
  readonly encryptionKey: kms.IKey;
  /**
   * Address that receives every alarm by e-mail (the subscription must be confirmed from the inbox).
   * @default - no e-mail subscription
   */
  readonly email?: string;
  /**
   * Name shown as the sender of e-mail notifications.
   * @default 'Cared For operations'
   */
  readonly displayName?: string;
}

/**
 * The SNS topic that CloudWatch alarms for operations publish to, encrypted
 * with the customer-managed key and refusing non-TLS publishers.
 */
export class AlarmTopic extends Construct {
  /** The topic; use it as the action of every operations alarm. */
  public readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName ?? 'Cared For operations',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    useReadableLogicalId(this.topic, id);
    this.allowCloudWatchToPublish(props.encryptionKey);
    if (props.email) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
  }

  /**
   * Alarms publish as the CloudWatch service, not as an IAM role of ours: it
   * needs the topic policy to let it publish and the key policy to let it
   * encrypt, or alarms fire silently into nothing.
   */
  private allowCloudWatchToPublish(key: kms.IKey): void {
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        // In a key policy, "*" means this key.
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );
  }
}
