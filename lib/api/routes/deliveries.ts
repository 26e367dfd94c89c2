import { randomUUID } from 'node:crypto';
import * as z from '#lib/validation';
import { found, NotFound } from '#lib/errors';
import { customerOf } from '#lib/invoicing';
import { Channel, DocumentNumber, documentMessageId, type DocumentDelivery } from '#lib/contracts/delivery-requests';
import { MANAGE_RECEIVABLES, READ_INVOICES } from '#lib/api/access';
import { apiRoute } from '#lib/api/services';

const NumberPath = z.object({ number: DocumentNumber });

const LogEntryView = z.object({
  messageId: z.string(),
  channel: Channel,
  event: z.enum(['requested', 'sent', 'failed', 'undeliverable', 'bounced', 'complained']),
  at: z.iso.datetime(),
  by: z.string(),
  attempt: z.optional(z.int()),
  purpose: z.optional(z.string()),
  destination: z.optional(z.string()),
  detail: z.optional(z.string()),
});

export const deliveryRoutes = [
  apiRoute({
    method: 'GET',
    path: '/api/invoices/{number}/deliveries',
    roles: READ_INVOICES,
    params: NumberPath,
    response: z.object({ number: z.string(), entries: z.array(LogEntryView) }),
    async handle({ params }, { invoices, deliveries }) {
      if (!(await invoices.get(params.number))) throw new NotFound('document');
      const entries = await deliveries.log.entriesFor(`DOC#${params.number}`);
      return { number: params.number, entries: entries.map(({ subject: _subject, ...entry }) => entry) };
    },
  }),
  apiRoute({
    method: 'POST',
    path: '/api/invoices/{number}/deliveries',
    roles: MANAGE_RECEIVABLES,
    status: 202,
    params: NumberPath,
    body: z.strictObject({
      /** One channel, or (by default) every channel the council has. */
      channel: z.optional(Channel),
    }),
    response: z.object({ number: z.string(), queued: z.array(z.object({ messageId: z.string(), channel: Channel })) }),
    async handle({ params, body, caller }, { invoices, deliveries, clock }) {
      const document = found(await invoices.get(params.number), 'document');
      const customer = customerOf(document.placingLa);
      const channels = body.channel ? [body.channel] : customer.invoiceEndpoint ? (['email', 'webhook'] as const) : (['email'] as const);
      // A re-send is a new message (a receiver that applied the first one may have lost it), kept under the document's log.
      const resend = randomUUID().slice(0, 8);
      const requests: DocumentDelivery[] = channels.map((channel) => ({
        kind: 'document',
        messageId: documentMessageId(document.number, channel, 'resend', resend),
        number: document.number,
        channel,
        purpose: 'resend',
        requestedBy: caller.subject,
      }));
      const at = new Date(clock.nowMs()).toISOString();
      for (const r of requests) {
        await deliveries.log.note({ messageId: r.messageId, subject: `DOC#${r.number}`, channel: r.channel, event: 'requested', at, by: caller.subject, purpose: 'resend' });
      }
      await deliveries.requests.request(requests);
      return { number: document.number, queued: requests.map((r) => ({ messageId: r.messageId, channel: r.channel })) };
    },
  }),
];
