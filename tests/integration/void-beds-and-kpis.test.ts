import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sampleEstate } from '#lib/estate/seed';
import { addDays } from '#lib/time/calendar';
import { alertKeys } from '#lib/void-beds/alert-keys';
import { DynamoAlertRecords } from '#lib/void-beds/dynamo-alert-records';
import { DynamoOpenReferrals, DynamoVoidBedEstate } from '#lib/void-beds/dynamo-void-bed-estate';
import { SnsAlertPublisher } from '#lib/void-beds/sns-alert-publisher';
import { VoidBedMonitor } from '#lib/void-beds/void-bed-monitor';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV } from '#lib/config';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';
import { TEST_NOW_MS, testToday } from '#tests/support/clock';
import { emulatorClients } from '#tests/support/emulators';
import { lambdaContext } from '#tests/support/lambda-context';
import { readEvent } from '#tests/support/webhook';

/**
 * Void-bed checks and KPIs against DynamoDB Local and fauxqs, through the real
 * api handler and the monitor's real adapters: ending a placement queues a
 * check of its bed; the monitor sends one alert to the topic, read back from
 * its SQS subscription; the KPIs count the stay to the night.
 */

let h: ApiHarness;
const today = testToday;
const start = addDays(today, -3);

async function receiveAll(queueUrl: string, wait = 1): Promise<Message[]> {
  const { sqs } = emulatorClients();
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: wait, MessageAttributeNames: ['All'] }));
  return Messages;
}

function monitor(): VoidBedMonitor {
  return new VoidBedMonitor({
    estate: new DynamoVoidBedEstate(h.db, h.tables),
    referrals: new DynamoOpenReferrals(h.db, h.tables.referrals),
    records: new DynamoAlertRecords(h.db, h.stack.tables.VoidBedAlertsTable!),
    publisher: new SnsAlertPublisher(emulatorClients().sns, h.stack.topics.VoidBedAlertsTopic!),
  });
}

let placementId: string;

beforeAll(async () => {
  h = await startApiHarness('void-beds');
  for (const home of sampleEstate().filter((x) => x.id === 'harbour-view')) {
    expect((await h.call('PUT', `/api/homes/${home.id}`, { body: home })).status).toBe(200);
  }
  await h.createReferral('VB-PLACED');
  // Open referrals: one that fits Harbour View (a 15-year-old, K2) and one that does not (supported accommodation).
  await h.createReferral('VB-OPEN-K2', (r) => {
    r.sought.neededFrom = today;
  });
  await h.createReferral('VB-OPEN-K3', (r) => {
    r.sought.placementType = 'K3';
  });
  const admitted = await h.call('POST', '/api/referrals/VB-PLACED/admission', { body: { bedId: 'hv-3', startDate: start } });
  expect(admitted.status).toBe(201);
  placementId = admitted.body.placementId;
  // hv-4 is lived in too, so only hv-3 is void tonight.
  await h.createReferral('VB-HV4');
  expect((await h.call('POST', '/api/referrals/VB-HV4/admission', { body: { bedId: 'hv-4', startDate: start } })).status).toBe(201);
}, 60_000);
afterAll(() => h.stop());

