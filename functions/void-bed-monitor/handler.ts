import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from '#lib/validation';
import { documentClient, snsClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import { voidBedMonitorConfigSchema } from '#lib/config';
import { londonDateAt } from '#lib/time/calendar';
import { VoidBedCheckRequest } from '#lib/void-beds/check-request';
import { DynamoAlertRecords } from '#lib/void-beds/dynamo-alert-records';
import { DynamoOpenReferrals, DynamoVoidBedEstate } from '#lib/void-beds/dynamo-void-bed-estate';
import { SnsAlertPublisher } from '#lib/void-beds/sns-alert-publisher';
import { VoidBedMonitor, type CheckMoment, type CheckSummary } from '#lib/void-beds/void-bed-monitor';
import { functionKit, recordProcessor, scheduledFunction } from '#functions/kit/index';

/**
 * The void-bed monitor. Two ways in:
 *  - the daily schedule (EventBridge, 07:00 UTC): every bed, for the London
 *    date of the event's `time` (so a late or repeated firing checks the day
 *    it was meant for; LocalStack may fire twice, and sends nothing twice);
 *  - the void-bed checks queue: the beds a placement end or move touched,
 *    checked now; one record per change, failing alone.
 * Logs and metrics carry bed, home and referral ids and thresholds: never anything about a child.
 */

const kit = functionKit('void-bed-monitor', voidBedMonitorConfigSchema);
const { config, logger, metrics } = kit;
const db = documentClient({ budget: 'background' });
const monitor = new VoidBedMonitor({
  estate: new DynamoVoidBedEstate(db, { estate: config.estateTable, placements: config.placementsTable }),
  referrals: new DynamoOpenReferrals(db, config.referralsTable),
  records: new DynamoAlertRecords(db, config.alertsTable),
  publisher: new SnsAlertPublisher(snsClient('background'), config.alertsTopicArn),
});

/** EventBridge's scheduled event; `time` is when it was due. An empty event (a manual invoke) means now. */
const ScheduledCheck = z.object({ time: z.optional(z.iso.datetime()) });

const momentAt = (ms: number): CheckMoment => ({ today: londonDateAt(ms), asOfMs: ms });

function report(summary: CheckSummary, trigger: string): void {
  const { checkedOn, beds, void: voids, sent, alreadySent, failed } = summary;
  logger.info('void-bed check', { trigger, checkedOn, beds, void: voids, sent, alreadySent, failed });
  metrics.addMetric('BedsChecked', MetricUnit.Count, beds);
  metrics.addMetric('VoidBedAlertsSent', MetricUnit.Count, sent.length);
  metrics.addMetric('VoidBedAlertsAlreadySent', MetricUnit.Count, alreadySent);
  if (failed.length > 0) metrics.addMetric('BedChecksFailed', MetricUnit.Count, failed.length);
}

export const handler = scheduledFunction(kit, {
  event: ScheduledCheck,
  async handle({ time }) {
    const { outcomes: _perBed, ...summary } = await monitor.checkAll(momentAt(time ? Date.parse(time) : stackClock.nowMs()));
    report({ ...summary, outcomes: [] }, 'schedule');
    // Fail the invocation so Lambda retries it (twice, a minute apart): the retry sends only what was not sent.
    if (summary.failed.length > 0) throw new Error(`${summary.failed.length} bed(s) could not be checked: ${summary.failed.map((f) => f.bedId).join(', ')}`);
    return summary;
  },
  queue: recordProcessor(kit, {
    body: VoidBedCheckRequest,
    what: 'the check request',
    /** One queued check. A bed that could not be checked fails the record: retried, and after 5 receives dead-lettered. */
    async handle(request) {
      const summary = await monitor.checkBeds(request.bedIds, momentAt(stackClock.nowMs()), [request.placementId]);
      report(summary, `${request.reason} ${request.placementId}`);
      if (summary.failed.length > 0) throw new Error(`${summary.failed.length} bed(s) could not be checked`);
      return summary;
    },
  }),
});
