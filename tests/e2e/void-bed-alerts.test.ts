/**
 * Void-bed alerts end to end on the local stack (`npm start`'s runner, the bundled app): seed the
 * sample estate, take referrals over the signed webhook, admit a child and end the placement through
 * the manager API, let the monitor run (from the checks queue, then the daily schedule), and read
 * the alerts from the VoidBedAlertsQueue subscription of the alerts topic: one for the emptied bed,
 * naming the open referral that fits it best, and none twice. Then the KPIs over HTTP, JSON and CSV.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsClient } from '#infra/local/emulators';
import type { BatchOutcome } from '#infra/local/event-source-mapping';
import { startLocalStack, type LocalStack } from '#infra/local/runner';
import { seedLocalStack } from '#infra/local/seed-local';
import { addDays } from '#lib/time/calendar';
import { sampleEvent } from '#tests/support/sample-events';
import { testDir } from '#tests/support/test-dir';
import { bundledAssembly, eventually, postSignedDelivery, sharedStackOptions } from './support';
import { testToday } from '#tests/support/clock';

const today = testToday;
const created = JSON.parse(sampleEvent('referrals/created.json', today)) as {
  type: string;
  data: { referralId: string; child: Record<string, string>; sought: Record<string, unknown> };
};

/** The sample referral as another referral: a 15-year-old seeking a K2 children's home, needed from today. */
function referral(referralId: string, homePostcode: string, schoolPostcodeSector: string): string {
  const body = structuredClone(created);
  body.data.referralId = referralId;
  body.data.child.homePostcode = homePostcode;
  body.data.child.schoolPostcodeSector = schoolPostcodeSector;
  body.data.sought.neededFrom = today;
  return JSON.stringify(body);
}

const dataDir = testDir('void-beds');
let stack: LocalStack;
const batches: Array<{ mapping: string; outcome: BatchOutcome }> = [];
const logs: string[] = [];

