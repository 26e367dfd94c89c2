import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from '#infra/local/dynamodb-local';
import { sampleEstate } from '#lib/estate/seed';
import { startApiHarness, type ApiAnswer, type ApiHarness } from '#tests/support/api-harness';
import { testToday } from '#tests/support/clock';
import { applicationBody } from '#tests/support/section17';
import { changedTables, snapshotTables } from '#tests/support/table-snapshot';

/**
 * DynamoDB going away under the manager API, for real: the handler talks to
 * a DynamoDB Local of this test's own (data on disk) through a small TCP
 * relay. The test stops DynamoDB Local in the middle of a burst of
 * admissions, and later makes it hang (the relay holds connections without
 * answering). Every answer meanwhile is 503 with Retry-After, in
 * problem+json, never a 500 or a hang past the SDK's timeouts; once
 * DynamoDB is back the same requests succeed; and every referral, placement
 * and calendar agrees: each admission was written whole or not at all.
 */

let dynamo: DynamoDbLocal;
let dynamoRunning = false;
let relay: Relay;
let h: ApiHarness;
const dbPath = mkdtempSync(join(tmpdir(), 'cared-for-outage-'));
const today = testToday;

/** Forwards TCP to DynamoDB Local, or holds every connection unanswered (a hung service). */
interface Relay {
  endpoint: string;
  /** Forward (the default), or hang: every connection open now is dropped and new ones are held unanswered. */
  setMode(mode: 'forward' | 'hang'): void;
  /** Resets every connection open now (new ones follow the mode and target). */
  cutConnections(): void;
  stop(): Promise<void>;
}

/** target() is DynamoDB Local's port, or undefined while it is stopped: a connection then is refused (closed at once). */
async function startRelay(target: () => number | undefined): Promise<Relay> {
  const sockets = new Set<Socket>();
  let mode: 'forward' | 'hang' = 'forward';
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (mode === 'hang') return; // accepted, never answered
    const port = target();
    // Never the stopped instance's old port: another test file's emulator may have taken it since.
    if (port === undefined) return void client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dropAll = () => [...sockets].forEach((socket) => socket.destroy());
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setMode(next) {
      mode = next;
      // The SDK keeps connections alive between calls: drop them, so every call from now meets the new mode.
      dropAll();
    },
    cutConnections: dropAll,
    stop: () =>
      new Promise((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}

const admit = (referralId: string, bedId: string) => h.call('POST', `/api/referrals/${referralId}/admission`, { body: { startDate: today, bedId } });

function expectUnavailable(answer: ApiAnswer) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.headers['retry-after']).toMatch(/^\d+$/);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status: 503, type: expect.stringMatching(/temporarily-unavailable$/) });
}

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({ dbPath });
  dynamoRunning = true;
  relay = await startRelay(() => (dynamoRunning ? dynamo.port : undefined));
  h = await startApiHarness('outage', { dynamodbEndpoint: relay.endpoint });
  for (const home of sampleEstate()) expect((await h.call('PUT', `/api/homes/${home.id}`, { body: home })).status).toBe(200);
  // A budget every bed of the two homes meets, so only the outage decides these admissions.
  for (let i = 1; i <= 4; i++) await h.createReferral(`OUT-${i}`, (r) => void (r.sought.maxWeeklyBudgetPence = 1_000_000));
}, 120_000);

afterAll(async () => {
  await h?.stop();
  await relay?.stop();
  await dynamo?.stop();
  rmSync(dbPath, { recursive: true, force: true });
});

/** Each referral, placement and calendar agrees: placed ⇔ one active placement ⇔ its hold in the home's calendar. */
async function expectWholeOrNothing(referralIds: string[]) {
  for (const referralId of referralIds) {
    const view = await h.call('GET', `/api/referrals/${referralId}`);
    expect(view.status).toBe(200);
    const placements = view.body.placements.filter((p: { status: string }) => p.status === 'active');
    if (view.body.status === 'placed') {
      expect(placements, referralId).toHaveLength(1);
      const calendar = await h.calendar(placements[0].homeId);
      expect(calendar.holds.filter((hold) => hold.id === placements[0].placementId), referralId).toHaveLength(1);
    } else {
      expect(view.body.status, referralId).toBe('open');
      expect(placements, referralId).toEqual([]);
    }
  }
}

describe('DynamoDB unreachable', () => {
  // The sellable beds the sample referral (a 15-year-old boy needing K2) fits by the hard rules.
  const beds = ['hv-3', 'hv-4', 'nf-1', 'nf-2'];
  const referrals = ['OUT-1', 'OUT-2', 'OUT-3', 'OUT-4'];

  it('answers 2xx before, 503 with Retry-After while DynamoDB Local is stopped, and 2xx once it is back; nothing half-written', async () => {
    expect((await admit('OUT-1', beds[0]!)).status).toBe(201);

    // Two admissions under way, and DynamoDB Local stopped while they are.
    const burst = Promise.all([admit('OUT-2', beds[1]!), admit('OUT-3', beds[2]!)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The outage as a client meets it: every open connection reset at once, then the process gone. (Left to
    // the JVM's own shutdown, a request in flight could get whatever a half-stopped DynamoDB Local answers.)
    dynamoRunning = false;
    relay.cutConnections();
    await dynamo.stop();
    const during = await burst;
    for (const answer of during) expect([201, 503], JSON.stringify(answer.body)).toContain(answer.status);
    console.log(`outage: the admissions under way when DynamoDB Local stopped answered ${during.map((a) => a.status).join(' and ')}`);

    // Stopped: reads and writes alike are 503s, never 500s.
    for (const answer of [await admit('OUT-4', beds[3]!), await h.call('GET', '/api/homes'), await h.call('GET', '/api/referrals/OUT-1')]) expectUnavailable(answer);

    // Back, on the same data (on a free port: the old one may have been taken meanwhile).
    dynamo = await startDynamoDbLocal({ dbPath });
    dynamoRunning = true;
    expect((await h.call('GET', '/api/referrals/OUT-1')).body.status).toBe('placed');
    await expectWholeOrNothing(referrals);

    // The refused admissions succeed on retry; one written before its answer was lost is a 409 now, not a second stay.
    for (const [i, answer] of during.entries()) {
      if (answer.status === 503) expect([201, 409]).toContain((await admit(referrals[i + 1]!, beds[i + 1]!)).status);
    }
    const fourth = await admit('OUT-4', beds[3]!);
    expect(fourth.status, JSON.stringify(fourth.body)).toBe(201);
    await expectWholeOrNothing(referrals);
    expect(new Set((await Promise.all(referrals.map((r) => h.call('GET', `/api/referrals/${r}`)))).map((v) => v.body.status))).toEqual(new Set(['placed']));
  }, 120_000);

  it('answers 503 with Retry-After, not a Lambda timeout, when DynamoDB accepts connections and never answers', async () => {
    const application = { as: 'social-worker' as const, body: applicationBody({ startDate: today }) };
    const before = await snapshotTables(h.db, h.stack.tables);
    relay.setMode('hang');
    // Without the SDK's request timeout these would wait until Lambda's own timeout (a bare 502 from the gateway).
    for (const answer of [await h.call('GET', '/api/homes'), await h.call('POST', '/api/section17/applications', application)]) expectUnavailable(answer);

    relay.setMode('forward');
    expect(changedTables(before, await snapshotTables(h.db, h.stack.tables))).toEqual([]);
    expect((await h.call('GET', '/api/homes')).status).toBe(200);
    expect((await h.call('POST', '/api/section17/applications', application)).status).toBe(201);
  }, 120_000);
});
