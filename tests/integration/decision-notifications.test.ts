/**
 * The placing council hears of every decision on its referral: each decision made through the API
 * writes its notice to the outbox in the decision's own transaction; the API hands what is due to
 * the deliveries queue at once, the outbox function sends lapses when offers run out, and the
 * delivery sender posts each as a signed Standard Webhooks delivery to the regional inbox. Bodies
 * carry the council's reference for the child, never a name or date of birth.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV } from '#lib/config';
import { sampleEstate } from '#lib/estate/seed';
import { DynamoDeliveryLog } from '#lib/outbound/dynamo-delivery-log';
import { endpointIds, endpointKeys } from '#lib/outbound/endpoint-secrets';
import { stackClock } from '#lib/stack-clock';
import { addDays } from '#lib/time/calendar';
import { decodeSecret } from '#lib/webhooks/standard-webhooks';
import { generateSecret } from '#infra/local/secrets';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';
import { emulatorClients } from '#tests/support/emulators';
import { lambdaContext } from '#tests/support/lambda-context';
import { consumeUntilEmpty } from '#tests/support/queue-consumer';
import { startWebhookReceiver, type WebhookReceiver } from '#tests/support/webhook-receiver';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const MASTER = generateSecret();
const HOUR = 3_600_000;

let h: ApiHarness;
let receiver: WebhookReceiver;
let sender: SqsHandler;
let sweeper: (event: unknown, context: Context) => Promise<{ sent: number; dropped: number }>;
const referrals: Record<string, { dateOfBirth: string; initials: string; childReference: string }> = {};
const ids: Record<string, string> = {};

async function ok(answer: Promise<{ status: number; body: any }>, status = 200) {
  const settled = await answer;
  expect(settled.status, JSON.stringify(settled.body)).toBe(status);
  return settled.body;
}
const send = () => consumeUntilEmpty(sender, emulatorClients().sqs, h.stack.queues.DeliveriesQueue!, 'delivery-sender');
/** The order decisions happen in; webhooks may arrive in any order (a batch is sent in parallel, retries overtake). */
const ORDER = ['placement.offer.made', 'placement.offer.accepted', 'placement.offer.withdrawn', 'placement.offer.lapsed', 'placement.admitted', 'placement.moved', 'placement.ended'];
/** The notices the inbox applied for a referral, as parsed bodies, in the order of the decisions. */
const heard = (referralId: string) =>
  receiver.applied
    .map((id) => receiver.received.find((r) => r.id === id && r.status === 200)!)
    .map((r) => JSON.parse(r.body))
    .filter((b) => b.data.referralId === referralId)
    .sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));

beforeAll(async () => {
  h = await startApiHarness('notifications');
  receiver = await startWebhookReceiver(() => endpointKeys([decodeSecret(MASTER)], endpointIds.regionalInbox), () => Math.floor(stackClock.nowMs() / 1000));
  vi.stubEnv(ENV.outboundSecrets, MASTER);
  vi.stubEnv(ENV.regionalInboxUrl, 'https://regional-inbox.example/webhooks/cared-for');
  vi.stubEnv(ENV.webhookBaseUrlOverride, receiver.url);
  vi.stubEnv(ENV.deliveryRetryBaseSeconds, '0');
  vi.stubEnv('AWS_ENDPOINT_URL_SESV2', 'http://127.0.0.1:9');
  sender = (await import('#functions/delivery-sender/handler')).handler as unknown as SqsHandler;
  sweeper = (await import('#functions/notification-outbox/handler')).handler as never;
  for (const home of sampleEstate()) await ok(h.call('PUT', `/api/homes/${home.id}`, { body: home }));
  for (const id of ['NOTE-1', 'NOTE-2', 'NOTE-3']) {
    const referral = await h.createReferral(id, (r) => {
      r.child.reference = `GH-${id}`;
    });
    referrals[id] = { dateOfBirth: referral.child.dateOfBirth, initials: referral.child.initials, childReference: referral.child.reference };
  }
}, 120_000);
afterAll(async () => {
  await Promise.all([h?.stop(), receiver?.stop()]);
});