describe('a placement ends', () => {
  it('queues a check of its bed on the void-bed checks queue', async () => {
    const ended = await h.call('POST', `/api/placements/${placementId}/end`, { body: { endDate: today, reasonPlacementChange: 'CARPL' } });
    expect(ended.status).toBe(200);

    const [message] = await receiveAll(h.stack.queues.VoidBedChecksQueue!.url);
    expect(JSON.parse(message!.Body!)).toMatchObject({ bedIds: ['hv-3'], reason: 'placement-ended', placementId });
  });

  it('the monitor alerts once, naming the open referral that fits best, read back from the SQS subscription', async () => {
    const moment = { today, asOfMs: TEST_NOW_MS };
    const first = await monitor().checkBeds(['hv-3'], moment, [placementId]);
    const again = await monitor().checkAll(moment);

    expect(first.sent).toEqual([{ bedId: 'hv-3', threshold: 'became-void' }]);
    expect(again).toMatchObject({ sent: [], alreadySent: 1, void: 1 });
    const messages = await receiveAll(h.stack.queues.VoidBedAlertsQueue!.url);
    expect(messages).toHaveLength(1);
    const envelope = JSON.parse(messages[0]!.Body!) as { Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> };
    expect(envelope.Subject).toBe("Void bed: Harbour View children's home bed hv-3, 0 nights, GBP 0.00 not earned");
    expect(envelope.Message).toContain(`emptied by a planned end (CARPL: Change to/implementation of care plan) of placement ${placementId} on ${today}`);
    expect(envelope.Message).toContain('1. VB-OPEN-K2 from Gateshead (LA 390): score');
    expect(envelope.Message).not.toContain('VB-OPEN-K3');
    expect(envelope.MessageAttributes.bedId?.Value).toBe('hv-3');
    expect(envelope.MessageAttributes.referralIds?.Value).toBe('VB-OPEN-K2');

    const { Item } = await h.db.send(
      new GetCommand({ TableName: h.stack.tables.VoidBedAlertsTable!, Key: alertKeys.alert({ bedId: 'hv-3', spellStart: today, threshold: 'became-void' }) }),
    );
    expect(Item).toMatchObject({ status: 'sent', homeId: 'harbour-view', nightsVoid: 0, referralIds: ['VB-OPEN-K2'] });
  });
});

describe('the void-bed monitor function', () => {
  async function monitorHandler() {
    vi.stubEnv(ENV.voidBedAlertsTable, h.stack.tables.VoidBedAlertsTable!);
    vi.stubEnv(ENV.voidBedAlertsTopicArn, h.stack.topics.VoidBedAlertsTopic!);
    const { handler } = (await import('#functions/void-bed-monitor/handler')) as { handler: (event: unknown, context: unknown) => Promise<unknown> };
    return handler;
  }

  it('checks every bed for the London date of the schedule event’s time: a fortnight on, hv-3’s 14-night alert', async () => {
    const handler = await monitorHandler();
    const event = { ...JSON.parse(readEvent('void-bed-monitor/schedule.json')), time: `${addDays(today, 14)}T07:00:00Z` };

    const summary = (await handler(event, lambdaContext('void-bed-monitor', 60_000))) as { checkedOn: string; sent: unknown[] };

    expect(summary).toMatchObject({ checkedOn: addDays(today, 14), beds: 4, void: 1, sent: [{ bedId: 'hv-3', threshold: 'void-14-nights' }] });
    const [message] = await receiveAll(h.stack.queues.VoidBedAlertsQueue!.url);
    expect(JSON.parse(message!.Body!).Message).toContain('Income not earned so far: £8,040.00 (14 nights at £4,020.00 a week, pro rata).');
  });

  it('takes checks off the queue one by one: a malformed one fails alone', async () => {
    const handler = await monitorHandler();
    const batch = JSON.parse(readEvent('void-bed-monitor/checks.json')) as SQSEvent;

    const response = (await handler(batch, lambdaContext('void-bed-monitor', 60_000))) as SQSBatchResponse;

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[1]!.messageId }]);
  });
});

