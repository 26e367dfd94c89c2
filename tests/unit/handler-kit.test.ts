import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import type { APIGatewayProxyEvent, SQSRecord } from 'aws-lambda';
import { Conflict, NotFound, StatusError } from '#lib/errors';
import { failureStatus, problemFor } from '#lib/http/error-response';
import { jsonResponse } from '#lib/http/problem';
import { AwardForbidden } from '#lib/section17/award';
import { OverChildYearlyCap } from '#lib/section17/section17-service';
import { ConcurrentChanges, DecisionConflict, InvalidDecision } from '#lib/placements/decision-errors';
import { MonthNotEnded } from '#lib/invoicing/run-state';
import { IdentityProviderUnavailable } from '#lib/auth/token-verifier';
import { Unauthenticated } from '#lib/http/http-errors';
import { functionKit, httpFunction, parseRecordBody, recordProcessor, scheduledFunction, sqsFunction } from '#functions/kit/index';
import { captureFunctionLogs } from '#tests/support/captured-logs';
import { lambdaContext } from '#tests/support/lambda-context';

/** The handler kit: errors answer by their own status, every answer is hardened and logged once, records fail alone. */

const logged: string[] = [];
beforeAll(() => {
  captureFunctionLogs(logged);
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const kit = () => functionKit('kit-test', z.pipe(
  z.object({ TABLE: z.string() }),
  z.transform((env) => ({ table: env.TABLE })),
), { TABLE: 't-1' });

const event = (over: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent =>
  ({
    resource: '/api/{proxy+}',
    path: '/api/homes/h-1',
    httpMethod: 'GET',
    headers: { Accept: 'application/json' },
    queryStringParameters: null,
    pathParameters: { proxy: 'homes/h-1' },
    body: null,
    isBase64Encoded: false,
    ...over,
  }) as APIGatewayProxyEvent;

const record = (body: string, messageId = 'm-1'): SQSRecord => ({ messageId, body }) as SQSRecord;

function lastLogLine(): Record<string, any> {
  return JSON.parse(logged.at(-1)!);
}

describe('errors carry their status: no table to drift', () => {
  it.each([
    [new NotFound('home'), 404, 'not-found'],
    [new InvalidDecision('planned', 'required', 'say'), 400, 'invalid-request'],
    [new DecisionConflict('bed-unavailable', 'held'), 409, 'bed-unavailable'],
    [new AwardForbidden('self-approval', 'no'), 403, 'self-approval'],
    [new OverChildYearlyCap({ request: { category: 'FOOD' } } as never), 409, 'over-child-yearly-cap'],
    [new MonthNotEnded('2026-12'), 409, 'month-not-ended'],
    [new Unauthenticated('no', false), 401, 'unauthenticated'],
    [new ConcurrentChanges('the referral'), 503, 'temporarily-unavailable'],
    [new IdentityProviderUnavailable({ cause: new Error('down') }), 503, 'temporarily-unavailable'],
  ])('%s answers %i %s', (error, status, type) => {
    const response = problemFor(error);
    expect(response.statusCode).toBe(status);
    expect(failureStatus(error)).toBe(status);
    expect(JSON.parse(response.body)).toMatchObject({ status, type: `https://cared-for.dev/problems/${type}`, detail: error.message });
    if (status === 503) expect(response.headers['retry-after']).toBe('5');
  });

  it('hides the message of an error that may not be shown, and of anything unknown', () => {
    const hidden = new StatusError(502, 'upstream', 'Bad gateway', 'upstream said: secret at /var/task');
    expect(JSON.parse(problemFor(hidden).body)).toEqual({ type: 'https://cared-for.dev/problems/upstream', title: 'Bad gateway', status: 502 });
    expect(problemFor(new Error('internal at /var/task')).body).not.toContain('/var/task');
    expect(problemFor(new Error('x')).statusCode).toBe(500);
  });

  it('answers 503 with Retry-After for throttling, timeouts and network errors, as the SDK classifies them', () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: {} });
    const timedOut = Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('write failed', { cause: refused });
    for (const error of [throttled, timedOut, refused, wrapped]) {
      expect(problemFor(error).statusCode).toBe(503);
      expect(problemFor(error).headers['retry-after']).toBe('5');
    }
  });

  it('answers 503 for a transaction cancelled only because it was throttled or met another, 500 when a condition or the input failed', () => {
    const cancelled = (...codes: string[]) =>
      Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', $metadata: { httpStatusCode: 400 }, CancellationReasons: codes.map((Code) => ({ Code })) });
    expect(problemFor(cancelled('None', 'ThrottlingError')).statusCode).toBe(503);
    expect(problemFor(cancelled('TransactionConflict', 'None', 'ProvisionedThroughputExceeded')).statusCode).toBe(503);
    expect(failureStatus(cancelled('ThrottlingError'))).toBe(503);
    expect(problemFor(cancelled('ThrottlingError', 'ConditionalCheckFailed')).statusCode).toBe(500);
    expect(problemFor(cancelled('ValidationError')).statusCode).toBe(500);
    expect(problemFor(cancelled('None', 'None')).statusCode).toBe(500);
  });
});

