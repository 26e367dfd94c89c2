import { beforeAll, describe, expect, it } from 'vitest';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ReferralIntake } from '#lib/referrals/intake';
import { DynamoIntakeStore } from '#lib/referrals/dynamo-intake-store';
import { SqsMatchingPublisher } from '#lib/matching/sqs-matching-publisher';
import { ReferralEvent } from '#lib/referrals/schema';
import { startIntakeHarness, type IntakeHarness } from '#tests/support/intake-harness';
import { readEvent, signedEvent } from '#tests/support/webhook';
import { lambdaContext } from '#tests/support/lambda-context';

/** The intake handler against DynamoDB Local and fauxqs: no mocks of the database or the queue. */

let h: IntakeHarness;
beforeAll(async () => {
  h = await startIntakeHarness('intake');
});

const withId = (name: string, referralId: string) => {
  const body = JSON.parse(readEvent(`referrals/${name}.json`));
  body.data.referralId = referralId;
  return JSON.stringify(body);
};
const post = async (body: string, id?: string, base64 = false) => {
  const event = signedEvent(body, id ? { id } : {});
  if (base64) Object.assign(event, { body: Buffer.from(body).toString('base64'), isBase64Encoded: true });
  const response = await h.handler(event, lambdaContext());
  return { status: response.statusCode, body: JSON.parse(response.body) };
};

