import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { managerRoutes } from '#lib/api/routes/index';
import { ALL_ROLES, type Role } from '#lib/auth/roles';
import { sampleEstate } from '#lib/estate/seed';
import type { Route } from '#lib/http/router';
import { jsonSchemaOf } from '#lib/http/schema-fields';
import { addDays, financialYearOf, monthOf, previousMonth } from '#lib/time/calendar';
import { testToday } from '#tests/support/clock';
import { startApiHarness, type ApiAnswer, type ApiHarness } from '#tests/support/api-harness';
import { startDynamoCallRecorder, type DynamoCallRecorder } from '#tests/support/dynamodb-call-recorder';
import { emulatorEndpoints } from '#tests/support/emulators';
import { applicationBody } from '#tests/support/section17';
import { changedTables, snapshotTables } from '#tests/support/table-snapshot';

/**
 * The manager API fuzzed as an attacker and a careless user would, through
 * the real handler against DynamoDB Local: 2,100 requests spread over every
 * route, with valid and hostile path values, query values (malformed and
 * implausible dates, 1e2 and 0x10 for numbers, forged cursors), bodies
 * (valid, one field broken or removed, unknown fields at any depth, not
 * JSON), roles and tokens. Every answer is below 500; every refusal is
 * problem+json that echoes none of the path or query values sent; every
 * answer carries the security headers; and a snapshot of every table before
 * and after each request shows writes only from 2xx answers.
 *
 * The handler reaches DynamoDB Local through a relay that counts its calls by
 * operation: a request that asked for no write (no PutItem, UpdateItem,
 * TransactWriteItems, …) cannot have changed a table, so the snapshot is
 * taken after every request that asked for one, and after every tenth
 * request besides, to show the relay misses none.
 */

let h: ApiHarness;
let recorder: DynamoCallRecorder;
const today = testToday;
const lastMonth = previousMonth(monthOf(today));
const routes = managerRoutes as readonly Route<unknown>[];
const key = (route: Route<unknown>) => `${route.method} ${route.path}`;
const ids: Record<string, string> = {};
const ECHO = 'ECHOzq';

beforeAll(async () => {
  recorder = await startDynamoCallRecorder(emulatorEndpoints().dynamodb);
  h = await startApiHarness('fuzz', { dynamodbEndpoint: recorder.endpoint });
  for (const home of sampleEstate()) expect((await h.call('PUT', `/api/homes/${home.id}`, { body: home })).status).toBe(200);
  for (const id of ['FUZZ-1', 'FUZZ-2', 'FUZZ-3']) await h.createReferral(id);
  const offer = await h.call('POST', '/api/referrals/FUZZ-1/offers', { body: { bedId: 'hv-3' } });
  ids.offerId = offer.body.offerId;
  await h.call('POST', `/api/offers/${ids.offerId}/acceptance`, { body: {} });
  ids.placementId = (await h.call('POST', '/api/referrals/FUZZ-1/admission', { body: { startDate: today } })).body.placementId;
  ids.applicationId = (await h.call('POST', '/api/section17/applications', { as: 'social-worker', body: applicationBody({ startDate: today }) })).body.applicationId;
  expect(Object.values(ids).every((id) => typeof id === 'string')).toBe(true);
});
afterAll(async () => {
  await h?.stop();
  await recorder?.stop();
});

// ---- hostile values -------------------------------------------------------------------------

const forgedCursor = fc
  .record({
    pk: fc.constantFrom('', 'AWARD#x', 'REFERRAL#R1', `${ECHO}pk`),
    sk: fc.constantFrom('', 'AWARD', 'CURRENT'),
    gsi1pk: fc.constantFrom('', 'STATUS#open', 'HOME', 'PERIOD#2026-11', 'LA#390'),
    gsi1sk: fc.constantFrom('', 'FY1999#x', 'FY2026#2026-11-01T00:00:00.000Z#x', 'zzz'),
    gsi2pk: fc.constantFrom('RUN#2026-10', ''),
    q: fc.string({ maxLength: 20 }),
  })
  .chain((k) => fc.subarray(Object.keys(k)).map((names) => Object.fromEntries(names.map((n) => [n, k[n as keyof typeof k]]))))
  .chain((k) => fc.constantFrom(JSON.stringify({ k, q: 'x' }), JSON.stringify(k), JSON.stringify({ k }), '[]', 'null'))
  .map((json) => Buffer.from(json).toString('base64url'));