describe('httpFunction', () => {
  it('answers with the handler response, the security headers added, and logs the annotated line at info', async () => {
    const handler = httpFunction(kit(), async (request, annotate) => {
      annotate({ route: 'GET /api/homes/{homeId}' });
      return jsonResponse(200, { path: request.path, accept: request.headers.accept });
    }, { metric: 'Requests' });
    const response = await handler(event(), lambdaContext('kit-test'));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ path: '/api/homes/h-1', accept: 'application/json' });
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    expect(lastLogLine()).toMatchObject({ level: 'INFO', message: 'request handled', route: 'GET /api/homes/{homeId}', status: 200 });
  });

  it('turns a thrown refusal into its problem, logged at info; an unknown error into a 500, logged as an error', async () => {
    let toThrow: unknown = new Conflict('bed-unavailable', 'the bed is held');
    const handler = httpFunction(kit(), async () => {
      throw toThrow;
    }, { metric: 'Requests' });
    const refused = await handler(event(), lambdaContext('kit-test'));
    expect(refused.statusCode).toBe(409);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
    expect(refused.headers?.['x-content-type-options']).toBe('nosniff');
    expect(lastLogLine()).toMatchObject({ level: 'INFO', status: 409 });

    toThrow = new Error('bug');
    const failed = await handler(event(), lambdaContext('kit-test'));
    expect(failed.statusCode).toBe(500);
    expect(lastLogLine()).toMatchObject({ level: 'ERROR', message: 'request failed', status: 500 });
  });

  it('decodes a base64 body and keeps its bytes', async () => {
    const handler = httpFunction(kit(), async (request) => jsonResponse(200, { text: request.body, bytes: request.rawBody.length }), { metric: 'Requests' });
    const response = await handler(event({ body: Buffer.from('{"a":"é"}').toString('base64'), isBase64Encoded: true }), lambdaContext('kit-test'));
    expect(JSON.parse(response.body)).toEqual({ text: '{"a":"é"}', bytes: 10 });
  });
});

describe('sqsFunction', () => {
  it('parses each body against its schema and reports only the failing records', async () => {
    const seen: number[] = [];
    const handler = sqsFunction(kit(), { body: z.object({ n: z.int() }), what: 'the job', handle: async ({ n }) => void seen.push(n) });
    const response = await handler({ Records: [record('{"n":1}', 'ok'), record('{"n":"two"}', 'bad-shape'), record('not json {"childName":"X"}', 'not-json')] }, lambdaContext('kit-test'));
    expect(seen).toEqual([1]);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-shape', 'not-json']);
    expect(logged.join('')).not.toContain('childName');
  });

  it('makes a batch-wide setup once per batch and tells it when the batch is done', async () => {
    const batches: number[][] = [];
    const handler = sqsFunction(kit(), {
      body: z.object({ n: z.int() }),
      what: 'the job',
      inOrder: true,
      batch() {
        const batch: number[] = [];
        return { handle: async ({ n }) => void batch.push(n), done: () => void batches.push(batch) };
      },
    });
    await handler({ Records: [record('{"n":1}', 'a'), record('{"n":2}', 'b')] }, lambdaContext('kit-test'));
    await handler({ Records: [record('{"n":3}', 'c')] }, lambdaContext('kit-test'));
    expect(batches).toEqual([[1, 2], [3]]);
  });
});

describe('scheduledFunction', () => {
  it('checks the event against its schema, and sends a queue batch to the records handler', async () => {
    const k = kit();
    const handler = scheduledFunction(k, {
      event: z.object({ time: z.iso.datetime() }),
      handle: async ({ time }) => ({ ran: time }),
      queue: recordProcessor(k, { body: z.object({ bedId: z.string() }), what: 'the check', handle: async () => undefined }),
    });
    expect(await handler({ time: '2026-12-01T07:00:00Z' }, lambdaContext('kit-test'))).toEqual({ ran: '2026-12-01T07:00:00Z' });
    await expect(handler({ time: 'yesterday' }, lambdaContext('kit-test'))).rejects.toThrow();
    expect(await handler({ Records: [record('{"bedId":"b-1"}')] }, lambdaContext('kit-test'))).toEqual({ batchItemFailures: [] });
  });
});

describe('the no-echo record parser', () => {
  it('names fields and rules, never the body', () => {
    expect(() => parseRecordBody(z.object({ dob: z.iso.date() }), '{"dob":"14 March 2011"}', 'the referral')).toThrow('the referral is not valid: dob:invalid_format');
    expect(() => parseRecordBody(z.object({}), '{"dob": 14 March', 'the referral')).toThrow(/^the referral is not JSON$/);
    try {
      parseRecordBody(z.object({ dob: z.iso.date() }), '{"dob":"14 March 2011"}', 'the referral');
    } catch (error) {
      expect(String(error)).not.toContain('March');
    }
  });
});
