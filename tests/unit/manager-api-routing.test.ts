import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { managerRoutes } from '#lib/api/routes/index';
import { problemFor } from '#lib/http/error-response';
import type { Caller } from '#lib/auth/caller';
import { ALL_ROLES, type Role } from '#lib/auth/roles';
import { decodeCursor, encodeCursor, type CursorScope } from '#lib/http/cursor';
import { Unauthenticated } from '#lib/http/http-errors';
import { routesFor, Router, type ApiRequest } from '#lib/http/router';
import { DecisionConflict, InvalidDecision } from '#lib/placements/decision-errors';

/** The route table's mechanics with a stand-in token check: authenticate, route, authorise, parse, answer. */

const as = (...roles: Role[]) => async (header: string | undefined): Promise<Caller> => {
  if (header !== 'Bearer ok') throw new Unauthenticated('no', header !== undefined);
  return { subject: 's-1', name: 'someone', roles };
};
const request = (method: string, path: string, extra: Partial<ApiRequest> = {}): ApiRequest => ({
  method,
  path,
  headers: { authorization: 'Bearer ok', 'content-type': 'application/json' },
  query: {},
  body: undefined,
  ...extra,
});

const handled = vi.fn();
const route = routesFor<{ answer: unknown }>();
const router = new Router([
  route({
    method: 'POST',
    path: '/api/things/{thingId}/notes',
    roles: ['residential-manager'],
    params: z.object({ thingId: z.string().check(z.regex(/^t-\d+$/)) }),
    query: z.object({ dryRun: z._default(z.enum(['yes', 'no']), 'no') }),
    body: z.strictObject({ count: z.int().check(z.gte(1)), when: z.iso.date() }),
    response: z.object({ thingId: z.string(), count: z.int() }),
    status: 201,
    async handle({ params, body, query, caller }, services) {
      handled(params, body, query, caller);
      return (services.answer ?? { thingId: params.thingId, count: body.count }) as { thingId: string; count: number };
    },
  }),
  route({ method: 'GET', path: '/api/things/{thingId}/notes', roles: ['finance'], response: z.object({}), handle: async () => ({}) }),
]);
const services = { answer: undefined as unknown };

async function status(promise: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    const { response } = (await promise) as { response: { statusCode: number; body: string } };
    return { status: response.statusCode, body: JSON.parse(response.body) };
  } catch (error) {
    const response = problemFor(error);
    return { status: response.statusCode, body: JSON.parse(response.body) };
  }
}

describe('the router', () => {
  it('parses path, query and body, passes the caller, and answers with the route status', async () => {
    const answer = await status(router.dispatch(request('POST', '/api/things/t-7/notes', { body: '{"count":2,"when":"2026-12-01"}' }), as('residential-manager'), services));
    expect(answer).toEqual({ status: 201, body: { thingId: 't-7', count: 2 } });
    expect(handled).toHaveBeenLastCalledWith({ thingId: 't-7' }, { count: 2, when: '2026-12-01' }, { dryRun: 'no' }, expect.objectContaining({ subject: 's-1' }));
  });

  it('authenticates before anything else: an unknown path without a token is 401, not 404', async () => {
    expect((await status(router.dispatch(request('GET', '/api/nowhere', { headers: {} }), as(), services))).status).toBe(401);
  });

  it('answers 404 for an unknown path and 405 (with Allow) for a known path with another method', async () => {
    expect((await status(router.dispatch(request('GET', '/api/nowhere'), as('finance'), services))).status).toBe(404);
    const wrong = problemFor(await router.dispatch(request('PUT', '/api/things/t-1/notes'), as('finance'), services).catch((e) => e));
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('POST, GET');
  });

  it('refuses a caller without one of the route roles with 403, before reading the body or calling the handler', async () => {
    handled.mockClear();
    const answer = await status(router.dispatch(request('POST', '/api/things/t-7/notes', { body: 'not json' }), as('finance', 'social-worker'), services));
    expect(answer).toMatchObject({ status: 403, body: { type: expect.stringMatching(/forbidden$/) } });
    expect(handled).not.toHaveBeenCalled();
  });

  it('names every failing field: path and query prefixed, body fields by their own path', async () => {
    const answer = await status(
      router.dispatch(request('POST', '/api/things/x/notes', { query: { dryRun: 'maybe' }, body: '{"count":0,"extra":1}' }), as('residential-manager'), services),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'path.thingId', rule: 'invalid_format' })]);

    const body = await status(router.dispatch(request('POST', '/api/things/t-1/notes', { body: '{"count":0,"extra":1}' }), as('residential-manager'), services));
    expect(body.body.errors.map((e: any) => `${e.field}:${e.rule}`).sort()).toEqual(['(body):unrecognized_keys', 'count:too_small', 'when:required']);
  });

  it('refuses a body that is not JSON (400), not sent as JSON (415), or too large (413)', async () => {
    const dispatch = (extra: Partial<ApiRequest>) => status(router.dispatch(request('POST', '/api/things/t-1/notes', extra), as('residential-manager'), services));
    expect((await dispatch({ body: '{"count":' })).status).toBe(400);
    expect((await dispatch({ body: '{}', headers: { authorization: 'Bearer ok', 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await dispatch({ body: `{"pad":"${'x'.repeat(70_000)}"}` })).status).toBe(413);
  });

  it('treats an answer that breaks the route contract as a 500 that reveals nothing', async () => {
    const broken = { answer: { thingId: 't-1', count: 'two', childName: 'never shown' } };
    const answer = await status(router.dispatch(request('POST', '/api/things/t-1/notes', { body: '{"count":2,"when":"2026-12-01"}' }), as('residential-manager'), broken));
    expect(answer).toMatchObject({ status: 500, body: { type: expect.stringMatching(/internal$/) } });
    expect(JSON.stringify(answer.body)).not.toContain('never shown');
  });

  it('maps refused decisions: a conflict to 409 named by its reason, an invalid one to 400 naming the field', () => {
    expect(JSON.parse(problemFor(new DecisionConflict('bed-unavailable', 'bed hv-3 is held')).body)).toMatchObject({ status: 409, type: expect.stringMatching(/bed-unavailable$/) });
    expect(JSON.parse(problemFor(new InvalidDecision('planned', 'required', 'say')).body)).toMatchObject({ status: 400, errors: [{ field: 'planned', rule: 'required' }] });
  });
});

describe('cursors', () => {
  const scope: CursorScope = { keys: { pk: 'any', sk: 'any', gsi1pk: { equals: 'STATUS#open' }, gsi1sk: { startsWith: 'FY2026#' } } };
  const key = { pk: 'AWARD#A1', sk: 'AWARD', gsi1pk: 'STATUS#open', gsi1sk: 'FY2026#2026-11-20T10:00:00.000Z#A1' };
  /** A cursor as someone could make one by hand, with the right fingerprint (read off a real one). */
  const forge = (k: Record<string, unknown>) => {
    const q = JSON.parse(Buffer.from(encodeCursor(key, scope)!, 'base64url').toString('utf8')).q;
    return Buffer.from(JSON.stringify({ k, q })).toString('base64url');
  };

  it('round-trips a LastEvaluatedKey as opaque base64url', () => {
    const cursor = encodeCursor(key, scope)!;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, scope)).toEqual(key);
    expect(encodeCursor(undefined, scope)).toBeUndefined();
  });

  it('refuses what DynamoDB would refuse, and what would read another list: empty values, a sort key outside the prefix, another partition, shape or list', () => {
    const otherList = encodeCursor(key, { ...scope, filter: { applicant: 'someone' } });
    const bad = [
      forge({ ...key, gsi1pk: 'STATUS#placed' }),
      forge({ ...key, pk: '' }),
      forge({ ...key, sk: '' }),
      forge({ ...key, gsi1sk: 'FY2027#2026-11-20T10:00:00.000Z#A1' }),
      forge({ ...key, gsi1sk: '' }),
      forge({ ...key, pk: 'x'.repeat(1025) }),
      forge({ ...key, nope: 'x' }),
      forge({ pk: 'AWARD#A1', sk: 'AWARD', gsi1pk: 'STATUS#open' }),
      forge({ ...key, pk: 1 }),
      Buffer.from(JSON.stringify(key)).toString('base64url'),
      otherList,
      'not!base64',
      'bm90IGpzb24',
    ];
    for (const cursor of bad) {
      expect(() => decodeCursor(cursor, scope), String(cursor)).toThrow(/cursor/);
    }
  });
});