const hostileText = fc.oneof(
  fc.constantFrom('<script>alert(1)</script>', '..', '../../etc/passwd', '%2e%2e', ' ', '\u0000', 'null', '-1', 'ÿ\u202e', 'a'.repeat(300)),
  fc.string({ maxLength: 40 }),
  fc.nat().map((n) => `${ECHO}${n}<script>`),
);

const hostileQueryValue = fc.oneof(
  fc.constantFrom('2026-1-1', '0000-01-01', '9999-12-31', '2026-02-30', '2026-13', '0000-00', '1e2', '0x10', ' 10', '010', '-1', '1.5', '', 'NaN', 'Infinity', '99999999999999999999'),
  forgedCursor,
  hostileText,
);

/** Plausible values by query name, so some requests get past validation. */
function validQuery(route: Route<unknown>): Record<string, string[]> {
  const months = route.path.includes('section17/reports/spend') || route.path.includes('ledger') || route.path.includes('invoices');
  return {
    limit: ['1', '5', '100'],
    status: route.path.includes('section17') ? ['approved', 'awaiting-approval', 'refused'] : ['open', 'offered', 'placed'],
    date: [today],
    from: months ? [monthOf(today), lastMonth] : [today, addDays(today, -30)],
    to: months ? [monthOf(today)] : [addDays(today, 7), addDays(today, 1)],
    financialYear: [String(financialYearOf(today))],
    asAt: [today],
    period: [monthOf(today), lastMonth],
    council: ['390', '391'],
    month: [lastMonth, monthOf(today)],
    by: ['team', 'child', 'category'],
    format: ['csv', 'json', 'html'],
  };
}

const queryNames = (route: Route<unknown>) => (route.query ? Object.keys(jsonSchemaOf(route.query, 'input').properties ?? {}) : []);

/** Valid path values by parameter name. */
const validParam = (name: string): string[] =>
  ({
    homeId: ['harbour-view', 'northfield'],
    bedId: ['hv-3', 'hv-4', 'nf-1'],
    referralId: ['FUZZ-1', 'FUZZ-2', 'FUZZ-3'],
    offerId: [ids.offerId!],
    placementId: [ids.placementId!],
    applicationId: [ids.applicationId!, '00000000-0000-4000-8000-000000000000'],
    number: ['NT-2627-000001'],
    month: [lastMonth],
  })[name] ?? ['x'];

/** A body that passes validation, by route. */
function validBody(route: Route<unknown>, params: Record<string, string>): unknown {
  const home = sampleEstate().find((x) => x.id === params.homeId) ?? sampleEstate()[0]!;
  const bodies: Record<string, unknown> = {
    'PUT /api/homes/{homeId}': home,
    'PUT /api/homes/{homeId}/beds/{bedId}/out-of-use': { periods: [{ from: addDays(today, 60), to: addDays(today, 61), reason: 'Decorating' }] },
    'POST /api/referrals/{referralId}/offers': { bedId: 'hv-4' },
    'POST /api/offers/{offerId}/acceptance': {},
    'POST /api/offers/{offerId}/decline': {},
    'POST /api/referrals/{referralId}/admission': { startDate: today, bedId: 'mit-4a' },
    'POST /api/placements/{placementId}/end': { endDate: addDays(today, 3), reasonPlacementChange: 'CARPL' },
    'POST /api/placements/{placementId}/move': { toBedId: 'nf-2', date: addDays(today, 1), reasonPlacementChange: 'CARPL' },
    'POST /api/section17/applications': applicationBody({ startDate: today }),
    'POST /api/section17/applications/{applicationId}/decision': { decision: 'approve', reason: 'Meets the guidance' },
    'POST /api/section17/applications/{applicationId}/reapproval': {},
    'POST /api/section17/applications/{applicationId}/cancellation': { reason: 'No longer needed' },
    'POST /api/section17/applications/{applicationId}/reduction': { amountPence: 100, reason: 'Less needed' },
    'POST /api/invoicing/runs': { month: lastMonth },
  };
  return structuredClone(bodies[key(route)] ?? {});
}

