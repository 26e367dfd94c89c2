import { Conflict, NotFound } from '#lib/errors';
import type { Allocation, AllocationSource, DocumentAmount, DocumentTally, Remittance } from './payments';

/**
 * Deciding an allocation: settle invoices from one source (a remittance's
 * unallocated cash, or a credit note's unused credit), each line whole or in
 * part. Pure: reads what is stored, returns what to write; the adapter writes
 * it in one transaction conditioned on the versions read.
 */

export interface AllocationRequest {
  source: AllocationSource;
  lines: Array<{ invoice: string; amountPence: number }>;
}

export interface AllocationInput {
  request: AllocationRequest;
  /** The source as stored: the remittance, or the credit note and its tally. */
  remittance?: Remittance;
  creditNote?: { document: DocumentAmount; tally: DocumentTally };
  /** Each invoice named, with its tally. */
  invoices: ReadonlyMap<string, { document: DocumentAmount; tally: DocumentTally }>;
  newId: () => string;
  today: string;
  by: string;
  at: string;
}

export interface DecidedAllocation {
  allocations: Allocation[];
  placingLa: string;
  /** The source after: the remittance's allocated total, or the credit note's tally. */
  remittance?: { before: Remittance; allocatedPence: number };
  creditNote?: { before: DocumentTally; allocatedPence: number };
  invoices: Array<{ before: DocumentTally; allocatedPence: number }>;
}

/** The allocation cannot be made as asked (409, with the reason as its problem type). */
export class AllocationRefused extends Conflict {
  constructor(reason: string, title: string, message: string) {
    super(reason, message, title);
  }
}

export function decideAllocation(input: AllocationInput): DecidedAllocation {
  const { request } = input;
  if (request.lines.length === 0) throw new AllocationRefused('allocation-empty', 'Nothing to allocate', 'name at least one invoice to allocate to');
  const names = request.lines.map((l) => l.invoice);
  if (new Set(names).size !== names.length) throw new AllocationRefused('allocation-repeats-invoice', 'Invoice named twice', 'name each invoice once, with the whole amount for it');
  const total = request.lines.reduce((s, l) => s + l.amountPence, 0);

  let placingLa: string;
  let available: number;
  if (request.source.type === 'remittance') {
    const remittance = input.remittance;
    if (!remittance) throw new NotFound('remittance');
    placingLa = remittance.placingLa;
    available = remittance.amountPence - remittance.allocatedPence;
  } else {
    const credit = input.creditNote;
    if (!credit) throw new NotFound('credit note');
    if (credit.document.kind !== 'credit-note') throw new AllocationRefused('not-a-credit-note', 'Not a credit note', `${credit.document.number} is an ${credit.document.kind}: only a credit note's credit can be allocated to an invoice`);
    placingLa = credit.document.placingLa;
    available = -credit.document.grossPence - credit.tally.allocatedPence;
  }
  if (total > available) {
    throw new AllocationRefused('allocation-exceeds-source', 'More than is left to allocate', `${total} pence asked for, but only ${available} pence of the ${request.source.type === 'remittance' ? 'remittance' : 'credit note'} is unallocated`);
  }

  const invoices = request.lines.map((line) => {
    const found = input.invoices.get(line.invoice);
    if (!found) throw new NotFound('invoice');
    const { document, tally } = found;
    if (document.kind === 'credit-note') throw new AllocationRefused('not-an-invoice', 'Not an invoice', `${document.number} is a credit note: allocate a credit note as the source, to an invoice`);
    if (document.placingLa !== placingLa) throw new AllocationRefused('other-council', 'Another council’s invoice', `${document.number} is LA ${document.placingLa}'s, the source LA ${placingLa}'s`);
    const outstanding = document.grossPence - tally.allocatedPence;
    if (line.amountPence > outstanding) {
      throw new AllocationRefused('allocation-exceeds-invoice', 'More than is outstanding', `${line.amountPence} pence asked for ${document.number}, which has ${outstanding} pence outstanding`);
    }
    return { before: tally, allocatedPence: tally.allocatedPence + line.amountPence };
  });

  const allocations: Allocation[] = request.lines.map((line) => ({
    allocationId: input.newId(),
    placingLa,
    source: request.source,
    invoice: line.invoice,
    amountPence: line.amountPence,
    date: input.today,
    by: input.by,
    at: input.at,
  }));
  return {
    allocations,
    placingLa,
    invoices,
    ...(input.remittance && request.source.type === 'remittance' ? { remittance: { before: input.remittance, allocatedPence: input.remittance.allocatedPence + total } } : {}),
    ...(input.creditNote && request.source.type === 'credit-note' ? { creditNote: { before: input.creditNote.tally, allocatedPence: input.creditNote.tally.allocatedPence + total } } : {}),
  };
}


