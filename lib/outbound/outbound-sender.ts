import type { Clock } from '#lib/clock';
import { documentModel, type Customer, type IssuedDocument, type Issuer } from '#lib/invoicing';
import type { DeliveryLog, LogEntry } from './ports';
import { documentEmailText } from './document-message';
import type { EmailSender } from './email';
import { endpointIds } from './endpoint-secrets';
import { subjectOf, type DeliveryRequest, type DocumentDelivery, type NotificationDelivery } from '#lib/contracts/delivery-requests';
import type { PostOutcome, SignedPost } from './webhook-poster';

export interface DocumentSource {
  get(number: string, consistent?: boolean): Promise<IssuedDocument | undefined>;
}

export interface OutboundSenderDeps {
  log: DeliveryLog;
  documents: DocumentSource;
  email: EmailSender;
  post(post: SignedPost): Promise<PostOutcome>;
  /** The signing keys of an endpoint (see endpoint-secrets.ts). */
  keysFor(endpointId: string): Promise<Buffer[]>;
  customerOf(laNumber: string): Customer;
  issuer: Issuer;
  /** Where the regional commissioning inbox takes news of its referrals. */
  regionalInboxUrl: string;
  clock: Clock;
}

export type SendOutcome = { kind: 'sent'; detail: string } | { kind: 'already-sent' } | { kind: 'undeliverable'; reason: string };

/** This attempt failed and is retried by the queue; the log has it. */
export class DeliveryFailed extends Error {
  constructor(
    readonly messageId: string,
    reason: string,
  ) {
    super(`${messageId}: ${reason}`);
    this.name = 'DeliveryFailed';
  }
}

/**
 * Sends one outbound message, once: an issued document (e-mail with its PDF
 * through SES, or a signed webhook to the council's invoice endpoint) or news
 * for the regional inbox about a referral (a signed webhook). A message
 * already sent is not sent again; each attempt is logged (sent, failed,
 * undeliverable) with the message's state in one transaction. Webhook
 * deliveries carry the message id as `webhook-id` on every attempt, so a
 * receiver that got an attempt whose answer was lost applies it once.
 * Logs and log entries carry ids, addresses and statuses: never a child's
 * details (a document names a child by the placing council's reference only,
 * and notification bodies are built without names or dates of birth).
 */
export class OutboundSender {
  constructor(private readonly deps: OutboundSenderDeps) {}

  async deliver(request: DeliveryRequest, attempt: number): Promise<SendOutcome> {
    const state = await this.deps.log.state(request.messageId);
    if (state?.status === 'sent' || state?.status === 'undeliverable') return { kind: 'already-sent' };
    const common = {
      messageId: request.messageId,
      subject: subjectOf(request),
      channel: request.kind === 'document' ? request.channel : ('webhook' as const),
      by: request.kind === 'document' ? (request.requestedBy ?? 'system') : 'system',
      purpose: request.kind === 'document' ? request.purpose : request.type,
      attempt,
    };
    const at = () => new Date(this.deps.clock.nowMs()).toISOString();
    const prepared = request.kind === 'document' ? await this.prepareDocument(request) : this.prepareNotification(request);
    if ('undeliverable' in prepared) {
      await this.deps.log.record({ ...common, event: 'undeliverable', at: at(), detail: prepared.undeliverable }, 'undeliverable');
      return { kind: 'undeliverable', reason: prepared.undeliverable };
    }
    let detail: string;
    try {
      detail = await prepared.send();
    } catch (error) {
      const reason = error instanceof DeliveryFailed ? error.message.slice(request.messageId.length + 2) : `${(error as Error).name}: ${(error as Error).message}`;
      await this.deps.log.record({ ...common, event: 'failed', at: at(), destination: prepared.destination, detail: reason.slice(0, 500) }, 'failed');
      throw new DeliveryFailed(request.messageId, reason);
    }
    const recorded = await this.deps.log.record({ ...common, event: 'sent', at: at(), destination: prepared.destination, detail }, 'sent');
    return recorded === 'recorded' ? { kind: 'sent', detail } : { kind: 'already-sent' };
  }

  private async prepareDocument(request: DocumentDelivery): Promise<{ undeliverable: string } | { destination: string; send: () => Promise<string> }> {
    const document = await this.deps.documents.get(request.number, true);
    if (!document) throw new Error(`document ${request.number} not found`);
    const customer = this.deps.customerOf(document.placingLa);
    const model = documentModel(document, this.deps.issuer, customer);
    // pdf-lib is loaded on the first delivery that draws a PDF, not with the function: webhook deliveries draw none.
    const pdf = async () => (await import('#lib/invoicing/document-pdf')).documentPdf(model);
    const filename = `${document.number}.pdf`;
    if (request.channel === 'email') {
      const to = customer.accountsPayableEmail;
      if (!to) return { undeliverable: `no accounts-payable e-mail address for LA ${customer.laNumber}` };
      return {
        destination: to,
        send: async () => {
          const { subject, text } = documentEmailText(model, request);
          const sesId = await this.deps.email.send({
            from: this.deps.issuer.invoiceSenderEmail,
            to,
            replyTo: this.deps.issuer.remittance.remittanceEmail,
            subject,
            text,
            attachment: { filename, contentType: 'application/pdf', content: await pdf() },
            messageId: request.messageId,
          });
          return `SES message ${sesId}`;
        },
      };
    }
    const url = customer.invoiceEndpoint;
    if (!url) return { undeliverable: `no invoice endpoint for LA ${customer.laNumber}` };
    return {
      destination: url,
      send: async () => {
        const { slot: _slot, ...issued } = document;
        const body = JSON.stringify({
          type: `${document.kind}.${request.reminder ? 'overdue' : 'issued'}`,
          timestamp: new Date(this.deps.clock.nowMs()).toISOString(),
          data: {
            purpose: request.purpose,
            document: issued,
            ...(request.reminder ? { reminder: request.reminder } : {}),
            pdf: { filename, contentType: 'application/pdf', base64: Buffer.from(await pdf()).toString('base64') },
          },
        });
        return this.post(request.messageId, url, body, endpointIds.councilInvoices(customer.laNumber));
      },
    };
  }

  private prepareNotification(request: NotificationDelivery): { destination: string; send: () => Promise<string> } {
    const url = this.deps.regionalInboxUrl;
    return { destination: url, send: () => this.post(request.messageId, url, request.body, endpointIds.regionalInbox) };
  }

  private async post(messageId: string, url: string, body: string, endpointId: string): Promise<string> {
    const outcome = await this.deps.post({ url, id: messageId, timestampSeconds: Math.floor(this.deps.clock.nowMs() / 1000), body, keys: await this.deps.keysFor(endpointId) });
    if (!outcome.ok) throw new DeliveryFailed(messageId, outcome.reason);
    return `HTTP ${outcome.status}`;
  }
}

/** How long a failed message waits before its next attempt: doubling from `baseSeconds`, at most 15 minutes (SQS's own limit is 12 hours). */
export function retryDelaySeconds(receiveCount: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, receiveCount - 1), 900);
}

export type { LogEntry };
