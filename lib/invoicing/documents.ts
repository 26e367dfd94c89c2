import { addDays, type Month } from '#lib/time/calendar';
import type { BillablePlacement } from './billable';
import { vatPence } from './charge';
import { adjustmentsFor, type IssuedLine } from './corrections';
import { linesForMonth, type InvoiceLine } from './lines';

export type DocumentKind = 'invoice' | 'credit-note' | 'supplementary-invoice';

export interface DocumentLine extends InvoiceLine {
  purchaseOrder: string;
  vatPence: number;
}

/** A document to issue, before it has a number. */
export interface DraftDocument {
  /** Deterministic per run, council and purpose: the idempotency slot that stops a second issue. */
  slot: string;
  kind: DocumentKind;
  placingLa: string;
  /** The month charged or corrected. */
  month: Month;
  /** The month whose run issued it. */
  runMonth: Month;
  issueDate: string;
  dueDate: string;
  /** The original invoice a credit note or supplementary invoice corrects. */
  corrects?: string;
  purchaseOrders: string[];
  lines: DocumentLine[];
  netPence: number;
  vatPence: number;
  grossPence: number;
}

/** An issued document, as numbered and stored. */
export interface IssuedDocument extends DraftDocument {
  number: string;
}

export interface CouncilRunInput {
  runMonth: Month;
  placingLa: string;
  issueDate: string;
  paymentTermsDays: number;
  /** The council's placements that have nights in the run month or any month being checked for corrections. */
  placements: readonly BillablePlacement[];
  /** Documents already issued to the council for the run month and the months checked for corrections. */
  issued: readonly IssuedDocument[];
  /** Earlier months to check for corrections (typically this and last financial year). */
  correctionMonths: readonly Month[];
}

function draft(input: CouncilRunInput, kind: DocumentKind, month: Month, lines: InvoiceLine[], corrects?: string): DraftDocument {
  const late = month !== input.runMonth;
  const poOf = new Map(input.placements.map((p) => [p.placementId, p.purchaseOrder]));
  const documentLines: DocumentLine[] = lines.map((l) => ({ ...l, purchaseOrder: poOf.get(l.placementId) ?? 'unknown', vatPence: vatPence(l.netPence, l.vatCode) }));
  const netPence = documentLines.reduce((s, l) => s + l.netPence, 0);
  const vat = documentLines.reduce((s, l) => s + l.vatPence, 0);
  return {
    slot: `${input.runMonth}:${input.placingLa}:${kind}${late ? `:${month}` : ''}`,
    kind,
    placingLa: input.placingLa,
    month,
    runMonth: input.runMonth,
    issueDate: input.issueDate,
    dueDate: addDays(input.issueDate, input.paymentTermsDays),
    ...(corrects ? { corrects } : {}),
    purchaseOrders: [...new Set(documentLines.map((l) => l.purchaseOrder))].sort(),
    lines: documentLines,
    netPence,
    vatPence: vat,
    grossPence: netPence + vat,
  };
}

const issuedLines = (docs: readonly IssuedDocument[], month: Month): IssuedLine[] =>
  docs
    .filter((d) => d.month === month)
    .flatMap((d) => d.lines.map((l) => ({ ...l, originalInvoice: d.corrects ?? d.number })));

/**
 * What one council is to be sent for a run: the month's invoice, and for each
 * earlier month whose charges have changed since it was invoiced, a credit
 * note and/or a supplementary invoice referencing that month's original.
 * Documents whose slot is already filled (a re-run, or a resume after a
 * crash) are not drafted again. Pure: same inputs, same drafts, same order.
 */
export function draftCouncilDocuments(input: CouncilRunInput): DraftDocument[] {
  const filled = new Set(input.issued.map((d) => d.slot));
  const drafts: DraftDocument[] = [];
  const sortedPlacements = [...input.placements].sort((a, b) => a.placementId.localeCompare(b.placementId));

  const monthLines = sortedPlacements.flatMap((p) => linesForMonth(p, input.runMonth));
  const invoice = draft(input, 'invoice', input.runMonth, monthLines);
  if (monthLines.length > 0 && !filled.has(invoice.slot)) drafts.push(invoice);

  for (const month of [...input.correctionMonths].sort()) {
    const original = input.issued.find((d) => d.month === month && d.kind === 'invoice');
    const expected = sortedPlacements.flatMap((p) => linesForMonth(p, month));
    if (!original) {
      // Nothing was invoiced for that month (no placement then, as far as its run knew): a late invoice, not a correction.
      const late = draft(input, 'invoice', month, expected);
      if (expected.length > 0 && !filled.has(late.slot)) drafts.push(late);
      continue;
    }
    const { credits, supplements } = adjustmentsFor(expected, issuedLines(input.issued, month), original.number);
    const credit = draft(input, 'credit-note', month, credits, original.number);
    const supplement = draft(input, 'supplementary-invoice', month, supplements, original.number);
    if (credits.length > 0 && !filled.has(credit.slot)) drafts.push(credit);
    if (supplements.length > 0 && !filled.has(supplement.slot)) drafts.push(supplement);
  }
  return drafts;
}