/** Every path to a leaf of a JSON value. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Object.entries(value);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, Array.isArray(value) ? Number(k) : k]));
}

function mutate(body: unknown, path: (string | number)[], change: { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; name: string }): unknown {
  const root = { body: structuredClone(body) } as Record<string | number, any>;
  const full = ['body', ...path];
  let node = root;
  for (const step of full.slice(0, -1)) {
    if (node[step] === null || typeof node[step] !== 'object') return root.body;
    node = node[step];
  }
  const last = full.at(-1)!;
  if (change.kind === 'set') node[last] = change.value;
  else if (change.kind === 'delete') delete node[last];
  else if (node[last] !== null && typeof node[last] === 'object' && !Array.isArray(node[last])) node[last][change.name] = 'surprise';
  else node[change.name] = 'surprise';
  return root.body;
}

const hostileJsonValue = fc.oneof(
  fc.constantFrom(null, true, -1, 0, 1e308, 1.5, '', '0000-01-01', '9999-12-31', '2026-1-1', [], {}, 'a'.repeat(5000)),
  hostileText,
  fc.integer({ min: -1e12, max: 1e12 }),
);

type Body = { json: unknown } | { raw: string } | undefined;

function bodyArbitrary(route: Route<unknown>, params: Record<string, string>): fc.Arbitrary<Body> {
  if (route.method === 'GET') return fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.json().map((raw) => ({ raw })) });
  const valid = validBody(route, params);
  const paths = leafPaths(valid);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ json: valid }) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...paths), hostileJsonValue).map(([p, v]) => ({ json: mutate(valid, p, { kind: 'set', value: v }) })) },
    { weight: 2, arbitrary: fc.constantFrom(...paths).map((p) => ({ json: mutate(valid, p, { kind: 'delete' }) })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...paths), fc.constantFrom('extra', 'id', '__proto__', 'constructor')).map(([p, name]) => ({ json: mutate(valid, p.slice(0, -1), { kind: 'add', name }) })) },
    { weight: 1, arbitrary: fc.oneof(fc.json(), fc.string({ maxLength: 200 }), fc.constant('{"a":'), fc.constant('x'.repeat(70_000))).map((raw) => ({ raw })) },
  );
}

interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  query: Record<string, string>;
  as: Role | null | { token: string };
  body: Body;
  contentType: string | undefined;
  /** The path and query values sent, to check no refusal echoes them. */
  sent: string[];
}

const roleArbitrary = (route: Route<unknown>): fc.Arbitrary<FuzzRequest['as']> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...route.roles) },
    { weight: 2, arbitrary: fc.constantFrom(...ALL_ROLES) },
    { weight: 1, arbitrary: fc.constantFrom<FuzzRequest['as']>(null, { token: 'not-a-jwt' }, { token: 'a.b.c' }) },
  );

const requestArbitrary: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...routes).chain((route) => {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const param = (name: string) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...validParam(name)) }, { weight: 2, arbitrary: hostileText });
  const queryOf = validQuery(route);
  const query = fc
    .tuple(
      fc.tuple(
      ...queryNames(route).map((name) =>
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...(queryOf[name] ?? ['x'])).map((v) => [name, v] as const) },
          { weight: 3, arbitrary: hostileQueryValue.map((v) => [name, v] as const) },
          { weight: 2, arbitrary: fc.constant(undefined) },
        ),
      ),
      ),
      fc.option(fc.tuple(fc.constantFrom('extra', 'limit', 'cursor', `${ECHO}k`), hostileQueryValue), { freq: 5 }),
    )
    .map(([named, extra]) => Object.fromEntries([...named, extra].filter((pair): pair is readonly [string, string] => Array.isArray(pair))) as Record<string, string>);
  return fc
    .record({
      values: fc.tuple(...names.map(param)),
      encode: fc.boolean(),
      method: fc.oneof({ weight: 19, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('DELETE', 'PATCH', 'GET', 'PUT', 'POST') }),
      query: names.length === 0 && !route.query ? fc.constant({}) : query,
      as: roleArbitrary(route),
      contentType: fc.oneof({ weight: 9, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/json; charset=utf-8') }),
    })
    .chain((r) => {
      const params = Object.fromEntries(names.map((n, i) => [n, r.values[i]!]));
      const path = route.path.replace(/\{(\w+)\}/g, (_, n: string) => (r.encode ? encodeURIComponent(params[n]!) : params[n]!));
      return bodyArbitrary(route, params).map((body) => ({
        route: key(route),
        method: r.method,
        path,
        query: r.query,
        as: r.as,
        body,
        contentType: r.contentType,
        sent: [...Object.values(params), ...Object.values(r.query as Record<string, string>)],
      }));
    });
});

// ---- the run ----------------------------------------------------------------------------------

