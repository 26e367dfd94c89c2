import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { Router, routesFor, type ApiRequest } from '#lib/http/router';
import { NotAcceptable } from '#lib/http/http-errors';
import type { Caller } from '#lib/auth/caller';

const route = routesFor<{ rows: { a: number }[] }>();
const router = new Router([
  route({
    method: 'GET',
    path: '/api/things',
    roles: ['finance'],
    query: z.strictObject({ limit: z.optional(z.coerce.number()) }),
    response: z.object({ rows: z.array(z.object({ a: z.number() })) }),
    renderAs: { csv: (answer) => ['a', ...answer.rows.map((r) => String(r.a))].join('\r\n') },
    async handle(_input, services) {
      return { rows: services.rows };
    },
  }),
]);
const finance: Caller = { subject: 's', name: 'n', roles: ['finance'] };
const request = (query: Record<string, string>, headers: Record<string, string> = {}): ApiRequest => ({ method: 'GET', path: '/api/things', headers, query, body: undefined });
const dispatch = (r: ApiRequest) => router.dispatch(r, async () => finance, { rows: [{ a: 1 }, { a: 2 }] });

describe('representations', () => {
  it('answers JSON by default', async () => {
    const { response } = await dispatch(request({}));
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toEqual({ rows: [{ a: 1 }, { a: 2 }] });
  });

  it('renders the validated answer as CSV for ?format=csv (the format never reaches the query schema) or Accept: text/csv', async () => {
    for (const r of [request({ format: 'csv', limit: '5' }), request({}, { accept: 'text/csv' })]) {
      const { response } = await dispatch(r);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.body).toBe('a\r\n1\r\n2');
    }
  });

  it('406 for a representation the route does not offer, naming those it does', async () => {
    await expect(dispatch(request({ format: 'html' }))).rejects.toBeInstanceOf(NotAcceptable);
    await expect(dispatch(request({ format: 'xml' }))).rejects.toThrow(/json, csv/);
  });
});
