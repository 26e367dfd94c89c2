import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { stackClock } from '#lib/stack-clock';
import { signDelivery } from '#lib/webhooks/standard-webhooks';

/** The signing secret the sample events and tests use (never a real one). */
export const TEST_WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export const readEvent = (name: string): string => readFileSync(new URL(`../../events/${name}`, import.meta.url), 'utf8');

/** An API Gateway REST (v1) proxy event for POST /webhooks/referrals. */
export function apiGatewayEvent(headers: Record<string, string>, body: string, isBase64Encoded = false): APIGatewayProxyEvent {
  return {
    resource: '/webhooks/referrals',
    path: '/webhooks/referrals',
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { requestId: randomUUID(), stage: 'v1' } as APIGatewayProxyEvent['requestContext'],
    body,
    isBase64Encoded,
  };
}

/** A delivery signed now by the stack's clock (what the handler checks the timestamp against), or at `atSeconds`, with the test secret. */
export function signedEvent(body: string, options: { id?: string; atSeconds?: number; secret?: string } = {}): APIGatewayProxyEvent {
  const headers = signDelivery(
    options.secret ?? TEST_WEBHOOK_SECRET,
    options.id ?? `msg_${randomUUID()}`,
    options.atSeconds ?? Math.floor(stackClock.nowMs() / 1000),
    body,
  );
  return apiGatewayEvent(headers, body);
}