describe('the manager route table', () => {
  const table = managerRoutes.map((r) => ({ key: `${r.method} ${r.path}`, roles: r.roles }));
  const rolesOf = (key: string) => table.find((r) => r.key === key)?.roles;

  it('has one route per method and path, all under /api, each naming at least one role', () => {
    expect(new Set(table.map((r) => r.key)).size).toBe(table.length);
    for (const r of table) {
      expect(r.key).toMatch(/^(GET|PUT|POST) \/api\//);
      expect(r.roles.length).toBeGreaterThan(0);
      for (const role of r.roles) expect(ALL_ROLES).toContain(role);
    }
  });

  it('lets managers and placements officers decide placements, and nobody else', () => {
    const receivables = (key: string) => ['POST /api/invoices/', 'POST /api/remittances', 'POST /api/allocations', 'POST /api/bank-files'].some((prefix) => key.startsWith(prefix));
    const decisions = table.filter((r) => r.key.startsWith('POST ') && !r.key.startsWith('POST /api/section17/') && !r.key.startsWith('POST /api/invoicing/') && !receivables(r.key) && r.key !== 'POST /api/imports');
    // Re-sending documents and recording and allocating payments are finance's alone.
    for (const r of table.filter((x) => receivables(x.key))) expect(r.roles).toEqual(['finance']);
    expect(decisions.map((r) => r.key).sort()).toEqual([
      'POST /api/offers/{offerId}/acceptance',
      'POST /api/offers/{offerId}/decline',
      'POST /api/placements/{placementId}/end',
      'POST /api/placements/{placementId}/move',
      'POST /api/referrals/{referralId}/admission',
      'POST /api/referrals/{referralId}/offers',
    ]);
    for (const r of decisions) expect([...r.roles].sort()).toEqual(['head-of-service', 'placements-officer', 'residential-manager', 'service-manager']);
    // The go-live import sets the prices invoices charge: finance alone.
    expect(rolesOf('POST /api/imports')).toEqual(['finance']);
  });

  it('lets finance read the estate, occupancy and confirmations but not children’s referrals; social workers only Section 17', () => {
    expect(rolesOf('GET /api/occupancy')).toContain('finance');
    expect(rolesOf('GET /api/placements/{placementId}/confirmation')).toContain('finance');
    expect(rolesOf('GET /api/referrals/{referralId}')).not.toContain('finance');
    expect(rolesOf('PUT /api/homes/{homeId}')).not.toContain('placements-officer');
    // Social workers work on Section 17 support for our own children, nothing else (the API's own description aside).
    for (const r of table.filter((x) => !x.key.includes('/api/section17/') && x.key !== 'GET /api/openapi.json')) expect(r.roles).not.toContain('social-worker');
    expect(rolesOf('POST /api/section17/applications')).toContain('social-worker');
    expect(rolesOf('POST /api/section17/applications/{applicationId}/decision')).not.toContain('social-worker');
  });
});
