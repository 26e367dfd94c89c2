import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { signDelivery, verifyDelivery } from '#lib/webhooks/standard-webhooks';
import { loadVerificationKeys, loadWebhookKeys } from '#lib/webhooks/webhook-secrets';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEXT = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const body = Buffer.from('{"type":"referral.created","data":{}}');

const delivery = (headers: Record<string, string>) => ({
  id: headers['webhook-id'],
  timestamp: headers['webhook-timestamp'],
  signature: headers['webhook-signature'],
  body,
});

describe('webhook secrets', () => {
  it('verifies with the imported keys exactly as with the decoded bytes', async () => {
    // Prepare: the reference implementation signs as the regional inbox would
    const signature = new Webhook(SECRET).sign('msg_1', new Date(NOW * 1000), body.toString());
    const signed = { id: 'msg_1', timestamp: String(NOW), signature, body };

    // Act
    const imported = await loadVerificationKeys({ secrets: SECRET });
    const decoded = await loadWebhookKeys({ secrets: SECRET });

    // Assess
    expect(verifyDelivery(signed, imported, NOW)).toEqual({ ok: true });
    expect(verifyDelivery(signed, decoded, NOW)).toEqual({ ok: true });
    expect(imported[0]!.export()).toEqual(decoded[0]);
  });

  it('imports the keys once per secret value, and again when a rotation changes it', async () => {
    const first = await loadVerificationKeys({ secrets: SECRET });
    expect(await loadVerificationKeys({ secrets: SECRET })).toBe(first);

    const rotating = await loadVerificationKeys({ secrets: `${SECRET} ${NEXT}` });
    expect(rotating).not.toBe(first);
    expect(rotating).toHaveLength(2);
    expect(verifyDelivery(delivery(signDelivery(NEXT, 'msg_2', NOW, body)), rotating, NOW)).toEqual({ ok: true });

    const rotated = await loadVerificationKeys({ secrets: NEXT });
    expect(verifyDelivery(delivery(signDelivery(SECRET, 'msg_3', NOW, body)), rotated, NOW)).toEqual({ ok: false, reason: 'no-matching-signature' });
  });

  it('refuses an empty secret, however often asked', async () => {
    await expect(loadVerificationKeys({ secrets: '  ' })).rejects.toThrow(/empty/);
    await expect(loadVerificationKeys({ secrets: '' })).rejects.toThrow(/empty/);
    await expect(loadWebhookKeys({ secrets: ' ' })).rejects.toThrow(/empty/);
  });
});
