/**
 * Reminders: the daily rule's function, run for chosen days (the London date of the event's time),
 * finds documents 14 and 30 days past due through the invoices table's byDueDate index, and asks for
 * one reminder each, on every channel the council has, for what is still owed: never twice, never
 * for a document paid in full. The delivery sender then e-mails them (SES emulator) with the PDF.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ENV } from '#lib/config';
import { endpointIds, endpointKeys } from '#lib/outbound/endpoint-secrets';
import { stackClock } from '#lib/stack-clock';
import { decodeSecret } from '#lib/webhooks/standard-webhooks';
import type { IssuedDocument } from '#lib/invoicing/documents';
import { DynamoInvoiceStore } from '#lib/invoicing/dynamo-invoice-store';
import type { ReminderOutcome } from '#lib/payments/reminders';
import { generateSecret } from '#infra/local/secrets';
import { startSesLocal, storedEmails, type SesLocal } from '#infra/local/ses-local';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';
import { emulatorClients } from '#tests/support/emulators';
import { drainThrough, placementOf, seedPlacements } from '#tests/support/invoicing-world';
import { lambdaContext } from '#tests/support/lambda-context';
import { consumeUntilEmpty } from '#tests/support/queue-consumer';
import { startWebhookReceiver, type WebhookReceiver } from '#tests/support/webhook-receiver';

type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const event = (time: string) => ({ version: '0', id: time, 'detail-type': 'Scheduled Event', source: 'aws.events', account: '000000000000', time, region: 'eu-west-2', resources: [], detail: {} });

let h: ApiHarness;
let ses: SesLocal;
let receiver: WebhookReceiver;
let sender: SqsHandler;
let reminders: (event: unknown, context: Context) => Promise<ReminderOutcome>;
let docs: IssuedDocument[];
const remind = (time: string) => reminders(event(time), lambdaContext('payment-reminders'));
const send = () => consumeUntilEmpty(sender, emulatorClients().sqs, h.stack.queues.DeliveriesQueue!, 'delivery-sender');

beforeAll(async () => {
  h = await startApiHarness('reminders', { now: '2026-03-01T06:00:00.000Z' });
  ses = await startSesLocal();
  const master = generateSecret();
  const keys = [endpointIds.councilInvoices('391'), endpointIds.councilInvoices('394'), endpointIds.regionalInbox].flatMap((id) => endpointKeys([decodeSecret(master)], id));
  receiver = await startWebhookReceiver(() => keys, () => Math.floor(stackClock.nowMs() / 1000));
  vi.stubEnv('AWS_ENDPOINT_URL_SESV2', ses.url);
  vi.stubEnv(ENV.invoicePrefix, 'NT');
  vi.stubEnv(ENV.paymentTermsDays, '30');
  vi.stubEnv(ENV.outboundSecrets, master);
  vi.stubEnv(ENV.regionalInboxUrl, 'https://regional-inbox.example/webhooks/cared-for');
  vi.stubEnv(ENV.webhookBaseUrlOverride, receiver.url);
  vi.stubEnv(ENV.deliveryRetryBaseSeconds, '0');
  const builder = (await import('#functions/invoice-builder/handler')).handler as unknown as SqsHandler;
  sender = (await import('#functions/delivery-sender/handler')).handler as unknown as SqsHandler;
  reminders = (await import('#functions/payment-reminders/handler')).handler as never;
  const runFunction = (await import('#functions/invoicing-run/handler')).handler as unknown as (event: unknown, context: Context) => Promise<unknown>;
  // February for Gateshead (390, two placements: one invoice), Newcastle (391) and Sunderland (394): due 31 March.
  await seedPlacements(h.db, h.tables.placements, [
    placementOf({ placementId: 'rem-p1', placingLa: '390', startDate: '2026-02-10', weeklyPence: 402_000 }),
    placementOf({ placementId: 'rem-p2', placingLa: '391', startDate: '2026-02-20', weeklyPence: 420_000 }),
    placementOf({ placementId: 'rem-p3', placingLa: '394', startDate: '2026-02-03', weeklyPence: 455_000 }),
  ]);
  await runFunction(event('2026-03-01T02:00:00Z'), lambdaContext('invoicing-run'));
  expect((await drainThrough(builder, emulatorClients().sqs, h.stack.queues.InvoiceJobsQueue!, 5, 'invoice-builder')).failures).toEqual([]);
  docs = await new DynamoInvoiceStore(h.db, h.stack.tables.InvoicesTable!, 'NT').forRun('2026-02');
  // The documents themselves go out (and are not what this test counts).
  await send();
  // Newcastle pays in full, Sunderland half, by 10 April; Gateshead nothing.
  h.clock.set('2026-04-10T12:00:00.000Z');
  const pay = async (la: string, amountPence: number, invoice: string) => {
    const r = await h.call('POST', '/api/remittances', { as: 'finance', body: { placingLa: la, date: '2026-04-10', amountPence, reference: invoice } });
    expect(r.status).toBe(201);
    expect((await h.call('POST', '/api/allocations', { as: 'finance', body: { source: { type: 'remittance', remittanceId: r.body.remittanceId }, lines: [{ invoice, amountPence }] } })).status).toBe(201);
  };
  const of = (la: string) => docs.find((d) => d.placingLa === la)!;
  await pay('391', of('391').grossPence, of('391').number);
  await pay('394', Math.floor(of('394').grossPence / 2), of('394').number);
}, 180_000);
afterAll(async () => {
  await Promise.all([h?.stop(), ses?.stop(), receiver?.stop()]);
});

const summary = (o: ReminderOutcome) => o.requested.map((r) => [r.number, r.stage, r.daysOverdue, r.outstandingPence, r.messages]);

describe('the daily reminder run', () => {
  it('13 days past due: nothing yet', async () => {
    expect((await remind('2026-04-13T07:00:00Z')).requested).toEqual([]);
  });

  it('14 days past due: one reminder for each document still owed, on each of its council’s channels; none for one paid in full', async () => {
    const [gateshead, newcastle, sunderland] = ['390', '391', '394'].map((la) => docs.find((d) => d.placingLa === la)!);
    const outcome = await remind('2026-04-14T07:00:00Z');
    expect(summary(outcome)).toEqual([
      [gateshead!.number, 14, 14, gateshead!.grossPence, 1],
      [sunderland!.number, 14, 14, sunderland!.grossPence - Math.floor(sunderland!.grossPence / 2), 2],
    ]);
    expect(outcome.settled).toBe(1);
    expect(newcastle).toBeDefined();
    await send();
    const reminderMails = (await storedEmails(ses.url)).filter((e) => e.subject.startsWith('Reminder:'));
    expect(reminderMails.map((e) => e.subject).sort()).toEqual(
      [
        `Reminder: invoice ${gateshead!.number} is 14 days overdue (£${(gateshead!.grossPence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })} outstanding)`,
        expect.stringContaining(`Reminder: invoice ${sunderland!.number} is 14 days overdue`),
      ].sort(),
    );
    expect(reminderMails.every((e) => e.attachments.length === 1 && e.attachments[0]!.contentType === 'application/pdf')).toBe(true);
    expect(receiver.received.filter((r) => JSON.parse(r.body).type === 'invoice.overdue').map((r) => r.id)).toEqual([`msg_${sunderland!.number}_webhook_reminder-14`]);
  });

  it('the same day again, and the days after (a missed day is caught up): never a second 14-day reminder', async () => {
    const again = await remind('2026-04-14T07:05:00Z');
    expect(again.requested).toEqual([]);
    expect(again.alreadyRequested).toBe(2);
    for (const day of ['2026-04-15', '2026-04-20']) expect((await remind(`${day}T07:00:00Z`)).requested).toEqual([]);
    await send();
    expect((await storedEmails(ses.url)).filter((e) => e.subject.includes('14 days overdue'))).toHaveLength(2);
  });

  it('30 days past due: the second reminder, once', async () => {
    const outcome = await remind('2026-04-30T07:00:00Z');
    expect(outcome.requested.map((r) => [r.stage, r.daysOverdue])).toEqual([
      [30, 30],
      [30, 30],
    ]);
    expect((await remind('2026-05-01T07:00:00Z')).requested).toEqual([]);
    await send();
    expect((await storedEmails(ses.url)).filter((e) => e.subject.includes('30 days overdue'))).toHaveLength(2);
    console.log(`reminders: 14 days past due → ${2} reminders (3 channels), 30 days → 2; repeated runs on 7 days requested none again; the invoice paid in full got none`);
  });
});
