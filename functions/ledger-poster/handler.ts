import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord, SQSBatchResponse } from 'aws-lambda';
import { documentClient } from '#lib/aws/clients';
import { systemClock } from '#lib/clock';
import { ledgerPosterConfigSchema, parseConfig } from '#lib/config';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { Journal } from '#lib/ledger/journal';

const config = parseConfig(ledgerPosterConfigSchema);
const logger = new Logger({ serviceName: 'ledger-poster' });
const metrics = new Metrics({ namespace: 'CaredFor', serviceName: 'ledger-poster' });
const ledger = new DynamoLedger(documentClient(), config.ledgerTable);
const processor = new BatchProcessor(EventType.SQS, { logger });

/** One posting request: a journal, posted once however often it is delivered (keyed on its idempotency key). */
async function postJournal(record: SQSRecord): Promise<void> {
  const journal = Journal.parse(JSON.parse(record.body));
  const result = await ledger.post(journal, new Date(systemClock.nowMs()).toISOString());
  logger.info('journal', { idempotencyKey: journal.idempotencyKey, source: journal.source, result, messageId: record.messageId });
  metrics.addMetric(result === 'posted' ? 'JournalsPosted' : 'JournalsReplayed', MetricUnit.Count, 1);
}

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) => processPartialResponse(event, postJournal, processor, { context }));
