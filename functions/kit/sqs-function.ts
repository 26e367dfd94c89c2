import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod/mini';
import type { FunctionKit } from './function-kit';
import { parseRecordBody } from './record-body';

/** What one batch does with each of its records, and once after them all. */
export interface BatchWork<T> {
  handle(body: T, record: SQSRecord): Promise<unknown>;
  done?(): void;
}

export type RecordOptions<S extends z.ZodMiniType> = {
  /** What each message body is. */
  body: S;
  /** Names the body in errors, e.g. `the matching request`. */
  what: string;
  /** One record at a time, in the batch's order. @default false (in parallel) */
  inOrder?: boolean;
} & (
  | { handle: BatchWork<z.output<S>>['handle'] }
  /** A batch-wide setup (e.g. one read of the estate shared by every record), made afresh for each batch. */
  | { batch: () => BatchWork<z.output<S>> }
);

/** The partial-batch core, without middy: for functions that take a queue and something else. */
export function recordProcessor<C, S extends z.ZodMiniType>(kit: FunctionKit<C>, options: RecordOptions<S>) {
  const processor = new BatchProcessor(EventType.SQS, { logger: kit.logger });
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const work: BatchWork<z.output<S>> = 'batch' in options ? options.batch() : { handle: options.handle };
    const handleRecord = (record: SQSRecord) => work.handle(parseRecordBody(options.body, record.body, options.what), record);
    const response = await processPartialResponse(event, handleRecord, processor, { context, processInParallel: !options.inOrder });
    work.done?.();
    return response;
  };
}

/**
 * An SQS consumer reporting partial batch failures (Powertools batch): each
 * record's body is parsed with the no-echo parser and handled alone; a record
 * that throws is retried by SQS and, after maxReceiveCount, dead-lettered,
 * without holding back the rest. (When every record fails, Powertools throws:
 * the whole batch is retried, as Lambda does.)
 */
export function sqsFunction<C, S extends z.ZodMiniType>(kit: FunctionKit<C>, options: RecordOptions<S>) {
  const process = recordProcessor(kit, options);
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(kit.logger, { resetKeys: true }))
    .use(logMetrics(kit.metrics))
    .handler((event, context) => process(event, context));
}
