/**
 * A council's (or the regional inbox's) webhook endpoint for tests, on 127.0.0.1: it verifies each
 * delivery's Standard Webhooks signature against the keys it was given, can be made to fail (an
 * outage), and applies each `webhook-id` once, as a receiver must, however often it is delivered.
 */
import { stackClock } from '#lib/stack-clock';
import { createServer, type Server } from 'node:http';
import { listenOnLoopback, loopbackEndpoint } from '#infra/local/loopback-server';
import { verifyDelivery } from '#lib/webhooks/standard-webhooks';

export interface ReceivedDelivery {
  path: string;
  id: string;
  timestamp: string;
  signatureValid: boolean;
  status: number;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  /** Every request, in arrival order. */
  received: ReceivedDelivery[];
  /** The webhook-ids applied, in order, each once. */
  applied: string[];
  /** Deliveries of an id already applied: answered 200 and ignored, as the spec asks of receivers. */
  duplicates: number;
  /** Fail the first `n` attempts of every webhook-id with 503 (an outage as each message sees it). */
  failFirst(n: number): void;
  stop(): Promise<void>;
}

export interface ReceiverBehaviour {
  /** Milliseconds before each answer (a slow receiver widens the window a crash can fall in). @default 0 */
  delayMs?: number;
  /** Answer 503 to one attempt in this many, at random, besides any `failFirst`. @default never */
  failOneIn?: number;
}

export async function startWebhookReceiver(
  keysFor: (path: string) => Buffer[],
  nowSeconds: () => number = () => Math.floor(stackClock.nowMs() / 1000),
  behaviour: ReceiverBehaviour = {},
): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const applied: string[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const attempts = new Map<string, number>();
  let failures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const id = String(req.headers['webhook-id'] ?? '');
      const timestamp = String(req.headers['webhook-timestamp'] ?? '');
      const verdict = verifyDelivery({ id, timestamp, signature: req.headers['webhook-signature'] as string | undefined, body }, keysFor(req.url ?? '/'), nowSeconds());
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      let status = 200;
      if (!verdict.ok) status = 401;
      else if (attempt <= failures || (behaviour.failOneIn !== undefined && Math.random() * behaviour.failOneIn < 1)) status = 503;
      else if (seen.has(id)) duplicates++;
      else {
        seen.add(id);
        applied.push(id);
      }
      received.push({ path: req.url ?? '/', id, timestamp, signatureValid: verdict.ok, status, body: body.toString('utf8') });
      setTimeout(() => res.writeHead(status).end(), behaviour.delayMs ?? 0);
    });
  });
  await listenOnLoopback(server);
  const { url, stop } = loopbackEndpoint(server);
  return {
    url,
    received,
    applied,
    get duplicates() {
      return duplicates;
    },
    failFirst: (n) => (failures = n),
    stop,
  };
}
