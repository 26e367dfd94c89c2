import { describe, expect, it } from 'vitest';
import { MatchingEnqueueFailed, ReferralIntake, type IncomingDelivery } from '#lib/referrals/intake';
import type { MatchingRequest } from '#lib/matching/matching-request';
import { ReferralEvent } from '#lib/referrals/schema';
import { InMemoryIntakeStore } from '#tests/support/in-memory-intake-store';
import { readEvent } from '#tests/support/webhook';

const T0 = Date.parse('2026-11-23T09:00:00Z');

function harness() {
  let now = T0;
  const store = new InMemoryIntakeStore();
  const sent: MatchingRequest[] = [];
  let failSends = 0;
  const publisher = {
    async publish(request: MatchingRequest) {
      if (failSends > 0) {
        failSends--;
        throw Object.assign(new Error('queue unavailable'), { name: 'ServiceUnavailable' });
      }
      sent.push(request);
    },
  };
  const intake = new ReferralIntake(store, publisher, { nowMs: () => now });
  return {
    store,
    sent,
    intake,
    failNextSends: (n: number) => (failSends = n),
    advance: (ms: number) => (now += ms),
  };
}

const delivery = (name: string, webhookId: string, bodySha256 = `sha-${name}`): IncomingDelivery => ({
  webhookId,
  bodySha256,
  event: ReferralEvent.parse(JSON.parse(readEvent(`referrals/${name}.json`))),
});

describe('referral intake', () => {
  it('accepts a new referral: stores it, records history, enqueues one matching request', async () => {
    const h = harness();
    const outcome = await h.intake.accept(delivery('created', 'msg_1'));
    expect(outcome).toEqual({ kind: 'accepted', result: { referralId: 'NE12-2026-000123', status: 'open', version: 1 } });
    expect(h.store.referrals.get('NE12-2026-000123')?.version).toBe(1);
    expect(h.store.history).toHaveLength(1);
    expect(h.sent).toEqual([{ referralId: 'NE12-2026-000123', version: 1, event: 'referral.created' }]);
    // The first attempt spends no write on recording its send.
    expect(h.store.deliveries.get('msg_1')?.enqueuedAt).toBeUndefined();
  });

  it('answers a repeat of the same delivery as a repeat and changes nothing; the first repeat sends the request again, later ones do not', async () => {
    const h = harness();
    await h.intake.accept(delivery('created', 'msg_1'));
    const repeat = await h.intake.accept(delivery('created', 'msg_1'));
    const again = await h.intake.accept(delivery('created', 'msg_1'));
    expect(repeat).toEqual({ kind: 'repeat', result: { referralId: 'NE12-2026-000123', status: 'open', version: 1 } });
    expect(again).toEqual(repeat);
    // At least once: the repeat cannot tell the first send happened, so it sends the same request and records it.
    expect(h.sent).toEqual([
      { referralId: 'NE12-2026-000123', version: 1, event: 'referral.created' },
      { referralId: 'NE12-2026-000123', version: 1, event: 'referral.created' },
    ]);
    expect(h.store.deliveries.get('msg_1')?.enqueuedAt).toBe('2026-11-23T09:00:00.000Z');
    expect(h.store.history).toHaveLength(1);
  });

  it('refuses a webhook-id reused for a different body', async () => {
    const h = harness();
    await h.intake.accept(delivery('created', 'msg_1'));
    expect(await h.intake.accept(delivery('updated', 'msg_1'))).toMatchObject({ kind: 'conflict', reason: 'webhook-id-reused' });
    expect(h.store.referrals.get('NE12-2026-000123')?.version).toBe(1);
  });

  it('writes nothing for a conflicting event', async () => {
    const h = harness();
    await h.intake.accept(delivery('created', 'msg_1'));
    await h.intake.accept(delivery('withdrawn', 'msg_2'));
    const before = structuredClone([...h.store.deliveries.keys()]);
    expect(await h.intake.accept(delivery('updated', 'msg_3'))).toMatchObject({ kind: 'conflict', reason: 'referral-closed' });
    expect([...h.store.deliveries.keys()]).toEqual(before);
    expect(h.sent.map((r) => r.event)).toEqual(['referral.created', 'referral.withdrawn']);
  });

  it('does not lose a delivery whose matching request fails to send after the write', async () => {
    // Prepare: the queue fails once
    const h = harness();
    h.failNextSends(1);

    // Act: the first attempt fails; the sender retries the same delivery
    await expect(h.intake.accept(delivery('created', 'msg_1'))).rejects.toBeInstanceOf(MatchingEnqueueFailed);
    expect(h.store.referrals.has('NE12-2026-000123')).toBe(true);
    expect(h.sent).toHaveLength(0);
    const retry = await h.intake.accept(delivery('created', 'msg_1'));

    // Assess: the retry enqueues it, once; later repeats are plain repeats
    expect(retry).toMatchObject({ kind: 'accepted', result: { version: 1 } });
    expect(h.sent).toEqual([{ referralId: 'NE12-2026-000123', version: 1, event: 'referral.created' }]);
    expect(await h.intake.accept(delivery('created', 'msg_1'))).toMatchObject({ kind: 'repeat' });
    expect(h.store.history).toHaveLength(1);
  });

  it('a crashed first attempt (written, never sent) is sent by the sender\'s retry', async () => {
    const h = harness();
    const d = delivery('created', 'msg_1');
    await h.store.commit(
      { webhookId: 'msg_1', bodySha256: d.bodySha256, referralId: 'NE12-2026-000123', referralVersion: 1, referralStatus: 'open', matchingRequest: { referralId: 'NE12-2026-000123', version: 1, event: 'referral.created' }, acceptedAt: new Date(T0).toISOString() },
      { referralId: 'NE12-2026-000123', status: 'open', version: 1, placingLa: '390', createdAt: '', updatedAt: '' },
      { referralId: 'NE12-2026-000123', version: 1, event: 'referral.created', webhookId: 'msg_1', receivedAt: '', changed: [] },
      0,
    );
    expect(await h.intake.accept(d)).toMatchObject({ kind: 'repeat', result: { version: 1 } });
    expect(h.sent).toEqual([{ referralId: 'NE12-2026-000123', version: 1, event: 'referral.created' }]);
    expect(h.store.history).toHaveLength(1);
  });

  it('a repeat whose send fails answers 503 (the error), and the next repeat sends it', async () => {
    const h = harness();
    await h.intake.accept(delivery('created', 'msg_1'));
    h.failNextSends(1);
    await expect(h.intake.accept(delivery('created', 'msg_1'))).rejects.toBeInstanceOf(MatchingEnqueueFailed);
    expect(await h.intake.accept(delivery('created', 'msg_1'))).toMatchObject({ kind: 'repeat' });
    expect(h.sent).toHaveLength(2);
  });

  it('applies successive deliveries as successive versions', async () => {
    const h = harness();
    await h.intake.accept(delivery('created', 'msg_1'));
    await h.intake.accept(delivery('updated', 'msg_2'));
    const withdrawn = await h.intake.accept(delivery('withdrawn', 'msg_3'));
    expect(withdrawn).toMatchObject({ kind: 'accepted', result: { status: 'withdrawn', version: 3 } });
    expect(h.sent.map((r) => r.version)).toEqual([1, 2, 3]);
  });
});
