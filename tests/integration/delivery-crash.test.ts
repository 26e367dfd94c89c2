/**
 * Crash safety of the delivery sender: 400 outbound messages (news of referrals for the regional
 * inbox, signed webhooks) are queued, and the sender runs as its own Node process (the real
 * handler, fed from the queue as Lambda's event source mapping would) that is killed with SIGKILL
 * at random points, at least five times, each time resumed by a fresh process. The receiver is
 * slow to answer (so kills land mid-delivery) and fails one attempt in seven (so retries happen).
 * Every message reaches it; every copy of one message carries the same webhook-id and body, so
 * the receiver applies each once; and each message's log says it was sent.
 */
import { fileURLToPath } from 'node:url';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#lib/config';
import { DynamoDeliveryLog } from '#lib/outbound/dynamo-delivery-log';
import { endpointIds, endpointKeys } from '#lib/outbound/endpoint-secrets';
import type { NotificationDelivery } from '#lib/contracts/delivery-requests';
import { SqsDeliveryRequests } from '#lib/outbound/sqs-delivery-requests';
import { decodeSecret } from '#lib/webhooks/standard-webhooks';
import { generateSecret } from '#infra/local/secrets';
import { emulatorClients, provisionStack, type ProvisionedStack } from '#tests/support/emulators';
import { bundledWorker, followWorker, releaseInFlight, removeBundledWorker, spawnWorker, type QueueWorker } from '#tests/support/worker-process';
import { startWebhookReceiver, type WebhookReceiver } from '#tests/support/webhook-receiver';
import { WALL_CLOCK_VARIABLE } from '#tests/support/wall-clock';

const WORKER = await bundledWorker(fileURLToPath(new URL('../support/delivery-sender-worker.ts', import.meta.url)));
afterAll(() => removeBundledWorker(WORKER));
const MESSAGES = 400;
const MIN_KILLS = 5;
const MASTER = generateSecret();

const db = DynamoDBDocumentClient.from(emulatorClients().dynamodb);
const sqs = emulatorClients().sqs;
let stack: ProvisionedStack;
let receiver: WebhookReceiver;
const kills: number[] = [];
let requests: NotificationDelivery[];

function startWorker(): QueueWorker {
  const queue = stack.queues.DeliveriesQueue!;
  const child = spawnWorker(WORKER, {
    // No SES here: these messages are webhooks only.
    AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9',
    [ENV.invoicesTable]: stack.tables.InvoicesTable!,
    [ENV.deliveriesTable]: stack.tables.DeliveriesTable!,
    [ENV.deliveriesQueueUrl]: queue.url,
    DELIVERIES_QUEUE_ARN: queue.arn,
    [ENV.outboundSecrets]: MASTER,
    [ENV.regionalInboxUrl]: 'https://regional-inbox.example/webhooks/cared-for',
    [ENV.webhookBaseUrlOverride]: receiver.url,
    [ENV.deliveryRetryBaseSeconds]: '0',
    // The sender signs by its wall clock and the receiver checks by this process's: the same one, moved or not.
    // wall clock: the instant this process's clock reads now, handed to the worker's
    ...(process.env[WALL_CLOCK_VARIABLE] ? { [WALL_CLOCK_VARIABLE]: new Date().toISOString() } : {}),
  });
  return followWorker(child);
}

const release = (worker: QueueWorker) => releaseInFlight(sqs, stack.queues.DeliveriesQueue!.url, worker);

beforeAll(async () => {
  stack = await provisionStack('delivery-crash');
  receiver = await startWebhookReceiver(() => endpointKeys([decodeSecret(MASTER)], endpointIds.regionalInbox), undefined, { delayMs: 3, failOneIn: 7 });
  requests = Array.from({ length: MESSAGES }, (_, i) => {
    const referralId = `REF-${String(i).padStart(4, '0')}`;
    return {
      kind: 'notification',
      messageId: `msg_referral_${referralId}_offer_made`,
      referralId,
      placingLa: '390',
      type: 'placement.offer.made',
      body: JSON.stringify({ type: 'placement.offer.made', data: { referralId, childReference: `GH-${i}`, weeklyPricePence: 402_000 + i } }),
    } satisfies NotificationDelivery;
  });
  await new SqsDeliveryRequests(sqs, stack.queues.DeliveriesQueue!.url).request(requests);

  for (let k = 0; k < MIN_KILLS; k++) {
    const worker = startWorker();
    await worker.ready;
    const target = receiver.applied.length + 20 + Math.floor(Math.random() * 40);
    let exited = false;
    void worker.exited.then(() => (exited = true));
    while (!exited && receiver.applied.length < target) await new Promise((resolve) => setTimeout(resolve, 2));
    if (exited) continue;
    worker.child.kill('SIGKILL');
    await worker.exited;
    kills.push(receiver.applied.length);
    await release(worker);
  }
  const last = startWorker();
  expect(await last.exited, last.log.join('\n')).toBe(0);
  console.log(`delivery crash test: ${kills.length} kills (after ${kills.join(', ')} messages applied); ${receiver.received.length} requests for ${MESSAGES} messages, ${receiver.duplicates} duplicate(s) answered and ignored, ${receiver.received.filter((r) => r.status === 503).length} failed on purpose`);
}, 180_000);
afterAll(() => receiver?.stop());

describe('a sender killed at random points and resumed', () => {
  it('was killed at least five times mid-run', () => {
    expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(kills.every((applied) => applied < MESSAGES)).toBe(true);
  });

  it('delivered every message to the receiver, which applied each once', () => {
    expect([...receiver.applied].sort()).toEqual(requests.map((r) => r.messageId).sort());
  });

  it('every copy of one message carried the same webhook-id and the same body, validly signed', () => {
    const byId = new Map<string, Set<string>>();
    for (const r of receiver.received) byId.set(r.id, (byId.get(r.id) ?? new Set()).add(r.body));
    expect([...byId.keys()].sort()).toEqual(requests.map((r) => r.messageId).sort());
    for (const request of requests) expect([...byId.get(request.messageId)!]).toEqual([request.body]);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
  });

  it('logged every message as sent, once', async () => {
    const log = new DynamoDeliveryLog(db, stack.tables.DeliveriesTable!);
    for (const request of requests.slice(0, 50)) {
      const entries = await log.entriesFor(`REFERRAL#${request.referralId}`);
      expect(entries.filter((e) => e.event === 'sent'), request.messageId).toHaveLength(1);
      expect((await log.state(request.messageId))?.status).toBe('sent');
    }
    const states = await Promise.all(requests.map((r) => log.state(r.messageId)));
    expect(states.filter((s) => s?.status === 'sent')).toHaveLength(MESSAGES);
  });
});
