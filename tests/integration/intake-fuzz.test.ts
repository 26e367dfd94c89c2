import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReferralEvent } from '#lib/referrals/schema';
import { signDelivery } from '#lib/webhooks/standard-webhooks';
import { startIntakeHarness, type IntakeHarness } from '#tests/support/intake-harness';
import { apiGatewayEvent, readEvent, TEST_WEBHOOK_SECRET } from '#tests/support/webhook';
import { lambdaContext } from '#tests/support/lambda-context';

/**
 * 1,000+ hostile deliveries through the real handler against the emulators:
 * every answer is a 4xx problem, never a 5xx, and nothing is written anywhere.
 */

let harness: IntakeHarness;
beforeAll(async () => {
  harness = await startIntakeHarness('fuzz');
});

const valid = JSON.parse(readEvent('referrals/created.json'));
const now = () => Math.floor(harness.clock.nowMs() / 1000);
const seen: number[] = [];

async function post(headers: Record<string, string>, body: string, base64 = false) {
  const event = apiGatewayEvent(headers, base64 ? Buffer.from(body).toString('base64') : body, base64);
  const response = await harness.handler(event, lambdaContext());
  seen.push(response.statusCode);
  return response;
}

function expectRefused(response: { statusCode: number; headers?: Record<string, unknown>; body: string }) {
  expect(response.statusCode).toBeGreaterThanOrEqual(400);
  expect(response.statusCode).toBeLessThan(500);
  expect(response.headers?.['content-type']).toBe('application/problem+json');
  expect(JSON.parse(response.body)).toMatchObject({ status: response.statusCode, type: expect.any(String), title: expect.any(String) });
}

const signed = (body: string, id = `fuzz_${Math.random().toString(36).slice(2)}`) => signDelivery(TEST_WEBHOOK_SECRET, id, now(), body);

/** Every path to a leaf of the sample referral, for targeted mutations. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...prefix, Array.isArray(value) ? Number(k) : k]));
}
const paths = leafPaths(valid);

function setPath(root: unknown, path: (string | number)[], replacement: unknown, remove: boolean) {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

describe('hostile deliveries', () => {
  it('signed bodies that are not JSON, or not objects', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 2000 }), fc.json().filter((j) => !j.trim().startsWith('{'))), async (body) => {
        expectRefused(await post(signed(body), body));
      }),
      { numRuns: 250 },
    );
  });

  it('signed referrals with one field of the wrong type, out of range, or missing', async () => {
    const hostileValue = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer({ min: -1e12, max: 1e12 }),
      fc.string({ maxLength: 50 }),
      fc.string({ minLength: 2001, maxLength: 4000 }),
      fc.array(fc.anything(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.anything(), { maxKeys: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), hostileValue, fc.boolean(), async (path, value, remove) => {
        const body = setPath(valid, path, value, remove);
        // Only hostile inputs: a mutation that happens to stay valid is not one.
        fc.pre(!ReferralEvent.safeParse(body).success);
        const text = JSON.stringify(body);
        expectRefused(await post(signed(text), text, Math.random() < 0.2));
      }),
      { numRuns: 500 },
    );
  });

  it('valid bodies with missing, malformed, forged or stale signature headers', async () => {
    const text = JSON.stringify(valid);
    const headerAttack = fc.oneof(
      fc.record({ 'webhook-id': fc.string(), 'webhook-timestamp': fc.string() }),
      fc.record({ 'webhook-id': fc.string({ minLength: 1 }), 'webhook-timestamp': fc.constant(String(now())), 'webhook-signature': fc.base64String().map((s) => `v1,${s}`) }),
      fc.record({ 'webhook-id': fc.constant('msg_x'), 'webhook-timestamp': fc.integer({ min: 0, max: now() - 301 }).map(String), 'webhook-signature': fc.constant('v1,AAAA') }),
      fc.record({ 'webhook-id': fc.string(), 'webhook-timestamp': fc.string(), 'webhook-signature': fc.string() }),
      fc.integer({ min: 301, max: 10_000_000 }).map((skew) => signDelivery(TEST_WEBHOOK_SECRET, 'msg_stale', now() - skew, text)),
      fc.constant(signDelivery('whsec_' + Buffer.alloc(32, 9).toString('base64'), 'msg_other_secret', now(), text)),
    );
    await fc.assert(
      fc.asyncProperty(headerAttack, async (headers) => {
        const response = await post(headers as Record<string, string>, text);
        expectRefused(response);
      }),
      { numRuns: 250 },
    );
  });

  it('huge bodies and huge strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 256 * 1024 + 1, max: 1024 * 1024 }), fc.boolean(), async (size, signIt) => {
        const body = JSON.stringify({ ...valid, data: { ...valid.data, filler: 'x'.repeat(size) } });
        const response = await post(signIt ? signed(body) : {}, body);
        expectRefused(response);
        expect(response.statusCode).toBe(413);
      }),
      { numRuns: 25 },
    );
  });

  it('wrote nothing and enqueued nothing', async () => {
    expect(seen.length).toBeGreaterThanOrEqual(1000);
    expect(seen.every((status) => status >= 400 && status < 500)).toBe(true);
    expect(await harness.countItems()).toEqual({ referrals: 0, idempotency: 0 });
    expect(await harness.drainMatchingQueue()).toEqual([]);
  });
});
