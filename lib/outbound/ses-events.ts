import * as z from '#lib/validation';
import type { DeliveryLog } from './ports';

/**
 * What SES publishes through the configuration set's SNS event destination,
 * as far as the delivery log needs it (SES event publishing format): the
 * event type, the mail's tags (ours: `message` = our message id) and, for a
 * bounce or complaint, its kind. Recipients' addresses are the councils'
 * accounts-payable mailboxes, never a child's.
 */
export const SesEvent = z.object({
  eventType: z.string(),
  mail: z.object({ messageId: z.string(), tags: z._default(z.record(z.string(), z.array(z.string())), {}) }),
  bounce: z.optional(z.object({ bounceType: z.string(), bounceSubType: z.optional(z.string()), timestamp: z.optional(z.string()), bouncedRecipients: z._default(z.array(z.object({ emailAddress: z.string() })), []) })),
  complaint: z.optional(z.object({ timestamp: z.optional(z.string()), complainedRecipients: z._default(z.array(z.object({ emailAddress: z.string() })), []), complaintFeedbackType: z.optional(z.string()) })),
});
export type SesEvent = z.infer<typeof SesEvent>;

/** The SNS envelope an SQS subscription delivers (raw delivery off). */
export const SnsEnvelope = z.object({ Type: z.literal('Notification'), MessageId: z.string(), Message: z.string() });

export type SesEventOutcome = 'recorded' | 'ignored' | 'unknown-message';

/** Logs a bounce or complaint against the message it is about; other events (sends, deliveries) are not logged twice. */
export async function recordSesEvent(event: SesEvent, log: DeliveryLog, nowIso: string): Promise<SesEventOutcome> {
  const kind = event.eventType === 'Bounce' ? 'bounced' : event.eventType === 'Complaint' ? 'complained' : undefined;
  if (!kind) return 'ignored';
  const messageId = event.mail.tags.message?.[0];
  const state = messageId ? await log.state(messageId) : undefined;
  if (!messageId || !state) return 'unknown-message';
  const recipients = (event.bounce?.bouncedRecipients ?? event.complaint?.complainedRecipients ?? []).map((r) => r.emailAddress);
  await log.note({
    messageId,
    subject: state.subject,
    channel: 'email',
    event: kind,
    at: event.bounce?.timestamp ?? event.complaint?.timestamp ?? nowIso,
    by: 'ses',
    ...(recipients.length > 0 ? { destination: recipients.join(', ') } : {}),
    detail: event.bounce ? `${event.bounce.bounceType}${event.bounce.bounceSubType ? `/${event.bounce.bounceSubType}` : ''} (SES message ${event.mail.messageId})` : `complaint ${event.complaint?.complaintFeedbackType ?? ''} (SES message ${event.mail.messageId})`.trim(),
  });
  return 'recorded';
}
