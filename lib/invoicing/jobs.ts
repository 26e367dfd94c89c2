import * as z from '#lib/validation';
import { LaNumber } from '#lib/codes/la-number';
import { MonthSchema } from './billable';

/**
 * Messages on the invoice-jobs queue. A run goes through three kinds, each
 * idempotent, so any of them may be delivered twice or after a crash:
 *   run      start the month's run (the API's request; the schedule starts it directly)
 *   council  draft one council's documents for the run and stage them
 *   number   once every council is staged: number and issue the staged documents
 *            in a fixed order, post their journals, mark each council done
 */
export const InvoiceJob = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('run'), month: MonthSchema, requestedBy: z.optional(z.string().check(z.maxLength(200))) }),
  z.strictObject({ type: z.literal('council'), month: MonthSchema, placingLa: LaNumber }),
  z.strictObject({ type: z.literal('number'), month: MonthSchema }),
]);
export type InvoiceJob = z.infer<typeof InvoiceJob>;

/** Sends invoice jobs (the SQS adapter batches them). */
export interface InvoiceJobQueue {
  send(jobs: readonly InvoiceJob[]): Promise<void>;
}