beforeAll(async () => {
  const cdkOut = await bundledAssembly();
  stack = await startLocalStack({
    ...sharedStackOptions('vb'),
    cdkOut,
    dataDir,
    ports: 0,
    schedules: false,
    log: (source, line) => logs.push(`[${source}] ${line}`),
    onBatch: (mapping, outcome) => batches.push({ mapping, outcome }),
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function api(method: string, path: string, body?: unknown, role = 'residential-manager'): Promise<{ status: number; body: any; type: string }> {
  const token = stack.info.auth!.tokens[role]!;
  const response = await fetch(`${stack.info.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, body: type.includes('json') ? await response.json() : await response.text() };
}

/** Every alert on the topic's SQS subscription, taken off it. */
async function drainAlerts(): Promise<Array<{ Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> }>> {
  const sqs = sqsClient(stack.info.endpoints.sqs);
  const url = stack.info.queues.VoidBedAlertsQueue!.url;
  const all: Message[] = [];
  try {
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      if (Messages.length === 0) break;
      all.push(...Messages);
      for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
  } finally {
    sqs.destroy();
  }
  return all.map((m) => JSON.parse(m.Body!));
}

describe('void-bed alerts on the local stack', () => {
  let placementId: string;

  it('seeds the estate, takes two referrals, admits a child into hv-3 and ends the placement', async () => {
    expect((await seedLocalStack(stack.info)).created).toContain('harbour-view');
    for (const body of [referral('E2E-PLACED', 'NE8 1HH', 'NE8 3'), referral('E2E-NEAR', 'NE30 2AA', 'NE30 1'), referral('E2E-FAR', 'TS1 1AA', 'TS1 1')]) {
      expect((await postSignedDelivery(stack.info, body)).status).toBe(202);
    }

    const admitted = await api('POST', '/api/referrals/E2E-PLACED/admission', { bedId: 'hv-3', startDate: addDays(today, -2) });
    expect(admitted.status).toBe(201);
    placementId = admitted.body.placementId;
    const ended = await api('POST', `/api/placements/${placementId}/end`, { endDate: today, reasonPlacementChange: 'CHILD' });
    expect(ended).toMatchObject({ status: 200, body: { status: 'ended', ending: { endDate: today, planned: false } } });

    // The end asked the monitor to check hv-3: it took the message off the checks queue.
    await eventually(() => Promise.resolve(batches.some((b) => b.mapping === 'VoidBedMonitorFunctionFromVoidBedChecksQueue' && b.outcome.deleted === 1)), 20_000, 'the monitor consuming the check');
  }, 60_000);

  it('runs the daily schedule and reads one alert for hv-3 from the SQS subscription, naming the best-fitting open referral first', async () => {
    const firing = await stack.fireSchedule('VoidBedMonitorSchedule');
    expect(firing.targets).toEqual([expect.objectContaining({ kind: 'lambda', ok: true })]);
    const summary = firing.targets[0]!.payload as { checkedOn: string; beds: number; sent: { bedId: string }[]; alreadySent: number };
    expect(summary.checkedOn).toBe(today);
    // hv-3 was alerted from the checks queue already; the schedule found the other sellable beds void (nobody lives in them).
    expect(summary.alreadySent).toBe(1);
    expect(summary.sent.map((s) => s.bedId)).not.toContain('hv-3');
    expect(summary.sent).toHaveLength(11);

    const alerts = await drainAlerts();
    const forHv3 = alerts.filter((a) => a.MessageAttributes.bedId?.Value === 'hv-3');
    expect(forHv3).toHaveLength(1);
    const [alert] = forHv3 as [(typeof forHv3)[number]];
    expect(alert.Subject).toBe("Void bed: Harbour View children's home bed hv-3, 0 nights, GBP 0.00 not earned");
    expect(alert.Message).toContain(`emptied by an unplanned end (CHILD: Child requests placement end) of placement ${placementId} on ${today}`);
    // NE30 is Harbour View's own district; TS1 is Middlesbrough: both fit, the near one best.
    expect(alert.Message).toMatch(/1\. E2E-NEAR from Gateshead \(LA 390\): score \d+/);
    expect(alert.Message).toMatch(/2\. E2E-FAR from Gateshead \(LA 390\): score \d+/);
    expect(alert.MessageAttributes.referralIds?.Value).toBe('E2E-NEAR,E2E-FAR');
    for (const child of ['2011-03-14', 'GH-CLA-7731', 'NE30 2AA']) expect(alert.Message).not.toContain(child);
    // Every other sellable bed is void too (the sample estate is otherwise empty): one alert each, all different beds.
    const beds = alerts.map((a) => a.MessageAttributes.bedId?.Value);
    expect(new Set(beds).size).toBe(beds.length);
    expect(beds).toHaveLength(summary.sent.length + 1);
  }, 60_000);

  it('sends nothing new when the schedule fires again the same day', async () => {
    const again = await stack.fireSchedule('VoidBedMonitorSchedule');
    expect(again.targets[0]).toMatchObject({ ok: true, payload: { sent: [] } });
    expect(await drainAlerts()).toEqual([]);
  }, 30_000);

  it('a week later sends hv-3’s 7-night alert with the income not earned: £4,020.00', async () => {
    const weekOn = await stack.fireSchedule('VoidBedMonitorSchedule', new Date(Date.parse(`${addDays(today, 7)}T07:00:00Z`)));
    expect(weekOn.targets[0]).toMatchObject({ ok: true });
    const hv3 = (await drainAlerts()).filter((a) => a.MessageAttributes.bedId?.Value === 'hv-3');
    expect(hv3.map((a) => [a.MessageAttributes.threshold?.Value, a.MessageAttributes.incomeNotEarnedPence?.Value])).toEqual([['void-7-nights', '402000']]);
  }, 30_000);

  it('serves the KPIs over HTTP as JSON and CSV', async () => {
    const query = `from=${addDays(today, -7)}&to=${addDays(today, 1)}`;
    const json = await api('GET', `/api/kpis?${query}`, undefined, 'finance');
    expect(json.status).toBe(200);
    expect(json.body.placementsAgreed.count).toBe(1);
    expect(json.body.endings).toMatchObject({ total: 1, breakdowns: 1 });
    // 12 sellable beds × 8 nights; hv-3 lived in for 2 of them.
    expect(json.body.occupancy.overall).toMatchObject({ beds: 12, sellableBedNights: 96, occupiedBedNights: 2 });
    const csv = await api('GET', `/api/kpis?${query}&format=csv`, undefined, 'finance');
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.body).toContain('occupancy,all,actual_bed_nights,2\r\n');
  }, 30_000);
});
