/**
 * `AWS::Lambda::EventInvokeConfig`: how Lambda treats a function's asynchronous invocations (the
 * schedules' events). Locally as in AWS: a failed event is retried `MaximumRetryAttempts` times
 * (2 when unset), then, if the config names an on-failure destination (an SQS queue of the
 * template), the event goes there inside Lambda's invocation record, with the error.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '#lib/clock';
import type { LocalFunction, WorkerError } from './lambda-runtime';
import { referencedIds, resourcesOfType, UnsupportedResourceError, type CfnTemplate } from './template';

export interface AsyncInvokeConfig {
  functionLogicalId: string;
  retryAttempts: number;
  /** The on-failure destination queue, by logical id. */
  onFailureQueueLogicalId?: string;
}

/** Lambda's retries of a failed asynchronous invocation when no config says otherwise. */
export const DEFAULT_ASYNC_RETRIES = 2;

/** Each function's async invoke config, by the function's logical id. */
export function readAsyncInvokeConfigs(template: CfnTemplate, functionIds: ReadonlySet<string>): Map<string, AsyncInvokeConfig> {
  const configs = new Map<string, AsyncInvokeConfig>();
  for (const [logicalId, r] of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
    const p = r.Properties ?? {};
    const functionLogicalId = referencedIds(p.FunctionName).find((id) => functionIds.has(id));
    if (!functionLogicalId) throw new UnsupportedResourceError(logicalId, r.Type, 'its FunctionName is not a function of this template');
    if (p.Qualifier !== undefined && p.Qualifier !== '$LATEST') throw new UnsupportedResourceError(logicalId, r.Type, 'only $LATEST is invoked locally (no versions or aliases)');
    const destinations = (p.DestinationConfig ?? {}) as { OnFailure?: { Destination?: unknown }; OnSuccess?: unknown };
    if (destinations.OnSuccess !== undefined) throw new UnsupportedResourceError(logicalId, r.Type, 'on-success destinations are not delivered locally');
    let onFailureQueueLogicalId: string | undefined;
    if (destinations.OnFailure !== undefined) {
      onFailureQueueLogicalId = referencedIds(destinations.OnFailure.Destination).find((id) => template.Resources[id]?.Type === 'AWS::SQS::Queue');
      if (!onFailureQueueLogicalId) throw new UnsupportedResourceError(logicalId, r.Type, 'only an SQS queue of this template is delivered to as the on-failure destination');
    }
    configs.set(functionLogicalId, {
      functionLogicalId,
      retryAttempts: p.MaximumRetryAttempts === undefined ? DEFAULT_ASYNC_RETRIES : Number(p.MaximumRetryAttempts),
      ...(onFailureQueueLogicalId ? { onFailureQueueLogicalId } : {}),
    });
  }
  return configs;
}

/** What Lambda puts on an on-failure destination: the event, the function, how often it tried, and the error. */
export function invocationRecord(functionArn: string, event: unknown, error: WorkerError, attempts: number, at: Date): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: at.toISOString(),
    requestContext: { requestId: randomUUID(), functionArn: `${functionArn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: attempts },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: error.errorType, errorMessage: error.errorMessage, trace: error.trace },
  };
}

export interface AsyncOutcome {
  ok: boolean;
  payload?: unknown;
  error?: unknown;
  /** The on-failure destination (logical id) the event was sent to. */
  failedEventsQueue?: string;
}

/**
 * Invokes functions as Lambda does an asynchronous event (what EventBridge sends): a failed event is
 * retried a minute, then two minutes later (as many times as its config says), then sent to its
 * on-failure destination, if any. The first answer is reported at once; the retries go on meanwhile,
 * so a failing firing does not hold back the next.
 */
export class AsyncInvoker {
  private stopping = false;

  constructor(
    private readonly options: {
      configs: ReadonlyMap<string, AsyncInvokeConfig>;
      /** A queue's local URL by its logical id. */
      queueUrl: (logicalId: string) => string | undefined;
      sqs: SQSClient;
      clock: Clock;
      log: (source: string, line: string) => void;
    },
  ) {}

  /** `retries` false: no retries, a failed event goes straight to the on-failure destination, as after Lambda's last retry. */
  async invoke(fn: LocalFunction, payload: unknown, retries: boolean): Promise<AsyncOutcome> {
    const config = this.options.configs.get(fn.spec.logicalId);
    const maxRetries = retries ? (config?.retryAttempts ?? DEFAULT_ASYNC_RETRIES) : 0;
    const first = await fn.invoke(payload);
    if (first.ok) return { ok: true, payload: first.payload };
    if (maxRetries === 0 || this.stopping) {
      const failedEventsQueue = await this.toFailureDestination(fn, config, payload, first.error, 1);
      return { ok: false, error: first.error, ...(failedEventsQueue ? { failedEventsQueue } : {}) };
    }
    void this.retry(fn, config, payload, first.error, maxRetries).catch((error: unknown) =>
      this.options.log(fn.spec.shortName, `retrying a scheduled invocation: ${(error as Error).message}`),
    );
    return { ok: false, error: first.error };
  }

  /** No more retries from now on (the stack is stopping). */
  stop(): void {
    this.stopping = true;
  }

  private async retry(fn: LocalFunction, config: AsyncInvokeConfig | undefined, payload: unknown, firstError: WorkerError, maxRetries: number): Promise<void> {
    let last = firstError;
    for (let attempt = 1; attempt <= maxRetries; attempt++) {
      this.options.log(fn.spec.shortName, `scheduled invocation failed; Lambda retries it in ${attempt} minute(s)`);
      await new Promise((r) => setTimeout(r, attempt * 60_000).unref());
      if (this.stopping) return;
      const again = await fn.invoke(payload);
      if (again.ok) return;
      last = again.error;
    }
    await this.toFailureDestination(fn, config, payload, last, maxRetries + 1);
  }

  private async toFailureDestination(
    fn: LocalFunction,
    config: AsyncInvokeConfig | undefined,
    payload: unknown,
    error: WorkerError,
    attempts: number,
  ): Promise<string | undefined> {
    const queue = config?.onFailureQueueLogicalId;
    const url = queue ? this.options.queueUrl(queue) : undefined;
    if (!queue || !url) return undefined;
    const record = invocationRecord(fn.spec.arn, payload, error, attempts, new Date(this.options.clock.nowMs()));
    await this.options.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(record) }));
    this.options.log(fn.spec.shortName, `scheduled invocation failed; its event is on ${queue}`);
    return queue;
  }
}
