import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { decodeSecret, sign, signDelivery, verifyDelivery } from '#lib/webhooks/standard-webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const body = Buffer.from('{"type":"referral.created","data":{}}');

const delivery = (headers: Record<string, string>, bytes = body) => ({
  id: headers['webhook-id'],
  timestamp: headers['webhook-timestamp'],
  signature: headers['webhook-signature'],
  body: bytes,
});

describe('Standard Webhooks verification', () => {
  it('accepts a delivery signed by the reference implementation (interop)', () => {
    // Prepare: the standardwebhooks package signs as a sender would
    const reference = new Webhook(SECRET);
    const signature = reference.sign('msg_1', new Date(NOW * 1000), body.toString());

    // Act
    const result = verifyDelivery(
      { id: 'msg_1', timestamp: String(NOW), signature, body },
      [decodeSecret(SECRET)],
      NOW,
    );

    // Assess
    expect(result).toEqual({ ok: true });
  });

  it('produces the same signature as the reference implementation', () => {
    const ours = signDelivery(SECRET, 'msg_2', NOW, body)['webhook-signature'];
    expect(ours).toBe(new Webhook(SECRET).sign('msg_2', new Date(NOW * 1000), body.toString()));
  });

  it('accepts any one of several space-separated signatures (sender rotating its secret)', () => {
    const good = signDelivery(SECRET, 'msg_3', NOW, body)['webhook-signature'];
    const stale = signDelivery(OTHER, 'msg_3', NOW, body)['webhook-signature'];
    const header = `${stale} v1a,ignored ${good}`;
    expect(verifyDelivery(delivery({ 'webhook-id': 'msg_3', 'webhook-timestamp': String(NOW), 'webhook-signature': header }), [decodeSecret(SECRET)], NOW)).toEqual({ ok: true });
  });

  it('accepts a delivery signed with any of our current secrets (our rotation)', () => {
    const headers = signDelivery(OTHER, 'msg_4', NOW, body);
    expect(verifyDelivery(delivery(headers), [decodeSecret(SECRET), decodeSecret(OTHER)], NOW)).toEqual({ ok: true });
  });

  it('refuses a body changed by one byte', () => {
    const headers = signDelivery(SECRET, 'msg_5', NOW, body);
    const tampered = Buffer.from(body.toString().replace('created', 'updated'));
    expect(verifyDelivery(delivery(headers, tampered), [decodeSecret(SECRET)], NOW)).toEqual({ ok: false, reason: 'no-matching-signature' });
  });

  it('refuses a signature made with another id (no replay under a new id)', () => {
    const headers = { ...signDelivery(SECRET, 'msg_6', NOW, body), 'webhook-id': 'msg_7' };
    expect(verifyDelivery(delivery(headers), [decodeSecret(SECRET)], NOW).ok).toBe(false);
  });

  it.each([
    ['exactly 5 minutes old', NOW - 300, { ok: true }],
    ['5 minutes and 1 second old', NOW - 301, { ok: false, reason: 'timestamp-too-old' }],
    ['exactly 5 minutes ahead', NOW + 300, { ok: true }],
    ['5 minutes and 1 second ahead', NOW + 301, { ok: false, reason: 'timestamp-too-new' }],
  ])('tolerance: a timestamp %s', (_name, sentAt, expected) => {
    const headers = signDelivery(SECRET, 'msg_8', sentAt, body);
    expect(verifyDelivery(delivery(headers), [decodeSecret(SECRET)], NOW)).toEqual(expected);
  });

  it.each([
    ['no id', { 'webhook-timestamp': String(NOW), 'webhook-signature': 'v1,abc' }, 'missing-headers'],
    ['no signature', { 'webhook-id': 'm', 'webhook-timestamp': String(NOW) }, 'missing-headers'],
    ['a timestamp in milliseconds', { 'webhook-id': 'm', 'webhook-timestamp': `${NOW}000x`, 'webhook-signature': 'v1,abc' }, 'malformed-timestamp'],
    ['a truncated signature', { 'webhook-id': 'm', 'webhook-timestamp': String(NOW), 'webhook-signature': 'v1,YWJj' }, 'no-matching-signature'],
    ['only an unknown scheme', { 'webhook-id': 'm', 'webhook-timestamp': String(NOW), 'webhook-signature': 'v2,YWJj' }, 'no-matching-signature'],
  ])('refuses %s', (_name, headers, reason) => {
    expect(verifyDelivery(delivery(headers as Record<string, string>), [decodeSecret(SECRET)], NOW)).toEqual({ ok: false, reason });
  });

  it('refuses a secret too short to be one', () => {
    expect(() => decodeSecret('whsec_YWJj')).toThrow(/16 bytes/);
  });

  it('signs id.timestamp.body with HMAC-SHA256', () => {
    // Worked example, independently computable: base64(HMAC_SHA256(key, "msg_9.1767225600.{}"))
    const key = decodeSecret(SECRET);
    expect(sign(key, 'msg_9', String(NOW), Buffer.from('{}'))).toBe(
      new Webhook(SECRET).sign('msg_9', new Date(NOW * 1000), '{}').slice(3),
    );
  });
});
