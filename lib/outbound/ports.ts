import type { Channel } from '#lib/contracts/delivery-requests';

/**
 * The delivery log: for every outbound message, its state (sent once, or
 * still being tried) and one entry per thing that happened to it, kept under
 * its subject (a document, or a referral) so one Query lists a document's or
 * a referral's whole history.
 */

export type DeliveryEvent =
  /** Finance asked for the document to be sent again. */
  | 'requested'
  | 'sent'
  /** This attempt failed; the queue retries it after a back-off. */
  | 'failed'
  /** Nowhere to send it (no accounts-payable address or endpoint for the council). */
  | 'undeliverable'
  /** SES reported the e-mail bounced (or was complained about) after it was sent. */
  | 'bounced'
  | 'complained';

export interface LogEntry {
  messageId: string;
  /** `DOC#<number>` or `REFERRAL#<referralId>`. */
  subject: string;
  channel: Channel;
  event: DeliveryEvent;
  /** ISO instant. */
  at: string;
  /** Who: `system`, or the staff id of whoever asked for a re-send. */
  by: string;
  /** The attempt this entry is about (1 for the first). */
  attempt?: number;
  /** What it was about: `issued`, `resend`, `reminder-14`, a notification type … */
  purpose?: string;
  /** Where it went: the e-mail address or the endpoint URL. */
  destination?: string;
  /** The SES message id, the HTTP status, the error: never message content. */
  detail?: string;
}

export interface DeliveryState {
  messageId: string;
  subject: string;
  channel: Channel;
  status: 'pending' | 'sent' | 'undeliverable';
  attempts: number;
  sentAt?: string;
}

export interface DeliveryLog {
  state(messageId: string): Promise<DeliveryState | undefined>;
  /**
   * Records the outcome of an attempt: the entry, and the message's state in
   * the same transaction. Once a message is sent its state never changes
   * again: a second `sent` (two senders raced) answers `already-sent`.
   */
  record(entry: LogEntry & { attempt: number }, outcome: 'sent' | 'failed' | 'undeliverable'): Promise<'recorded' | 'already-sent'>;
  /** An entry that does not change the message's state (requested, bounced, complained). */
  note(entry: LogEntry): Promise<void>;
  /** A subject's entries, oldest first. */
  entriesFor(subject: string): Promise<LogEntry[]>;
}
