/**
 * `AWS::Lambda::EventSourceMapping` from an SQS queue, as Lambda's pollers run it: long-poll the
 * queue, gather a batch (BatchSize, MaximumBatchingWindowInSeconds), invoke the function with an SQS
 * event, then delete what succeeded. With ReportBatchItemFailures only the records the function
 * names in `batchItemFailures` stay; a thrown error (or a timeout) fails the whole batch. Failed
 * messages become visible again after the queue's visibility timeout, and fauxqs moves a message
 * to the DLQ on the receive after maxReceiveCount, exactly as SQS does.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { systemClock, type Clock } from '#lib/clock';
import type { LocalFunction } from './lambda-runtime';
import { LOCAL_REGION } from './constants';

export interface SqsMappingSpec {
  logicalId: string;
  queue: { logicalId: string; url: string; arn: string };
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  /** ScalingConfig.MaximumConcurrency: batches in flight at once. @default the function's concurrency */
  maximumConcurrency?: number;
  enabled: boolean;
}

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, { stringValue?: string; binaryValue?: string; stringListValues: string[]; binaryListValues: string[]; dataType: string }>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface BatchOutcome {
  received: number;
  deleted: number;
  failed: number;
  /** Why the whole batch failed, when it did. */
  error?: string;
}

export interface SqsPollerOptions {
  sqs: SQSClient;
  log: (line: string) => void;
  /** Called after every batch: tests and the bench watch progress through it. */
  onBatch?: (outcome: BatchOutcome) => void;
  /** The stack's clock: the records' timestamps are told in its time. @default the wall clock */
  clock?: Clock;
}

/** SQS's longest long poll, and the most messages one ReceiveMessage returns. */
const LONG_POLL_SECONDS = 20;
const RECEIVE_MAX = 10;

export class SqsPoller {
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;

  constructor(
    readonly spec: SqsMappingSpec,
    private readonly fn: LocalFunction,
    private readonly options: SqsPollerOptions,
  ) {}

  start(): void {
    if (!this.spec.enabled || this.loop) return;
    this.loop = this.run();
  }

  private get maxInFlight(): number {
    return Math.min(this.spec.maximumConcurrency ?? Infinity, this.fn.spec.concurrency);
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      try {
        while (this.inFlight.size >= this.maxInFlight && !signal.aborted) await Promise.race(this.inFlight);
        await this.fn.waitForCapacity();
        if (signal.aborted) return;
        const messages = await this.receiveBatch(signal);
        if (messages.length === 0) continue;
        const batch = this.invoke(messages).finally(() => this.inFlight.delete(batch));
        this.inFlight.add(batch);
      } catch (error) {
        if (signal.aborted) return;
        this.options.log(`${this.spec.logicalId}: polling ${this.spec.queue.logicalId} failed: ${(error as Error).message}; retrying in 1 s`);
        await sleep(1000, signal);
      }
    }
  }

  /** One long poll, then, with a batching window, more receives until the batch is full or the window ends. */
  private async receiveBatch(signal: AbortSignal): Promise<Message[]> {
    const messages = await this.receive(Math.min(this.spec.batchSize, RECEIVE_MAX), LONG_POLL_SECONDS, signal);
    if (messages.length === 0 || this.spec.maximumBatchingWindowSeconds <= 0) return messages;
    const windowEnds = Date.now() + this.spec.maximumBatchingWindowSeconds * 1000;
    while (messages.length < this.spec.batchSize && !signal.aborted) {
      const remainingSeconds = Math.floor((windowEnds - Date.now()) / 1000);
      if (remainingSeconds < 0) break;
      const more = await this.receive(Math.min(this.spec.batchSize - messages.length, RECEIVE_MAX), Math.min(remainingSeconds, LONG_POLL_SECONDS), signal);
      messages.push(...more);
      if (more.length === 0 && remainingSeconds === 0) break;
    }
    return messages;
  }

  private async receive(max: number, waitSeconds: number, signal: AbortSignal): Promise<Message[]> {
    const { Messages = [] } = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.spec.queue.url,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: signal },
    );
    return Messages;
  }

  /** Batches being handled now (none: the poller is waiting on its queue). */
  get busy(): number {
    return this.inFlight.size;
  }

  private async invoke(messages: Message[]): Promise<void> {
    const shiftMs = (this.options.clock ?? systemClock).nowMs() - Date.now();
    const records = messages.map((m) => toRecord(m, this.spec.queue.arn, shiftMs));
    let outcome: BatchOutcome;
    let failedIds = new Set<string>();
    try {
      const result = await this.fn.invoke({ Records: records });
      if (!result.ok) {
        outcome = { received: records.length, deleted: 0, failed: records.length, error: `${result.error.errorType}: ${result.error.errorMessage}` };
      } else {
        const failures = this.spec.reportBatchItemFailures ? batchItemFailures(result.payload, records) : new Set<string>();
        if (failures === 'invalid') {
          outcome = { received: records.length, deleted: 0, failed: records.length, error: 'the batchItemFailures response is malformed' };
        } else {
          failedIds = failures;
          const succeeded = records.filter((r) => !failures.has(r.messageId));
          await this.delete(succeeded);
          outcome = { received: records.length, deleted: succeeded.length, failed: failures.size };
        }
      }
    } catch (error) {
      if (this.abort.signal.aborted) return;
      outcome = { received: records.length, deleted: 0, failed: records.length, error: (error as Error).message };
    }
    if (this.abort.signal.aborted && outcome.error) return;
    if (outcome.error) {
      this.options.log(`${this.spec.logicalId}: batch of ${outcome.received} failed (${outcome.error}); it is retried after the visibility timeout`);
    } else if (outcome.failed > 0) {
      const counts = records.filter((r) => failedIds.has(r.messageId)).map((r) => r.attributes.ApproximateReceiveCount ?? '?');
      this.options.log(
        `${this.spec.logicalId}: ${outcome.failed} of ${outcome.received} records failed (receive count ${[...new Set(counts)].join(', ')}); ` +
          'they are retried after the visibility timeout, then dead-lettered after maxReceiveCount',
      );
    }
    this.options.onBatch?.(outcome);
  }

  private async delete(records: SqsRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += RECEIVE_MAX) {
      const chunk = records.slice(i, i + RECEIVE_MAX);
      const { Failed = [] } = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.spec.queue.url,
          Entries: chunk.map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
        }),
      );
      if (Failed.length > 0) this.options.log(`${this.spec.logicalId}: ${Failed.length} deletes failed: ${Failed.map((f) => f.Message).join('; ')}`);
    }
  }

  /** Stops receiving; batches in flight go on (see `drained`). */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** Resolves when the batches in flight have ended (their messages stay on the queue if they failed). */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}