describe('news of a referral, decision by decision', () => {
  it('offer made (price, how long held), accepted, admission with its 903 confirmation, move, end with its SSDA903 reason', async () => {
    // Admitted two days ago (recorded today), moved yesterday, ended today.
    const today = h.clock.today();
    const [twoDaysAgo, yesterday] = [addDays(today, -2), addDays(today, -1)];
    const offer = await ok(h.call('POST', '/api/referrals/NOTE-1/offers', { body: { bedId: 'hv-3' } }), 201);
    await ok(h.call('POST', `/api/offers/${offer.offerId}/acceptance`, { body: {} }));
    const placement = await ok(h.call('POST', '/api/referrals/NOTE-1/admission', { body: { startDate: twoDaysAgo } }), 201);
    const moved = await ok(h.call('POST', `/api/placements/${placement.placementId}/move`, { body: { toBedId: 'hv-4', date: yesterday } }), 201);
    const ended = await ok(h.call('POST', `/api/placements/${moved.continued.placementId}/end`, { body: { endDate: today, reasonPlacementChange: 'CARPL', reasonEpisodeCeased: 'E11' } }));
    ids.offer1 = offer.offerId;
    await send();

    const notices = heard('NOTE-1');
    expect(notices.map((n) => n.type)).toEqual(['placement.offer.made', 'placement.offer.accepted', 'placement.admitted', 'placement.moved', 'placement.ended']);
    const [made, , admitted, move, end] = notices;
    expect(made.data).toMatchObject({ offerId: offer.offerId, childReference: 'GH-NOTE-1', weeklyPricePence: offer.weeklyPricePence, heldUntil: offer.expiresAt, bedId: 'hv-3' });
    expect(admitted.data.confirmation).toMatchObject({
      placementId: placement.placementId,
      childReference: 'GH-NOTE-1',
      placementLocalAuthority: { laNumber: '392', onsCode: 'E08000022' },
      ssda903: { URN: placement.ofstedUrn, PL_POST: placement.homePostcode, PLACE: placement.placementType, PLACE_PROVIDER: 'PR2', DECOM: twoDaysAgo, PL_LA: 'E08000022' },
    });
    expect(move.data).toMatchObject({ date: yesterday, ended: { placementId: placement.placementId }, continued: { placementId: moved.continued.placementId, ssda903: { PL_LA: 'E08000022' } } });
    expect(end.data).toMatchObject({ endDate: ended.ending.endDate, reasonPlacementChange: 'CARPL', planned: true, reasonEpisodeCeased: 'E11', confirmation: { ssda903: { DEC: ended.ending.endDate, REASON_PLACE_CHANGE: 'CARPL', REC: 'E11' } } });
    // The 903 confirmation the API serves carries PL_LA too.
    const confirmation = await ok(h.call('GET', `/api/placements/${placement.placementId}/confirmation`, { as: 'placements-officer' }));
    expect(confirmation.ssda903).toMatchObject({ PL_LA: 'E08000022', URN: placement.ofstedUrn });
    console.log(`notifications: NOTE-1 heard ${notices.map((n) => n.type).join(', ')}`);
  });

  it('an offer declined is heard as withdrawn; an offer left unanswered is heard as lapsed when it runs out, and only then', async () => {
    const declined = await ok(h.call('POST', '/api/referrals/NOTE-2/offers', { body: { bedId: 'hv-3' } }), 201);
    await ok(h.call('POST', `/api/offers/${declined.offerId}/decline`, { body: {} }));
    const expiresAt = new Date(h.clock.nowMs() + 2 * HOUR).toISOString();
    const unanswered = await ok(h.call('POST', '/api/referrals/NOTE-3/offers', { body: { bedId: 'hv-3', expiresAt } }), 201);
    await send();
    expect(heard('NOTE-2').map((n) => [n.type, n.data.reason])).toEqual([
      ['placement.offer.made', undefined],
      ['placement.offer.withdrawn', 'declined'],
    ]);
    expect(heard('NOTE-3').map((n) => n.type)).toEqual(['placement.offer.made']);

    // Before it runs out the sweep sends nothing; after, the lapse (and drops the accepted and declined offers' lapses when theirs come due).
    expect(await sweeper({ time: h.clock.iso() }, lambdaContext('notification-outbox'))).toMatchObject({ sent: 0 });
    h.clock.advance(3 * HOUR);
    expect(await sweeper({ time: h.clock.iso() }, lambdaContext('notification-outbox'))).toMatchObject({ sent: 1 });
    h.clock.advance(72 * HOUR);
    expect(await sweeper({ time: h.clock.iso() }, lambdaContext('notification-outbox'))).toEqual({ sent: 0, dropped: 2 });
    await send();
    expect(heard('NOTE-3').map((n) => [n.type, n.data.offerId])).toEqual([
      ['placement.offer.made', unanswered.offerId],
      ['placement.offer.lapsed', unanswered.offerId],
    ]);
    expect(heard('NOTE-1').map((n) => n.type)).not.toContain('placement.offer.lapsed');
  });

  it('every notice signed, each message once, never a child’s name or date of birth, in the bodies or the delivery log', async () => {
    expect(receiver.received.every((r) => r.signatureValid && r.status === 200)).toBe(true);
    expect(new Set(receiver.applied).size).toBe(receiver.applied.length);
    const log = new DynamoDeliveryLog(h.db, h.stack.tables.DeliveriesTable!);
    for (const [id, child] of Object.entries(referrals)) {
      const bodies = heard(id).map((n) => JSON.stringify(n));
      const entries = JSON.stringify(await log.entriesFor(`REFERRAL#${id}`));
      for (const text of [...bodies, entries]) {
        expect(text).not.toContain(child.dateOfBirth);
        expect(text).not.toMatch(/dateOfBirth|initials/);
      }
      expect(entries).toContain('"event":"sent"');
    }
    console.log(`notifications: ${receiver.applied.length} notices applied by the inbox, ${receiver.received.length} requests, all signed; none carries a name or date of birth`);
  });
});
