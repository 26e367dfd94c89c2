import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { verifyDelivery, type SignatureFailure, type WebhookKey } from '#lib/webhooks';
import { fieldErrors, jsonResponse, problem, problemResponse, type HttpResponse, type ProblemDetails } from '#lib/http';
import { ReferralEvent } from './schema';
import type { IncomingDelivery, IntakeOutcome } from './intake';

/** Bodies over 256 KB are refused before any other work (design §2). */
export const MAX_BODY_BYTES = 256 * 1024;

const WebhookId = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'letters, digits and _ . : - only, at most 128 characters'));

export interface RawRequest {
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

export type ReceivedDelivery = { ok: true; delivery: IncomingDelivery } | { ok: false; problem: ProblemDetails };

const SIGNATURE_DETAIL: Record<SignatureFailure, string> = {
  'missing-headers': 'webhook-id, webhook-timestamp and webhook-signature headers are all required',
  'malformed-timestamp': 'webhook-timestamp must be Unix seconds',
  'timestamp-too-old': 'webhook-timestamp is more than 5 minutes in the past',
  'timestamp-too-new': 'webhook-timestamp is more than 5 minutes in the future',
  'no-matching-signature': 'no signature in webhook-signature matches this body',
};

/**
 * Turns a raw HTTP request into a verified, schema-valid delivery, or the
 * problem to answer with. Checks run cheapest and least trusting first:
 * size, signature, then the body.
 */
export function receiveDelivery(request: RawRequest, keys: readonly WebhookKey[], nowSeconds: number): ReceivedDelivery {
  if (request.body.length > MAX_BODY_BYTES) {
    return { ok: false, problem: problem(413, 'payload-too-large', 'Payload too large', `the body is ${request.body.length} bytes; the limit is ${MAX_BODY_BYTES}`) };
  }

  const id = request.headers['webhook-id'];
  const verification = verifyDelivery(
    { id, timestamp: request.headers['webhook-timestamp'], signature: request.headers['webhook-signature'], body: request.body },
    keys,
    nowSeconds,
  );
  if (!verification.ok) {
    return { ok: false, problem: problem(401, 'invalid-signature', 'Signature not accepted', SIGNATURE_DETAIL[verification.reason]) };
  }

  const webhookId = WebhookId.safeParse(id);
  if (!webhookId.success) {
    return { ok: false, problem: problem(400, 'validation', 'The delivery is not valid', 'see errors', fieldErrors(webhookId.error, ['headers', 'webhook-id'])) };
  }

  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { ok: false, problem: problem(400, 'malformed-json', 'The body is not JSON', 'the body must be a JSON object') };
  }

  const event = ReferralEvent.safeParse(json);
  if (!event.success) {
    return { ok: false, problem: problem(400, 'validation', 'The delivery is not valid', 'see errors', fieldErrors(event.error)) };
  }

  return {
    ok: true,
    delivery: {
      webhookId: webhookId.data,
      bodySha256: createHash('sha256').update(request.body).digest('hex'),
      event: event.data,
    },
  };
}

const CONFLICT_TITLE: Record<Extract<IntakeOutcome, { kind: 'conflict' }>['reason'], string> = {
  'referral-exists': 'The referral already exists',
  'referral-closed': 'The referral is closed',
  'webhook-id-reused': 'webhook-id reused with a different body',
  'delivery-in-progress': 'This delivery is being processed',
};

/** 202 for a new effect, 200 for a repeat, 409 for a conflict (design §2). */
export function outcomeResponse(outcome: IntakeOutcome): HttpResponse {
  switch (outcome.kind) {
    case 'accepted':
      return jsonResponse(202, outcome.result);
    case 'repeat':
      return jsonResponse(200, outcome.result);
    case 'conflict':
      return problemResponse(
        problem(409, outcome.reason, CONFLICT_TITLE[outcome.reason], outcome.detail),
        outcome.reason === 'delivery-in-progress' ? { 'retry-after': '5' } : {},
      );
  }
}
