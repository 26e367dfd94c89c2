import * as z from '#lib/validation';
import { LaNumber } from '#lib/codes/la-number';
import { IsoDate } from '#lib/time/iso-date';

/**
 * Payments from placing councils: remittances (money received, posted bank
 * against debtors control when recorded) and allocations (which open items a
 * remittance or a credit note settles, in whole or part). Allocations move
 * nothing in the ledger: the debtors control account already fell when the
 * money came in; they say which documents are paid. Money is integer pence.
 */

const Pence = z.int().check(z.gte(1), z.lte(10_000_000_000));

export const Remittance = z.object({
  remittanceId: z.string().check(z.minLength(1), z.maxLength(100)),
  placingLa: LaNumber,
  /** The day the money reached our account. */
  date: IsoDate,
  amountPence: Pence,
  /** The payer's reference (often the invoice number). */
  reference: z.string().check(z.maxLength(200)),
  /** How the bank statement names the payer. */
  payer: z.optional(z.string().check(z.maxLength(200))),
  source: z.enum(['manual', 'bank-file']),
  recordedBy: z.string().check(z.minLength(1), z.maxLength(200)),
  recordedAt: z.iso.datetime(),
  /** How much of it is allocated to documents; the rest is unallocated cash. */
  allocatedPence: z.int().check(z.gte(0)),
  version: z.int().check(z.gte(1)),
  /** Its journal reached the ledger-postings queue. */
  posted: z.boolean(),
});
export type Remittance = z.infer<typeof Remittance>;

/** What settles: a remittance's cash, or a credit note. */
export const AllocationSource = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('remittance'), remittanceId: z.string().check(z.minLength(1), z.maxLength(100)) }),
  z.strictObject({ type: z.literal('credit-note'), number: z.string().check(z.minLength(1), z.maxLength(40)) }),
]);
export type AllocationSource = z.infer<typeof AllocationSource>;

export const Allocation = z.object({
  allocationId: z.string().check(z.minLength(1)),
  placingLa: z.string(),
  source: AllocationSource,
  /** The invoice (or supplementary invoice) settled. */
  invoice: z.string(),
  amountPence: Pence,
  /** The London date it was made: open items as at an earlier date do not see it. */
  date: IsoDate,
  by: z.string(),
  at: z.iso.datetime(),
});
export type Allocation = z.infer<typeof Allocation>;

/** A document as payments see it: its size and when it fell due. */
export interface DocumentAmount {
  number: string;
  kind: 'invoice' | 'supplementary-invoice' | 'credit-note';
  placingLa: string;
  issueDate: string;
  dueDate: string;
  /** Signed: a credit note is negative. */
  grossPence: number;
  corrects?: string;
}

/** How much of a document has been settled (an invoice) or used (a credit note), and the version its next change is conditioned on. */
export interface DocumentTally {
  number: string;
  allocatedPence: number;
  version: number;
}
