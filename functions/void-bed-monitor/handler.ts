import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SNSClient } from '@aws-sdk/client-sns';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { documentClient } from '#lib/aws/clients';
import { systemClock } from '#lib/clock';
import { parseConfig, voidBedMonitorConfigSchema } from '#lib/config';
import { londonDateAt } from '#lib/time/calendar';
import { VoidBedCheckRequest } from '#lib/void-beds/check-request';
import { DynamoAlertRecords } from '#lib/void-beds/dynamo-alert-records';
import { DynamoOpenReferrals, DynamoVoidBedEstate } from '#lib/void-beds/dynamo-void-bed-estate';
import { SnsAlertPublisher } from '#lib/void-beds/sns-alert-publisher';
import { VoidBedMonitor, type CheckMoment, type CheckSummary } from '#lib/void-beds/void-bed-monitor';

/**
 * The void-bed monitor. Two ways in:
 *  - the daily schedule (EventBridge, 07:00 UTC): every bed, for the London
 *    date of the event's `time` (so a late or repeated firing checks the day
 *    it was meant for; LocalStack may fire twice, and sends nothing twice);
 *  - the void-bed checks queue: the beds a placement end or move touched,
 *    checked now; one record per change, failing alone.
 * Logs and metrics carry bed, home and referral ids and thresholds: never anything about a child.
 */

const config = parseConfig(voidBedMonitorConfigSchema);
const logger = new Logger({ serviceName: 'void-bed-monitor' });
const metrics = new Metrics({ namespace: 'CaredFor', serviceName: 'void-bed-monitor' });
const db = documentClient();
const monitor = new VoidBedMonitor({
  estate: new DynamoVoidBedEstate(db, { estate: config.estateTable, placements: config.placementsTable }),
  referrals: new DynamoOpenReferrals(db, config.referralsTable),
  records: new DynamoAlertRecords(db, config.alertsTable),
  publisher: new SnsAlertPublisher(new SNSClient({}), config.alertsTopicArn),
});
const processor = new BatchProcessor(EventType.SQS, { logger });

/** EventBridge's scheduled event; `time` is when it was due. An empty event (a manual invoke) means now. */
const ScheduledCheck = z.object({ time: z.iso.datetime().optional() });

function isQueueBatch(event: unknown): event is SQSEvent {
  return typeof event === 'object' && event !== null && Array.isArray((event as SQSEvent).Records);
}

function now(): CheckMoment {
  const nowMs = systemClock.nowMs();
  return { today: londonDateAt(nowMs), asOfMs: nowMs };
}

function report(summary: CheckSummary, trigger: string): void {
  logger.info('void-bed check', {
    trigger,
    checkedOn: summary.checkedOn,
    beds: summary.beds,
    void: summary.void,
    sent: summary.sent,
    alreadySent: summary.alreadySent,
    failed: summary.failed,
  });
  metrics.addMetric('BedsChecked', MetricUnit.Count, summary.beds);
  metrics.addMetric('VoidBedAlertsSent', MetricUnit.Count, summary.sent.length);
  metrics.addMetric('VoidBedAlertsAlreadySent', MetricUnit.Count, summary.alreadySent);
  if (summary.failed.length > 0) metrics.addMetric('BedChecksFailed', MetricUnit.Count, summary.failed.length);
}

/** One queued check. A bed that could not be checked fails the record: retried, and after 5 receives dead-lettered. */
async function checkRecord(record: SQSRecord): Promise<CheckSummary> {
  let json: unknown;
  try {
    json = JSON.parse(record.body);
  } catch {
    throw new SyntaxError('the check request is not JSON');
  }
  const request = VoidBedCheckRequest.parse(json);
  const summary = await monitor.checkBeds(request.bedIds, now(), [request.placementId]);
  report(summary, `${request.reason} ${request.placementId}`);
  if (summary.failed.length > 0) throw new Error(`${summary.failed.length} bed(s) could not be checked`);
  return summary;
}

type Answer = SQSBatchResponse | Omit<CheckSummary, 'outcomes'>;

export const handler = middy<unknown, Answer>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    if (isQueueBatch(event)) return processPartialResponse(event, checkRecord, processor, { context });

    const { time } = ScheduledCheck.parse(event ?? {});
    const moment = time ? { today: londonDateAt(Date.parse(time)), asOfMs: Date.parse(time) } : now();
    const { outcomes: _perBed, ...summary } = await monitor.checkAll(moment);
    report({ ...summary, outcomes: [] }, 'schedule');
    // Fail the invocation so Lambda retries it (twice, a minute apart): the retry sends only what was not sent.
    if (summary.failed.length > 0) throw new Error(`${summary.failed.length} bed(s) could not be checked: ${summary.failed.map((f) => f.bedId).join(', ')}`);
    return summary;
  });
