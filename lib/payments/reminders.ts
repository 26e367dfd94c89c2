import { customerOf } from '#lib/invoicing';
import { documentMessageId, type DeliveryRequest, type DeliveryRequester } from '#lib/contracts/delivery-requests';
import { addDays, daysBetween } from '#lib/time/calendar';
import type { DocumentAmount, DocumentTally } from './payments';

/** Reminders go when a document is this many days past its due date: once each. */
export const REMINDER_STAGES = [14, 30] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];

/** A day the reminder run was missed (a failed schedule) is caught up within this many days. */
export const CATCH_UP_DAYS = 7;

export interface ReminderSources {
  /** Documents falling due on a day (the invoices table's byDueDate index: one Query, never a scan). */
  dueOn(date: string): Promise<DocumentAmount[]>;
  tallies(numbers: readonly string[]): Promise<Map<string, DocumentTally>>;
  /** Whether a stage's reminder was already requested for a document. */
  requested(number: string, stage: ReminderStage): Promise<boolean>;
  /** Notes that it was (after the request is queued: the message id keeps a repeat from being sent twice). */
  markRequested(number: string, stage: ReminderStage, at: string): Promise<void>;
}

export interface ReminderOutcome {
  today: string;
  requested: Array<{ number: string; stage: ReminderStage; daysOverdue: number; outstandingPence: number; messages: number }>;
  alreadyRequested: number;
  settled: number;
}

/**
 * The daily reminder run for `today` (a London date): every invoice or
 * supplementary invoice 14 or 30 days past due (or up to a week more, if a
 * day's run was missed) with money still outstanding gets that stage's
 * reminder on every channel its council has, once. A document paid in full
 * gets none; one overdue by 30 days before its 14-day reminder went gets the
 * 30-day one only. The message ids are fixed by document, channel and stage,
 * so a run repeated (or resumed) never sends a reminder twice.
 */
export async function requestReminders(today: string, sources: ReminderSources, deliveries: DeliveryRequester, nowIso: string): Promise<ReminderOutcome> {
  const outcome: ReminderOutcome = { today, requested: [], alreadyRequested: 0, settled: 0 };
  for (const stage of REMINDER_STAGES) {
    const later = REMINDER_STAGES.find((s) => s > stage);
    for (let back = 0; back < CATCH_UP_DAYS; back++) {
      const due = addDays(today, -stage - back);
      const documents = (await sources.dueOn(due)).filter((d) => d.kind !== 'credit-note');
      if (documents.length === 0) continue;
      const tallies = await sources.tallies(documents.map((d) => d.number));
      for (const d of documents) {
        const daysOverdue = daysBetween(d.dueDate, today);
        if (later !== undefined && daysOverdue >= later) continue;
        const outstandingPence = d.grossPence - (tallies.get(d.number)?.allocatedPence ?? 0);
        if (outstandingPence <= 0) {
          outcome.settled++;
          continue;
        }
        if (await sources.requested(d.number, stage)) {
          outcome.alreadyRequested++;
          continue;
        }
        const purpose = stage === 14 ? 'reminder-14' : 'reminder-30';
        const channels = customerOf(d.placingLa).invoiceEndpoint ? (['email', 'webhook'] as const) : (['email'] as const);
        const requests: DeliveryRequest[] = channels.map((channel) => ({
          kind: 'document',
          messageId: documentMessageId(d.number, channel, purpose),
          number: d.number,
          channel,
          purpose,
          reminder: { daysOverdue, outstandingPence },
        }));
        await deliveries.request(requests);
        await sources.markRequested(d.number, stage, nowIso);
        outcome.requested.push({ number: d.number, stage, daysOverdue, outstandingPence, messages: requests.length });
      }
    }
  }
  return outcome;
}