/** One token per role, as a signed-in person keeps theirs between requests. */
const tokens = new Map<Role, Promise<string>>();
function tokenFor(role: Role): Promise<string> {
  if (!tokens.has(role)) tokens.set(role, h.issuer.tokenFor(role, `staff-${role}`));
  return tokens.get(role)!;
}

async function send(request: FuzzRequest): Promise<ApiAnswer> {
  const token = request.as === null ? undefined : typeof request.as === 'string' ? await tokenFor(request.as) : request.as.token;
  const body = request.body === undefined ? null : 'json' in request.body ? JSON.stringify(request.body.json) : request.body.raw;
  const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== null && request.contentType ? { 'Content-Type': request.contentType } : {}) };
  return h.invoke({
    resource: '/api/{proxy+}',
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(request.query).length > 0 ? request.query : null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: request.path.replace(/^\/api\//, '') },
    stageVariables: null,
    requestContext: { requestId: 'fuzz', stage: 'v1' } as never,
    body,
    isBase64Encoded: false,
  });
}

describe('the manager API under 2,100 hostile and careless requests', () => {
  it('never answers 5xx, refuses in problem+json without echoing, and writes only on 2xx', async () => {
    const byStatus = new Map<number, number>();
    const byRoute = new Map<string, number>();
    const writers = new Map<number, number>();
    const snapshots = { afterWriteCalls: 0, sampled: 0 };
    let requests = 0;
    let before = await snapshotTables(h.db, h.stack.tables);
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (request) => {
        const writeCallsBefore = recorder.possibleWrites();
        const answer = await send(request);
        const askedToWrite = recorder.possibleWrites() > writeCallsBefore;
        requests++;
        const status = answer.status;
        byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
        byRoute.set(request.route, (byRoute.get(request.route) ?? 0) + 1);
        const where = `${request.method} ${request.path} ${JSON.stringify(request.query)} → ${status} ${typeof answer.body === 'string' ? answer.body.slice(0, 300) : JSON.stringify(answer.body).slice(0, 300)}`;

        expect(status, where).toBeLessThan(500);
        expect(answer.headers['x-content-type-options'], where).toBe('nosniff');
        expect(answer.headers['cache-control'], where).toBe('no-store');
        if (status >= 400) {
          expect(answer.headers['content-type'], where).toBe('application/problem+json');
          expect(answer.body.status, where).toBe(status);
          const text = JSON.stringify(answer.body);
          expect(text, where).not.toContain(ECHO);
          expect(text, where).not.toContain('<script');
          for (const value of request.sent.filter((v) => v.length >= 6 && !/^[\w-]+$/.test(v))) expect(text, `${where} echoes ${value}`).not.toContain(JSON.stringify(value).slice(1, -1));
        }

        if (!askedToWrite && requests % 10 !== 0) return;
        snapshots[askedToWrite ? 'afterWriteCalls' : 'sampled']++;
        const after = await snapshotTables(h.db, h.stack.tables);
        const changed = changedTables(before, after);
        expect(askedToWrite || changed.length === 0, `${where} changed ${changed.join(', ')} without a write call through the relay`).toBe(true);
        if (changed.length > 0) writers.set(status, (writers.get(status) ?? 0) + 1);
        expect(status >= 200 && status < 300 ? [] : changed, `${where} wrote to ${changed.join(', ')}`).toEqual([]);
        before = after;
      }),
      { numRuns: 2_100, endOnFailure: true },
    );

    const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
    const summary = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s} × ${n}`).join(', ');
    console.log(
      `fuzz: ${total} requests over ${byRoute.size} routes: ${summary}; requests that wrote, by status: ${JSON.stringify(Object.fromEntries(writers))}; ` +
        `tables snapshotted after ${snapshots.afterWriteCalls} requests that asked to write and ${snapshots.sampled} that did not`,
    );
    expect(total).toBeGreaterThanOrEqual(2_000);
    expect([...byStatus.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(routes.filter((route) => (byRoute.get(key(route)) ?? 0) < 20).map(key)).toEqual([]);
    expect([...byStatus.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect([...writers.keys()].every((s) => s >= 200 && s < 300)).toBe(true);
    // The handler's writes went through the relay (else no request would have asked to write), and the
    // requests that asked for none were sampled often enough to catch a write it missed.
    expect(snapshots.afterWriteCalls).toBeGreaterThan(0);
    expect(snapshots.sampled).toBeGreaterThanOrEqual(100);
  }, 600_000);
});