describe('referral intake against the emulators', () => {
  it('accepts a referral: 202, stored with its history, one matching request enqueued', async () => {
    const response = await post(withId('created', 'INT-1'));

    expect(response).toEqual({ status: 202, body: { referralId: 'INT-1', status: 'open', version: 1 } });
    const items = await h.referralItems('INT-1');
    expect(items.map((i) => i.sk)).toEqual(['CURRENT', 'HISTORY#000001']);
    expect(items[0]).toMatchObject({ gsi1pk: 'STATUS#open', version: 1, record: { referral: { child: { initials: 'JB' } } } });
    expect(await h.drainMatchingQueue()).toEqual([{ referralId: 'INT-1', version: 1, event: 'referral.created' }]);
  });

  it('applies an update and a withdrawal as new versions, then refuses a late update with 409 and writes nothing', async () => {
    await post(withId('created', 'INT-2'));
    expect(await post(withId('updated', 'INT-2'))).toMatchObject({ status: 202, body: { version: 2 } });
    expect(await post(withId('withdrawn', 'INT-2'))).toMatchObject({ status: 202, body: { version: 3, status: 'withdrawn' } });
    const before = await h.countItems();

    const late = await post(withId('updated', 'INT-2'));

    expect(late).toMatchObject({ status: 409, body: { type: expect.stringMatching(/referral-closed$/) } });
    expect(await h.countItems()).toEqual(before);
    expect((await h.drainMatchingQueue()).map((m) => m.version)).toEqual([1, 2, 3]);
    const history = (await h.referralItems('INT-2')).filter((i) => String(i.sk).startsWith('HISTORY#'));
    expect(history.map((i) => (i.entry as { event: string }).event)).toEqual(['referral.created', 'referral.updated', 'referral.withdrawn']);
  });

  it('accepts a body that API Gateway delivered base64-encoded, verifying the raw bytes', async () => {
    const response = await post(withId('created', 'INT-3'), undefined, true);
    expect(response.status).toBe(202);
    await h.drainMatchingQueue();
  });

  it('the same delivery posted 20 times, 10 of them at once: exactly one referral; its matching request sent by the first post and again by the first repeat only', async () => {
    // Prepare
    const body = withId('created', 'INT-4');
    const id = 'msg_twenty_times';
    const statuses: number[] = [];

    // Act: 5 in a row, 10 concurrently, 5 more in a row
    for (let i = 0; i < 5; i++) statuses.push((await post(body, id)).status);
    const burst = await Promise.all(Array.from({ length: 10 }, () => post(body, id)));
    statuses.push(...burst.map((r) => r.status));
    for (let i = 0; i < 5; i++) statuses.push((await post(body, id)).status);

    // Assess
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.every((s) => s === 202 || s === 200)).toBe(true);
    expect((await h.referralItems('INT-4')).map((i) => i.sk)).toEqual(['CURRENT', 'HISTORY#000001']);
    // At least once: the first post spends no write on recording its send, so the first repeat sends
    // the same request again and records it; no later copy sends. The matcher is idempotent per version.
    const request = { referralId: 'INT-4', version: 1, event: 'referral.created' };
    expect(await h.drainMatchingQueue()).toEqual([request, request]);
  });

  it('20 copies all at once still make one referral; every message they send is its one version; never 5xx', async () => {
    const body = withId('created', 'INT-5');
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(body, 'msg_twenty_at_once')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.every((s) => s === 202 || s === 200 || s === 409)).toBe(true);
    expect((await post(body, 'msg_twenty_at_once')).status).toBe(200);
    expect((await h.referralItems('INT-5'))).toHaveLength(2);
    const messages = await h.drainMatchingQueue();
    expect(messages.length).toBeGreaterThanOrEqual(1);
    for (const message of messages) expect(message).toEqual({ referralId: 'INT-5', version: 1, event: 'referral.created' });
    // Once a send is recorded, a copy sends nothing.
    expect((await post(body, 'msg_twenty_at_once')).status).toBe(200);
    expect(await h.drainMatchingQueue()).toEqual([]);
  });

  it('different deliveries racing on one referral become successive versions (optimistic concurrency)', async () => {
    await post(withId('created', 'INT-6'));
    const updates = await Promise.all(Array.from({ length: 4 }, () => post(withId('updated', 'INT-6'))));
    expect(updates.map((u) => u.status)).toEqual([202, 202, 202, 202]);
    expect(updates.map((u) => u.body.version).sort()).toEqual([2, 3, 4, 5]);
    const history = (await h.referralItems('INT-6')).filter((i) => String(i.sk).startsWith('HISTORY#'));
    expect(history).toHaveLength(5);
    expect((await h.drainMatchingQueue()).map((m) => m.version).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('a queue send failing after the write loses nothing: the sender\'s retry enqueues it, once', async () => {
    // Prepare: the real store and queue, with a publisher whose first send fails
    const real = new SqsMatchingPublisher(h.sqs, h.queueUrl);
    let failures = 1;
    const flaky = {
      publish: async (request: Parameters<typeof real.publish>[0]) => {
        if (failures-- > 0) throw Object.assign(new Error('send failed'), { name: 'TimeoutError' });
        await real.publish(request);
      },
    };
    const intake = new ReferralIntake(new DynamoIntakeStore(h.db, h.tables), flaky, h.clock);
    const event = ReferralEvent.parse(JSON.parse(withId('created', 'INT-7')));
    const delivery = { webhookId: 'msg_flaky', bodySha256: 'f'.repeat(64), event };

    // Act
    await expect(intake.accept(delivery)).rejects.toThrow(/could not be sent/);
    const storedButNotSent = await h.referralItems('INT-7');
    const queuedBeforeRetry = await h.drainMatchingQueue();
    const retry = await intake.accept(delivery);
    const repeat = await intake.accept(delivery);

    // Assess
    expect(storedButNotSent).toHaveLength(2);
    expect(queuedBeforeRetry).toEqual([]);
    expect(retry).toMatchObject({ kind: 'accepted', result: { version: 1 } });
    expect(repeat).toMatchObject({ kind: 'repeat' });
    expect(await h.drainMatchingQueue()).toEqual([{ referralId: 'INT-7', version: 1, event: 'referral.created' }]);
  });

  it('the SDK is configured to reach the emulator queue by its endpoint, not the queue URL host', async () => {
    await h.sqs.send(new SendMessageCommand({ QueueUrl: h.queueUrl, MessageBody: JSON.stringify({ referralId: 'probe', version: 1, event: 'referral.created' }) }));
    expect(await h.drainMatchingQueue()).toEqual([{ referralId: 'probe', version: 1, event: 'referral.created' }]);
  });
});
