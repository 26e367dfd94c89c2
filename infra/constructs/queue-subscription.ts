import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * An SQS subscription (`id`, in `scope`) of a queue to a topic that share the customer-managed key,
 * wired by hand rather than with SqsSubscription: that lets SNS use the key for any topic (or, with
 * its feature flag, names this topic in the key's policy, a dependency cycle when topic and queue
 * share the key). Here SNS may send to the queue only for this topic, and use the key only on behalf
 * of this account. Envelope delivery (not raw) keeps the subject and the message attributes.
 */
export function subscribeQueue(scope: Construct, id: string, topic: sns.ITopic, queue: sqs.IQueue, key: kms.IKey): sns.Subscription {
  const snsService = new iam.ServicePrincipal('sns.amazonaws.com');
  const { policyDependable } = queue.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [snsService],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [snsService],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      // In a key policy, "*" means this key.
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  );
  const subscription = new sns.Subscription(scope, id, { topic, endpoint: queue.queueArn, protocol: sns.SubscriptionProtocol.SQS, rawMessageDelivery: false });
  if (policyDependable) subscription.node.addDependency(policyDependable);
  return subscription;
}
