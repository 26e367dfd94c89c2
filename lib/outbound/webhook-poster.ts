import { sign } from '#lib/webhooks';

export interface SignedPost {
  url: string;
  /** `webhook-id`: the same on every attempt of one message. */
  id: string;
  timestampSeconds: number;
  body: string;
  keys: readonly Buffer[];
}

export type PostOutcome = { ok: true; status: number } | { ok: false; status?: number; reason: string };

/** How long a receiver may take to answer one delivery. */
export const POST_TIMEOUT_MS = 10_000;

/**
 * POSTs one Standard Webhooks delivery: `webhook-id`, `webhook-timestamp` and
 * one `v1,` signature per key over `id.timestamp.body`. A 2xx answer is
 * delivered; anything else (or no answer within the timeout) is a failure the
 * queue retries. Redirects are not followed: a receiver must answer itself.
 */
export async function postSigned(post: SignedPost): Promise<PostOutcome> {
  const timestamp = String(post.timestampSeconds);
  const body = Buffer.from(post.body, 'utf8');
  const signature = post.keys.map((key) => `v1,${sign(key, post.id, timestamp, body)}`).join(' ');
  try {
    const response = await fetch(post.url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', 'webhook-id': post.id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
      body,
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    // Drain the answer so the connection can be reused; its content is the receiver's business.
    await response.arrayBuffer().catch(() => undefined);
    return response.ok ? { ok: true, status: response.status } : { ok: false, status: response.status, reason: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, reason: (error as Error).name === 'TimeoutError' ? `no answer within ${POST_TIMEOUT_MS} ms` : `not reached: ${(error as Error).message}` };
  }
}
