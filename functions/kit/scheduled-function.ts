import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { FunctionKit } from './function-kit';

export interface ScheduledOptions<E extends z.ZodMiniType, R> {
  /** The schedule's event (EventBridge `Scheduled Event`), or what a manual invoke sends. */
  event: E;
  handle(event: z.output<E>): Promise<R>;
  /**
   * Also a queue's consumer: an SQS batch goes to this instead (`recordProcessor(kit, …)`). Passed in
   * made, so a function without a queue does not bundle Powertools batch.
   */
  queue?: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
}

function isQueueBatch(event: unknown): event is SQSEvent {
  return typeof event === 'object' && event !== null && Array.isArray((event as SQSEvent).Records);
}

/**
 * A function a schedule invokes. The event is checked against its schema
 * (zod names fields, never values); a thrown error fails the invocation so
 * Lambda retries it, and the work must be idempotent per period (LocalStack
 * may fire twice).
 */
export function scheduledFunction<C, E extends z.ZodMiniType, R>(kit: FunctionKit<C>, options: ScheduledOptions<E, R>) {
  const records = options.queue;
  return middy<unknown, R | SQSBatchResponse>()
    .use(injectLambdaContext(kit.logger, { resetKeys: true }))
    .use(logMetrics(kit.metrics))
    .handler(async (event, context) => {
      if (records && isQueueBatch(event)) return records(event, context);
      return options.handle(options.event.parse(event ?? {}));
    });
}
