/**
 * Sending documents, end to end on the emulators: a month's run issues the documents, the invoice
 * builder queues each one, and the delivery sender (the real handler, fed as Lambda's event source
 * mapping feeds it, with SQS's redelivery) e-mails each to its council's accounts payable through
 * the SES emulator (aws-ses-v2-local, read back through its API) with the PDF attached, and posts it
 * signed to the council's invoice endpoint where it has one. The endpoint is down for each message's
 * first three attempts, then recovers: each message is applied once.
 */
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV } from '#lib/config';
import { stackClock } from '#lib/stack-clock';
import { sampleEstate } from '#lib/estate/seed';
import { customerOf } from '#lib/invoicing/customers';
import type { IssuedDocument } from '#lib/invoicing/documents';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import { DynamoDeliveryLog } from '#lib/outbound/dynamo-delivery-log';
import { endpointIds, endpointKeys } from '#lib/outbound/endpoint-secrets';
import { decodeSecret } from '#lib/webhooks/standard-webhooks';
import { generateSecret } from '#infra/local/secrets';
import { startSesLocal, storedEmails, type SesLocal } from '#infra/local/ses-local';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';
import { emulatorClients } from '#tests/support/emulators';
import { drainThrough, placementOf, seedPlacements } from '#tests/support/invoicing-world';
import { lambdaContext } from '#tests/support/lambda-context';
import { consumeUntilEmpty } from '#tests/support/queue-consumer';
import { readEvent } from '#tests/support/webhook';
import { startWebhookReceiver, type WebhookReceiver } from '#tests/support/webhook-receiver';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const RUN_EVENT = { version: '0', id: 'e-1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time: '2026-03-01T02:00:00Z', region: 'eu-west-2', resources: [], detail: {} };
const MASTER = generateSecret();
const REGIONAL_INBOX = 'https://regional-inbox.example/webhooks/cared-for';

let h: ApiHarness;
let ses: SesLocal;
let receiver: WebhookReceiver;
let builder: SqsHandler;
let sender: SqsHandler;
let events: SqsHandler;
let store: DynamoInvoiceStore;
let log: DynamoDeliveryLog;
let documents: IssuedDocument[];

/** Which endpoint a path on the receiver stands for, and so which derived key signs it. */
function keysFor(path: string): Buffer[] {
  const endpoint = path.startsWith('/ap/cared-for') ? endpointIds.councilInvoices('391') : path.startsWith('/webhooks/nt-invoices') ? endpointIds.councilInvoices('394') : endpointIds.regionalInbox;
  return endpointKeys([decodeSecret(MASTER)], endpoint);
}

const sendAll = () => consumeUntilEmpty(sender, emulatorClients().sqs, h.stack.queues.DeliveriesQueue!, 'delivery-sender');

beforeAll(async () => {
  h = await startApiHarness('documents-out');
  ses = await startSesLocal();
  receiver = await startWebhookReceiver(keysFor, () => Math.floor(stackClock.nowMs() / 1000));
  receiver.failFirst(3);
  vi.stubEnv('AWS_ENDPOINT_URL_SESV2', ses.url);
  vi.stubEnv(ENV.invoicePrefix, 'NT');
  vi.stubEnv(ENV.paymentTermsDays, '30');
  vi.stubEnv(ENV.outboundSecrets, MASTER);
  vi.stubEnv(ENV.regionalInboxUrl, REGIONAL_INBOX);
  vi.stubEnv(ENV.webhookBaseUrlOverride, receiver.url);
  vi.stubEnv(ENV.deliveryRetryBaseSeconds, '0');
  builder = (await import('#functions/invoice-builder/handler')).handler as unknown as SqsHandler;
  sender = (await import('#functions/delivery-sender/handler')).handler as unknown as SqsHandler;
  events = (await import('#functions/delivery-events/handler')).handler as unknown as SqsHandler;
  const runFunction = (await import('#functions/invoicing-run/handler')).handler as unknown as (event: unknown, context: Context) => Promise<unknown>;
  store = new DynamoInvoiceStore(h.db, h.stack.tables.InvoicesTable!, 'NT');
  log = new DynamoDeliveryLog(h.db, h.stack.tables.DeliveriesTable!);

  // The estate names the homes; February's placements for Gateshead (two), Newcastle and
  // Sunderland (both with invoice endpoints) and a council from outside the region (no address).
  expect((await h.call('PUT', '/api/homes/harbour-view', { body: sampleEstate().find((home) => home.id === 'harbour-view')! })).status).toBe(200);
  await seedPlacements(h.db, h.tables.placements, [
    placementOf({ placementId: 'do-p1', placingLa: '390', startDate: '2026-02-10', weeklyPence: 402_000 }),
    placementOf({ placementId: 'do-p2', placingLa: '390', startDate: '2026-02-01', endDate: '2026-02-15', weeklyPence: 350_000 }),
    placementOf({ placementId: 'do-p3', placingLa: '391', startDate: '2026-02-20', weeklyPence: 420_000, purchaseOrder: 'NCL-PO-77' }),
    placementOf({ placementId: 'do-p4', placingLa: '394', startDate: '2026-02-03', weeklyPence: 455_000, purchaseOrder: 'SUN-881' }),
    placementOf({ placementId: 'do-p5', placingLa: '873', startDate: '2026-02-12', weeklyPence: 380_000 }),
  ]);
  await runFunction(RUN_EVENT, lambdaContext('invoicing-run'));
  expect((await drainThrough(builder, emulatorClients().sqs, h.stack.queues.InvoiceJobsQueue!, 5, 'invoice-builder')).failures).toEqual([]);
  documents = await store.forRun('2026-02');
  await sendAll();
}, 120_000);
afterAll(async () => {
  await Promise.all([h?.stop(), ses?.stop(), receiver?.stop()]);
});

describe('a month’s run, sent', () => {
  it('e-mails one message per document to its council’s accounts payable, with the PDF attached', async () => {
    expect(documents.map((d) => [d.number, d.placingLa])).toEqual([
      ['NT-2526-000001', '390'],
      ['NT-2526-000002', '391'],
      ['NT-2526-000003', '394'],
      ['NT-2526-000004', '873'],
    ]);
    const emails = await storedEmails(ses.url);
    const addressable = documents.filter((d) => customerOf(d.placingLa).accountsPayableEmail);
    expect(emails).toHaveLength(addressable.length);
    for (const d of addressable) {
      const sent = emails.filter((e) => e.subject.includes(d.number));
      expect(sent, d.number).toHaveLength(1);
      const [email] = sent;
      expect(email!.destination.to).toEqual([customerOf(d.placingLa).accountsPayableEmail]);
      expect(email!.from).toBe('invoices@cared-for.example');
      expect(email!.body.text).toContain(`Please quote ${d.number} as the payment reference.`);
      expect(email!.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`${d.number}.pdf`, 'application/pdf']]);
      const { text } = await extractText(new Uint8Array(Buffer.from(email!.attachments[0]!.content, 'base64')), { mergePages: true });
      expect(text).toContain(`Number ${d.number}`);
      expect(text).toContain("Harbour View children's home, child ref");
    }
    console.log(`documents out: ${documents.length} documents issued, ${emails.length} e-mails in the SES emulator (one per document with an accounts-payable address), each with its PDF`);
  });

  it('logs a council without an accounts-payable address as undeliverable, and sends it nothing', async () => {
    const entries = await log.entriesFor('DOC#NT-2526-000004');
    expect(entries.map((e) => [e.channel, e.event, e.by])).toEqual([['email', 'undeliverable', 'system']]);
    expect(entries[0]!.detail).toBe('no accounts-payable e-mail address for LA 873');
  });

  it('an endpoint down for 3 attempts, then back: each message delivered once, every copy with the same webhook-id and a valid signature', async () => {
    const withEndpoint = documents.filter((d) => customerOf(d.placingLa).invoiceEndpoint);
    expect(withEndpoint.map((d) => d.placingLa)).toEqual(['391', '394']);
    const ids = withEndpoint.map((d) => `msg_${d.number}_webhook_issued`);
    expect(receiver.applied).toEqual(expect.arrayContaining(ids));
    expect(receiver.applied).toHaveLength(ids.length);
    for (const id of ids) {
      const copies = receiver.received.filter((r) => r.id === id);
      expect(copies.map((c) => c.status)).toEqual([503, 503, 503, 200]);
      expect(copies.every((c) => c.signatureValid)).toBe(true);
    }
    // The body: the document as issued and its PDF.
    const body = JSON.parse(receiver.received.find((r) => r.status === 200 && r.id === ids[0])!.body);
    expect(body).toMatchObject({ type: 'invoice.issued', data: { purpose: 'issued', document: { number: withEndpoint[0]!.number, grossPence: withEndpoint[0]!.grossPence }, pdf: { filename: `${withEndpoint[0]!.number}.pdf` } } });
    expect(body.data.document.slot).toBeUndefined();
    // The log: three failures and the delivery, for each.
    for (const d of withEndpoint) {
      const webhook = (await log.entriesFor(`DOC#${d.number}`)).filter((e) => e.channel === 'webhook');
      expect(webhook.map((e) => [e.event, e.attempt, e.detail])).toEqual([
        ['failed', 1, 'HTTP 503'],
        ['failed', 2, 'HTTP 503'],
        ['failed', 3, 'HTTP 503'],
        ['sent', 4, 'HTTP 200'],
      ]);
    }
    console.log(`documents out: endpoint down for 3 attempts per message: ${receiver.received.length} requests for ${ids.length} messages, ${receiver.applied.length} applied, ${receiver.received.filter((r) => r.status === 503).length} answered 503`);
  });

  it('a delivery log entry for every outbound message', async () => {
    for (const d of documents) {
      const messages = new Set((await log.entriesFor(`DOC#${d.number}`)).map((e) => e.messageId));
      const expected = [`msg_${d.number}_email_issued`, ...(customerOf(d.placingLa).invoiceEndpoint ? [`msg_${d.number}_webhook_issued`] : [])];
      expect([...messages].sort()).toEqual(expected.sort());
    }
  });

  it('the same requests delivered again (a resumed builder, a redelivered message) send nothing more', async () => {
    const before = (await storedEmails(ses.url)).length;
    const requests = documents.flatMap((d) => [{ kind: 'document', messageId: `msg_${d.number}_email_issued`, number: d.number, channel: 'email', purpose: 'issued' }]);
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    await emulatorClients().sqs.send(new SendMessageBatchCommand({ QueueUrl: h.stack.queues.DeliveriesQueue!.url, Entries: requests.map((r, i) => ({ Id: String(i), MessageBody: JSON.stringify(r) })) }));
    await sendAll();
    expect(await storedEmails(ses.url)).toHaveLength(before);
  });
});

