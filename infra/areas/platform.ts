import { CfnOutput, type Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { AlarmTopic } from '#infra/constructs/alarm-topic';
import { CaredForFunction, type CaredForFunctionProps } from '#infra/constructs/cared-for-function';
import { DataTable } from '#infra/constructs/data-table';
import { EncryptionKey } from '#infra/constructs/encryption-key';
import { FunctionSchedule, type FunctionScheduleProps } from '#infra/constructs/function-schedule';
import { PublicApi } from '#infra/constructs/public-api';
import { QueueWithDeadLetter } from '#infra/constructs/queue-with-dead-letter';
import { handler } from './handler';

export interface PlatformProps {
  /** ARN of a regional WAFv2 web ACL for the API stage. @default - none */
  readonly webAclArn?: string;
  /** E-mail address subscribed to the operations alarm topic. @default - no e-mail subscription */
  readonly alarmEmail?: string;
}

/**
 * What every business area builds on: the one customer-managed key, the operations alarm topic
 * and the public API (the webhook and `/api` share its stage). Areas make their tables, work
 * queues and functions here so that each is encrypted with the key and alarms to the topic.
 */
export class Platform {
  public readonly encryptionKey: EncryptionKey;
  public readonly key: kms.IKey;
  public readonly alarmTopic: AlarmTopic;
  public readonly api: PublicApi;

  constructor(
    private readonly scope: Construct,
    props: PlatformProps,
  ) {
    this.encryptionKey = new EncryptionKey(scope, 'EncryptionKey');
    this.key = this.encryptionKey.key;
    this.alarmTopic = new AlarmTopic(scope, 'AlarmTopic', { encryptionKey: this.key, email: props.alarmEmail });
    this.api = new PublicApi(scope, 'Api', {
      description: 'Cared For: referral webhooks and the manager API',
      webAclArn: props.webAclArn,
      alarmTopic: this.alarmTopic.topic,
    });
    this.outputs({ AlarmTopicArn: this.alarmTopic.topic.topicArn });
  }

  /** Stack outputs, named as given: the local runner, the tests and operators read them by these names. */
  public outputs(values: Record<string, string>): void {
    for (const [name, value] of Object.entries(values)) new CfnOutput(this.scope, name, { value });
  }

  /** A table keyed `pk` / `sk` with numbered indexes (see `DataTable.keyedByPkSk`), encrypted with the key. */
  public table(id: string, options: { readonly indexes?: readonly string[]; readonly timeToLiveAttribute?: string } = {}): DataTable {
    return DataTable.keyedByPkSk(this.scope, id, { encryptionKey: this.key, ...options });
  }

  /**
   * A work queue with its dead-letter queue after 5 receives and the alarm on it. Give it six times
   * its consumer's timeout as `visibilityTimeout`, as AWS advises for Lambda event sources.
   */
  public workQueue(id: string, visibilityTimeout: Duration): QueueWithDeadLetter {
    return new QueueWithDeadLetter(this.scope, id, {
      encryptionKey: this.key,
      alarmTopic: this.alarmTopic.topic,
      maxReceiveCount: 5,
      visibilityTimeout,
    });
  }

  /** A schedule for one of the functions, its failed events kept under the key and alarming to the topic (see FunctionSchedule). */
  public schedule(id: string, props: Omit<FunctionScheduleProps, 'encryptionKey' | 'alarmTopic'>): FunctionSchedule {
    return new FunctionSchedule(this.scope, id, { ...props, encryptionKey: this.key, alarmTopic: this.alarmTopic.topic });
  }

  /** The function whose handler is `functions/<name>/handler.ts` (its logs and metrics under that service name), alarming to the topic. */
  public function(id: string, name: string, props: Omit<CaredForFunctionProps, 'entry' | 'serviceName' | 'alarmTopic'>): CaredForFunction {
    return new CaredForFunction(this.scope, id, { ...handler(name), ...props, alarmTopic: this.alarmTopic.topic });
  }
}
