/**
 * The gateway responses (issue 11 item 7): in the template, API Gateway's own answers are
 * problem+json with the security headers; the local gateway (infra/local/http-gateway.ts) answers
 * the same, read from those same resources, for missing routes, unsupported methods, `..` paths,
 * oversized bodies and failed functions.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointHandler, listen, readRestApis, type HttpListener, type RestApiSpec } from '#infra/local/http-gateway';
import type { InvokeResult } from '#infra/local/lambda-runtime';
import type { CfnTemplate } from '#infra/local/template';
import { resourcesOfType, template, type Json } from './support';

const SECURITY_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

/** The template's gateway response of a type: status, static headers and body template. */
function gatewayResponse(type: string): { statusCode?: string; headers: Record<string, string>; body: string } {
  const found = resourcesOfType('AWS::ApiGateway::GatewayResponse').find(([, r]) => r.Properties.ResponseType === type);
  if (!found) throw new Error(`no ${type} gateway response`);
  const p = found[1].Properties as Json;
  const headers = Object.fromEntries(
    Object.entries(p.ResponseParameters as Record<string, string>).map(([k, v]) => [k.replace('gatewayresponse.header.', ''), v.replace(/^'(.*)'$/, '$1')]),
  );
  return { statusCode: p.StatusCode, headers, body: p.ResponseTemplates['application/json'] };
}

describe('gateway responses in the template', () => {
  it.each(['MISSING_AUTHENTICATION_TOKEN', 'THROTTLED', 'DEFAULT_4XX', 'DEFAULT_5XX'])('%s answers problem+json with no-store, nosniff and no-referrer', (type) => {
    const { headers, body } = gatewayResponse(type);
    expect(headers).toMatchObject({ 'Content-Type': 'application/problem+json', ...SECURITY_HEADERS });
    const problem = JSON.parse(body);
    expect(problem.type).toMatch(/^https:\/\/cared-for\.dev\/problems\/[a-z-]+$/);
    expect(problem.title).toEqual(expect.any(String));
    // Only the gateway's own words: never a path, query or header value.
    expect(body).not.toMatch(/\$(method|input|util)|\$context\.(path|resourcePath|identity|error\.message)/);
  });

  it('answers a missing route 404 not-found, as the api function answers an unknown /api route', () => {
    const missing = gatewayResponse('MISSING_AUTHENTICATION_TOKEN');
    expect(missing.statusCode).toBe('404');
    expect(JSON.parse(missing.body)).toEqual({ type: 'https://cared-for.dev/problems/not-found', title: 'Not found', status: 404, detail: 'route not found' });
  });

  it('leaves the DEFAULT_ statuses to API Gateway and names its error type instead', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      const { statusCode, body } = gatewayResponse(type);
      expect(statusCode).toBeUndefined();
      expect(JSON.parse(body)).toMatchObject({ gatewayError: '$context.error.responseType' });
    }
  });
});

describe('the local gateway answers as the template says', () => {
  const [api] = readRestApis(template.toJSON() as CfnTemplate, new Set(resourcesOfType('AWS::Lambda::Function').map(([id]) => id))) as [RestApiSpec];
  const invoked: string[] = [];
  let nextResult: InvokeResult | undefined;
  let listener: HttpListener;

  beforeAll(async () => {
    listener = await listen(0, endpointHandler(() => ({ kind: 'rest-api', api }), async (fn) => {
      invoked.push(fn);
      return nextResult ?? { ok: true, payload: { statusCode: 200, body: '{}' }, requestId: 'r', durationMs: 1, logs: [] };
    }));
  });
  afterAll(async () => {
    await listener?.close();
  });

  /** A raw HTTP request: the path is sent as written (fetch would resolve `..` first). */
  function send(method: string, path: string, body?: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${listener.url}${path}`, { method, path }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  function expectGatewayProblem(answer: { status: number; headers: Record<string, unknown>; body: string }, type: string, substituted: Record<string, string> = {}) {
    const expected = gatewayResponse(type);
    for (const [name, value] of Object.entries(expected.headers)) expect(answer.headers[name.toLowerCase()], name).toBe(value);
    let body = expected.body;
    for (const [variable, value] of Object.entries(substituted)) body = body.replace(variable, value);
    expect(JSON.parse(answer.body)).toEqual(JSON.parse(body));
  }

  it('answers a path with no route with the missing-route problem, and invokes nothing', async () => {
    const answer = await send('GET', '/v1/nothing/here');
    expect(answer.status).toBe(404);
    expectGatewayProblem(answer, 'MISSING_AUTHENTICATION_TOKEN');
    expect(invoked).toEqual([]);
  });

  it('answers a method the route does not have (DELETE, PATCH) the same', async () => {
    for (const [method, path] of [['DELETE', '/v1/api/homes/h1'], ['PATCH', '/v1/api/homes'], ['GET', '/v1/webhooks/referrals']] as const) {
      const answer = await send(method, path);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expectGatewayProblem(answer, 'MISSING_AUTHENTICATION_TOKEN');
    }
    expect(invoked).toEqual([]);
  });

  it('never hands a function a path with . or .. segments, however encoded', async () => {
    for (const path of ['/v1/api/../webhooks/referrals', '/v1/api/%2e%2e/homes', '/v1/api/./homes', '/v1/../v1/api/homes']) {
      const answer = await send('GET', path);
      expect(answer.status, path).toBe(404);
      expectGatewayProblem(answer, 'MISSING_AUTHENTICATION_TOKEN');
    }
    expect(invoked).toEqual([]);
  });

  it('answers a body over 10 MB with the DEFAULT_4XX problem, status 413, naming REQUEST_TOO_LARGE', async () => {
    const answer = await send('POST', '/v1/webhooks/referrals', Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
    expect(answer.status).toBe(413);
    expectGatewayProblem(answer, 'DEFAULT_4XX', { '$context.error.responseType': 'REQUEST_TOO_LARGE' });
    expect(invoked).toEqual([]);
  });

  it('answers a failed function with the DEFAULT_5XX problem, status 502', async () => {
    nextResult = { ok: false, error: { errorType: 'Error', errorMessage: 'boom', trace: [] }, requestId: 'r', durationMs: 1, logs: [] };
    try {
      const answer = await send('GET', '/v1/api/homes');
      expect(answer.status).toBe(502);
      expectGatewayProblem(answer, 'DEFAULT_5XX', { '$context.error.responseType': 'DEFAULT_5XX' });
      expect(answer.body).not.toContain('boom');
      expect(invoked).toEqual(['ApiFunction']);
    } finally {
      nextResult = undefined;
    }
  });

  it('passes a routed request to its function untouched', async () => {
    const answer = await send('GET', '/v1/api/homes');
    expect(answer).toMatchObject({ status: 200, body: '{}' });
  });
});