describe('alert records', () => {
  it('twenty runs claiming one alert at once: exactly one may send it', async () => {
    const records = new DynamoAlertRecords(h.db, h.stack.tables.VoidBedAlertsTable!);
    const key = { bedId: 'race-bed', spellStart: '2026-12-01', threshold: 'void-7-nights' as const };
    const now = TEST_NOW_MS;
    const claims = await Promise.all(Array.from({ length: 20 }, () => records.claim(key, now, 30_000)));
    const winners = claims.filter((c) => c.kind === 'claimed');
    expect(winners).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'in-progress')).toHaveLength(19);

    // A send that failed gives the claim back; once sent, nobody claims it again.
    const token = (winners[0] as { token: string }).token;
    await records.release(key, token);
    const retry = await records.claim(key, now + 1, 30_000);
    expect(retry.kind).toBe('claimed');
    expect(await records.claim(key, now + 2, 30_000)).toEqual({ kind: 'in-progress' });
    const alert = { homeId: 'h', nightsVoid: 7, incomeNotEarnedPence: 1, referrals: [] } as never;
    await records.markSent(key, (retry as { token: string }).token, { messageId: 'm', subject: 's', alert, atMs: now });
    expect(await records.claim(key, now + 60_000, 30_000)).toEqual({ kind: 'already-sent' });
  });

  it('records since when a bed is tracked, conditionally on what was read', async () => {
    const records = new DynamoAlertRecords(h.db, h.stack.tables.VoidBedAlertsTable!);
    await records.recordSellableSince('track-1', '2026-11-01', undefined);
    await records.recordSellableSince('track-1', '2026-01-01', undefined); // lost: someone recorded it first
    await records.recordSellableSince('track-2', null, undefined);
    expect(await records.sellableSince(['track-1', 'track-2', 'track-3'])).toEqual(new Map([
      ['track-1', '2026-11-01'],
      ['track-2', null],
    ]));
    await records.recordSellableSince('track-2', '2026-11-23', null);
    expect((await records.sellableSince(['track-2'])).get('track-2')).toBe('2026-11-23');
  });
});

describe('GET /api/kpis', () => {
  const period = { from: addDays(today, -7), to: addDays(today, 1) };

  it('counts the week to the night: one admission, one planned end, 5 of 16 sellable bed nights', async () => {
    const answer = await h.call('GET', '/api/kpis', { as: 'finance', query: period });

    expect(answer.status).toBe(200);
    expect(answer.body.period).toEqual({ ...period, nights: 8 });
    expect(answer.body.placementsAgreed).toMatchObject({ count: 2, byPlacingAuthority: [{ laNumber: '390', name: 'Gateshead', count: 2 }] });
    expect(answer.body.endings).toMatchObject({ total: 1, plannedMoveOns: 1, breakdowns: 0, byReason: [{ code: 'CARPL', planned: true, count: 1 }] });
    // hv-3 lived in for 3 nights (start … today−1), hv-4 for 4 (start … today): 7 of 2 beds × 8 nights.
    expect(answer.body.occupancy.overall).toMatchObject({ beds: 2, sellableBedNights: 16, occupiedBedNights: 7, plannedBedNights: 0, targetBedNights: 13, occupiedPercent: 43.75 });
    expect(answer.body.occupancy.homes.map((x: any) => x.homeId)).toEqual(['harbour-view']);
    expect(answer.body.income).toMatchObject({ available: true, total: { netPence: 0 } });
    expect(answer.body.section17.spendInPeriod).toHaveLength(2);
  });

  it('answers CSV with ?format=csv', async () => {
    const answer = await h.call('GET', '/api/kpis', { as: 'service-manager', query: { ...period, format: 'csv' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.body).toContain('occupancy,all,actual_bed_nights,7\r\n');
  });

  it('is for managers and finance; a period must run forwards and be at most three years', async () => {
    expect((await h.call('GET', '/api/kpis', { as: 'placements-officer', query: period })).status).toBe(403);
    expect((await h.call('GET', '/api/kpis', { as: 'social-worker', query: period })).status).toBe(403);
    const backwards = await h.call('GET', '/api/kpis', { as: 'finance', query: { from: period.to, to: period.from } });
    expect(backwards).toMatchObject({ status: 400, body: { errors: [expect.objectContaining({ field: 'query.to' })] } });
    const long = await h.call('GET', '/api/kpis', { as: 'finance', query: { from: '2020-01-01', to: '2026-01-01' } });
    expect(long.status).toBe(400);
  });
});