/**
 * The record ids a partial-batch response names. Lambda fails the whole batch when the response
 * names an id that is empty or not in the batch.
 */
export function batchItemFailures(payload: unknown, records: readonly SqsRecord[]): Set<string> | 'invalid' {
  if (payload === null || payload === undefined) return new Set();
  if (typeof payload !== 'object') return new Set();
  const list = (payload as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return 'invalid';
  const ids = new Set(records.map((r) => r.messageId));
  const failed = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !ids.has(id)) return 'invalid';
    failed.add(id);
  }
  return failed;
}

/** Timestamps SQS puts in a record's attributes (epoch milliseconds). */
const TIMESTAMP_ATTRIBUTES = ['SentTimestamp', 'ApproximateFirstReceiveTimestamp'];

/** A received message as Lambda hands it over; its timestamps moved by `shiftMs` (the stack's clock against the queue's). */
export function toRecord(message: Message, queueArn: string, shiftMs = 0): SqsRecord {
  const attributes: Record<string, string> = { ...(message.Attributes as Record<string, string> | undefined) };
  for (const name of TIMESTAMP_ATTRIBUTES) {
    if (shiftMs !== 0 && attributes[name] !== undefined && /^\d+$/.test(attributes[name])) attributes[name] = String(Number(attributes[name]) + Math.round(shiftMs));
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, v]: [string, MessageAttributeValue]) => [
        name,
        {
          ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
          ...(v.BinaryValue !== undefined ? { binaryValue: Buffer.from(v.BinaryValue).toString('base64') } : {}),
          stringListValues: v.StringListValues ?? [],
          binaryListValues: (v.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
          dataType: v.DataType ?? 'String',
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * Waits until every queue the pollers consume is empty and no batch is being handled (two quiet
 * looks in a row), at most a minute: what a schedule firing queued is handled before the clock goes on.
 */
export async function waitUntilDrained(pollers: readonly SqsPoller[], sqs: SQSClient, isStopping: () => boolean, log: (line: string) => void): Promise<void> {
  const deadline = performance.now() + 60_000;
  let quietChecks = 0;
  while (performance.now() < deadline && !isStopping()) {
    const counts = await Promise.all(
      pollers.map(async (p) => {
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: p.spec.queue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
        );
        return p.busy + Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      }),
    );
    quietChecks = counts.every((n) => n === 0) ? quietChecks + 1 : 0;
    if (quietChecks >= 2) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  log('the queues did not drain within a minute: the clock goes on');
}