describe('finance', () => {
  it('re-sends a document: a new e-mail, logged with who asked', async () => {
    const resend = await h.call('POST', '/api/invoices/NT-2526-000001/deliveries', { as: 'finance', body: { channel: 'email' } });
    expect(resend).toMatchObject({ status: 202, body: { number: 'NT-2526-000001', queued: [{ channel: 'email', messageId: expect.stringMatching(/^msg_NT-2526-000001_email_resend_/) }] } });
    await sendAll();
    const emails = (await storedEmails(ses.url)).filter((e) => e.subject.includes('NT-2526-000001'));
    expect(emails.map((e) => e.subject)).toEqual([
      'Invoice NT-2526-000001 from North Tyneside Council',
      'Invoice NT-2526-000001 from North Tyneside Council (copy)',
    ]);
    const answer = await h.call('GET', '/api/invoices/NT-2526-000001/deliveries', { as: 'finance' });
    expect(answer.status).toBe(200);
    expect(answer.body.entries.map((e: any) => [e.event, e.by, e.purpose])).toEqual([
      ['sent', 'system', 'issued'],
      ['requested', 'staff-finance', 'resend'],
      ['sent', 'staff-finance', 'resend'],
    ]);
  });

  it('re-sending is finance’s; reading the log is for those who read invoices', async () => {
    expect((await h.call('POST', '/api/invoices/NT-2526-000001/deliveries', { as: 'residential-manager', body: {} })).status).toBe(403);
    expect((await h.call('GET', '/api/invoices/NT-2526-000001/deliveries', { as: 'team-manager' })).status).toBe(403);
    expect((await h.call('POST', '/api/invoices/NT-2526-999999/deliveries', { as: 'finance', body: {} })).status).toBe(404);
    expect((await h.call('POST', '/api/invoices/NT-2526-000001/deliveries', { as: 'finance', body: { channel: 'fax' } })).status).toBe(400);
  });

  it('a bounce reported by SES is logged against the message it is about', async () => {
    const event = JSON.parse(readEvent('delivery-events/bounce.json')) as SQSEvent;
    expect((await events(event, lambdaContext('delivery-events'))).batchItemFailures).toEqual([]);
    const bounced = (await log.entriesFor('DOC#NT-2526-000001')).filter((e) => e.event === 'bounced');
    expect(bounced).toEqual([expect.objectContaining({ messageId: 'msg_NT-2526-000001_email_issued', by: 'ses', destination: 'accounts.payable@gateshead.example', detail: 'Permanent/General (SES message 0100018e-ses-message)' })]);
  });
});
