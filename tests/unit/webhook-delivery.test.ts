import { describe, expect, it } from 'vitest';
import { decodeSecret, signDelivery } from '#lib/webhooks/standard-webhooks';
import { MAX_BODY_BYTES, outcomeResponse, receiveDelivery } from '#lib/referrals/webhook-delivery';
import { readEvent, TEST_WEBHOOK_SECRET } from '#tests/support/webhook';

const NOW = 1_763_900_000;
const keys = [decodeSecret(TEST_WEBHOOK_SECRET)];
const signed = (body: string, id = 'msg_1', at = NOW) => ({
  headers: signDelivery(TEST_WEBHOOK_SECRET, id, at, body),
  body: Buffer.from(body),
});
const apiEvent = (name: string) => JSON.parse(readEvent(`intake/${name}.json`));

describe('receiving a webhook delivery', () => {
  it('accepts a signed, valid delivery and fingerprints its body', () => {
    const received = receiveDelivery(signed(readEvent('referrals/created.json')), keys, NOW);
    expect(received.ok).toBe(true);
    if (received.ok) {
      expect(received.delivery.webhookId).toBe('msg_1');
      expect(received.delivery.bodySha256).toMatch(/^[0-9a-f]{64}$/);
      expect(received.delivery.event.type).toBe('referral.created');
    }
  });

  it('413 for a body over 256 KB, before anything else is checked', () => {
    const body = readEvent('referrals/oversize.json');
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES);
    const received = receiveDelivery({ headers: {}, body: Buffer.from(body) }, keys, NOW);
    expect(received).toMatchObject({ ok: false, problem: { status: 413 } });
  });

  it('401 for the bad-signature sample', () => {
    const event = apiEvent('bad-signature');
    const received = receiveDelivery({ headers: event.headers, body: Buffer.from(event.body) }, keys, NOW);
    expect(received).toMatchObject({ ok: false, problem: { status: 401, detail: expect.stringContaining('no signature') } });
  });

  it('401 for the stale-timestamp sample, whose signature is otherwise good', () => {
    const event = apiEvent('stale-timestamp');
    const stamped = Number(event.headers['webhook-timestamp']);
    expect(receiveDelivery({ headers: event.headers, body: Buffer.from(event.body) }, keys, stamped).ok).toBe(true);
    const received = receiveDelivery({ headers: event.headers, body: Buffer.from(event.body) }, keys, stamped + 301);
    expect(received).toMatchObject({ ok: false, problem: { status: 401, detail: expect.stringContaining('5 minutes') } });
  });

  it('400 malformed-json for the malformed sample', () => {
    const received = receiveDelivery(signed(readEvent('referrals/malformed.json')), keys, NOW);
    expect(received).toMatchObject({ ok: false, problem: { status: 400, type: expect.stringContaining('malformed-json') } });
  });

  it('400 naming each field for the schema-invalid sample', () => {
    const received = receiveDelivery(signed(readEvent('referrals/invalid.json')), keys, NOW);
    expect(received.ok).toBe(false);
    if (!received.ok) {
      expect(received.problem.status).toBe(400);
      expect(received.problem.errors?.map((e) => e.field).sort()).toEqual([
        'data.child.dateOfBirth',
        'data.child.sex',
        'data.placingAuthority.laNumber',
        'data.risks.riskMissing',
        'data.sought.maxWeeklyBudgetPence',
        'data.sought.placementType',
      ]);
    }
  });

  it('400 naming the header for a signed but unusable webhook-id', () => {
    const received = receiveDelivery(signed('{}', 'msg with spaces'), keys, NOW);
    expect(received).toMatchObject({ ok: false, problem: { status: 400, errors: [{ field: 'headers.webhook-id' }] } });
  });
});

describe('answering an intake outcome', () => {
  const result = { referralId: 'R1', status: 'open' as const, version: 1 };
  it('202 for a new effect, 200 for a repeat', () => {
    expect(outcomeResponse({ kind: 'accepted', result })).toMatchObject({ statusCode: 202, body: JSON.stringify(result) });
    expect(outcomeResponse({ kind: 'repeat', result })).toMatchObject({ statusCode: 200 });
  });
  it('409 problem+json for conflicts; Retry-After while a delivery is in progress', () => {
    const closed = outcomeResponse({ kind: 'conflict', reason: 'referral-closed', detail: 'closed' });
    expect(closed).toMatchObject({ statusCode: 409, headers: { 'content-type': 'application/problem+json' } });
    expect(JSON.parse(closed.body)).toMatchObject({ type: expect.stringMatching(/referral-closed$/), status: 409 });
    expect(outcomeResponse({ kind: 'conflict', reason: 'delivery-in-progress', detail: '' }).headers['retry-after']).toBe('5');
  });
});
