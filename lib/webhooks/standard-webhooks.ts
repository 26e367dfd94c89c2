import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Standard Webhooks (standardwebhooks.com) signature verification.
 *
 * Written here rather than taken from the `standardwebhooks` package because the
 * domain needs the clock passed in and several of our own secrets accepted at
 * once during a rotation; tests check it against that package's signer.
 */

export const TOLERANCE_SECONDS = 5 * 60;
const SECRET_PREFIX = 'whsec_';

export type SignatureFailure =
  | 'missing-headers'
  | 'malformed-timestamp'
  | 'timestamp-too-old'
  | 'timestamp-too-new'
  | 'no-matching-signature';

export type VerificationResult = { ok: true } | { ok: false; reason: SignatureFailure };

/**
 * A signing key: a decoded secret, or the same bytes as a KeyObject. A verifier that checks every
 * request holds KeyObjects (see loadVerificationKeys): an HMAC keyed with raw bytes imports them
 * again on every call, which costs more than the HMAC of a referral itself.
 */
export type WebhookKey = Buffer | KeyObject;

export interface SignedDelivery {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  /** The raw body bytes exactly as sent: never a re-serialised parse. */
  body: Buffer;
}

/** Decodes a `whsec_<base64>` secret (the prefix is optional, as in the spec's libraries). */
export function decodeSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new Error('webhook secret must decode to at least 16 bytes');
  return key;
}

function signatureBytes(key: WebhookKey, id: string, timestamp: string, body: Buffer): Buffer {
  const mac = createHmac('sha256', key);
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return mac.digest();
}

export function sign(key: WebhookKey, id: string, timestamp: string, body: Buffer): string {
  return signatureBytes(key, id, timestamp, body).toString('base64');
}

/** Parses `v1,<sig> v1,<sig> v1a,<sig>` into the v1 signatures only. */
function v1Signatures(header: string): Buffer[] {
  return header
    .split(' ')
    .map((part) => part.split(','))
    .filter(([version, value]) => version === 'v1' && value !== undefined && value.length > 0)
    .map(([, value]) => Buffer.from(value!, 'base64'));
}

/**
 * Verifies a delivery against any of the given secrets.
 * `nowSeconds` is the current Unix time in seconds.
 */
export function verifyDelivery(
  delivery: SignedDelivery,
  keys: readonly WebhookKey[],
  nowSeconds: number,
  toleranceSeconds = TOLERANCE_SECONDS,
): VerificationResult {
  const { id, timestamp, signature, body } = delivery;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed-timestamp' };

  const sentAt = Number(timestamp);
  if (sentAt < nowSeconds - toleranceSeconds) return { ok: false, reason: 'timestamp-too-old' };
  if (sentAt > nowSeconds + toleranceSeconds) return { ok: false, reason: 'timestamp-too-new' };

  const candidates = v1Signatures(signature);
  for (const key of keys) {
    const expected = signatureBytes(key, id, timestamp, body);
    // timingSafeEqual needs equal lengths; a length mismatch reveals nothing secret.
    if (candidates.some((given) => given.length === expected.length && timingSafeEqual(given, expected))) {
      return { ok: true };
    }
  }
  return { ok: false, reason: 'no-matching-signature' };
}

/** Signs a delivery as the regional inbox would (used by tools, tests and `send-referral`). */
export function signDelivery(secret: string, id: string, timestampSeconds: number, body: Buffer | string) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const timestamp = String(timestampSeconds);
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${sign(decodeSecret(secret), id, timestamp, bytes)}`,
  };
}
