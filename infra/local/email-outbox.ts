/**
 * E-mail subscriptions, made visible. fauxqs records them but sends nothing, so for each one the
 * runner subscribes a hidden queue (the outbox) to the same topic with the same filter policy, and
 * prints every notification that lands there as `would e-mail <address>`.
 */
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { localName } from './provision';

export interface EmailSubscription {
  logicalId: string;
  topicLogicalId: string;
  topicArn: string;
  address: string;
  filterPolicy?: string;
  filterPolicyScope?: string;
}

export interface Outbox {
  subscription: EmailSubscription;
  queueUrl: string;
  stop(): Promise<void>;
}

const PREVIEW_CHARS = 500;

export async function startOutbox(
  subscription: EmailSubscription,
  clients: { sqs: SQSClient; sns: SNSClient },
  prefix: string,
  log: (source: string, line: string) => void,
): Promise<Outbox> {
  const name = localName(prefix, `Outbox-${subscription.logicalId}`, 80);
  const { QueueUrl: queueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!queueUrl) throw new Error(`CreateQueue ${name} returned no URL`);
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const attributes: Record<string, string> = {};
  if (subscription.filterPolicy) attributes.FilterPolicy = subscription.filterPolicy;
  if (subscription.filterPolicyScope) attributes.FilterPolicyScope = subscription.filterPolicyScope;
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: subscription.topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    }),
  );

  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        const { Messages = [] } = await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }),
          { abortSignal: abort.signal },
        );
        for (const message of Messages) {
          const envelope = JSON.parse(message.Body ?? '{}') as { Subject?: string; Message?: string };
          const text = envelope.Message ?? '';
          const preview = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
          log(subscription.topicLogicalId, `would e-mail ${subscription.address}: ${envelope.Subject ? `[${envelope.Subject}] ` : ''}${preview}`);
          await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        log(subscription.topicLogicalId, `outbox for ${subscription.address} failed: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();

  return {
    subscription,
    queueUrl,
    stop: async () => {
      abort.abort();
      await loop;
    },
  };
}
