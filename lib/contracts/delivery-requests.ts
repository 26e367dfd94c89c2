import * as z from '#lib/validation';
import { LaNumber } from '#lib/codes/la-number';

/**
 * What the deliveries queue carries: one message to send, once, on one
 * channel. Its `messageId` is stable: a request sent twice (a builder resumed
 * after a crash, a redelivered queue message) names the same message, which
 * the sender delivers once, and a webhook receiver sees it under the same
 * `webhook-id` however often it is retried.
 */

export const Channel = /* @__PURE__ */ z.schema(() => z.enum(['email', 'webhook']));
export type Channel = z.infer<typeof Channel>;

/** Why a document goes out: issued by a run, re-sent by finance, or an overdue reminder. */
export const DocumentPurpose = /* @__PURE__ */ z.schema(() => z.enum(['issued', 'resend', 'reminder-14', 'reminder-30']));
export type DocumentPurpose = z.infer<typeof DocumentPurpose>;

export const MessageId = /* @__PURE__ */ z.schema(() => z.string().check(z.regex(/^msg_[A-Za-z0-9_.-]{1,200}$/, 'msg_ and letters, digits, _ . -')));

export const DocumentNumber = /* @__PURE__ */ z.schema(() => z.string().check(z.regex(/^[A-Z][A-Z0-9]{0,7}-\d{4}-\d{6}$/, 'a document number, e.g. NT-2627-000001')));

export const DocumentDelivery = /* @__PURE__ */ z.schema(() => z.strictObject({
  kind: z.literal('document'),
  messageId: MessageId,
  number: DocumentNumber,
  channel: Channel,
  purpose: DocumentPurpose,
  /** The member of staff who asked (a re-send); absent when the system sends. */
  requestedBy: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** For a reminder: how many days overdue and what is still owed when it was decided. */
  reminder: z.optional(z.strictObject({ daysOverdue: z.int().check(z.gte(1)), outstandingPence: z.int().check(z.gte(1)) })),
}));
export type DocumentDelivery = z.infer<typeof DocumentDelivery>;

/** News for the placing council about its referral: the signed webhook body, fixed when the decision was made. */
export const NotificationDelivery = /* @__PURE__ */ z.schema(() => z.strictObject({
  kind: z.literal('notification'),
  messageId: MessageId,
  referralId: z.string().check(z.minLength(1), z.maxLength(100)),
  placingLa: LaNumber,
  type: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The JSON body exactly as it is signed and sent. */
  body: z.string().check(z.minLength(2), z.maxLength(200_000)),
}));
export type NotificationDelivery = z.infer<typeof NotificationDelivery>;

export const DeliveryRequest = /* @__PURE__ */ z.schema(() => z.discriminatedUnion('kind', [DocumentDelivery, NotificationDelivery]));
export type DeliveryRequest = z.infer<typeof DeliveryRequest>;

/** `msg_NT-2627-000007_email_issued`: one message per document, channel and purpose (and re-send). */
export function documentMessageId(number: string, channel: Channel, purpose: DocumentPurpose, resend?: string): string {
  return `msg_${number}_${channel}_${purpose}${resend ? `_${resend}` : ''}`;
}

/** Whose log a message belongs in: a document's or a referral's. */
export function subjectOf(request: DeliveryRequest): string {
  return request.kind === 'document' ? `DOC#${request.number}` : `REFERRAL#${request.referralId}`;
}

/** Puts delivery requests on the deliveries queue. */
export interface DeliveryRequester {
  request(requests: readonly DeliveryRequest[]): Promise<void>;
}
