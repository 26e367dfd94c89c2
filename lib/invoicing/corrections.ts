import type { Month } from '#lib/time/calendar';
import type { InvoiceLine } from './lines';

/** A line already issued for a month: on the original invoice or a later adjustment. */
export interface IssuedLine {
  key: string;
  month: Month;
  netPence: number;
  /** The month's original invoice, which every adjustment of this line references. */
  originalInvoice: string;
  description: string;
  placementId: string;
  component: InvoiceLine['component'];
  vatCode: InvoiceLine['vatCode'];
  account: string;
  homeName?: string;
  childReference?: string;
}

export interface AdjustmentLine extends InvoiceLine {
  /** The original invoice this line corrects. */
  adjusts: string;
}

export interface Adjustments {
  /** Lines charged too much: to be credited (negative net). */
  credits: AdjustmentLine[];
  /** Lines charged too little or not at all: a supplementary invoice (positive net). */
  supplements: AdjustmentLine[];
}

/**
 * Compares what a month should have been charged, by today's data, with what
 * was issued for it, line by line; the differences become a credit note and a
 * supplementary invoice that reference the month's original invoice. Issued
 * documents are never changed. Pure and deterministic (ordered by line key).
 */
export function adjustmentsFor(expected: readonly InvoiceLine[], issued: readonly IssuedLine[], originalInvoice: string): Adjustments {
  const issuedByKey = new Map<string, { total: number; line: IssuedLine }>();
  for (const line of issued) {
    const entry = issuedByKey.get(line.key);
    issuedByKey.set(line.key, { total: (entry?.total ?? 0) + line.netPence, line: entry?.line ?? line });
  }
  const expectedByKey = new Map(expected.map((line) => [line.key, line]));
  const keys = [...new Set([...issuedByKey.keys(), ...expectedByKey.keys()])].sort();

  const result: Adjustments = { credits: [], supplements: [] };
  for (const key of keys) {
    const should = expectedByKey.get(key);
    const was = issuedByKey.get(key);
    const delta = (should?.netPence ?? 0) - (was?.total ?? 0);
    if (delta === 0) continue;
    const base: InvoiceLine = should ?? {
      key,
      placementId: was!.line.placementId,
      month: was!.line.month,
      component: was!.line.component,
      description: was!.line.description,
      netPence: 0,
      vatCode: was!.line.vatCode,
      account: was!.line.account,
      ...(was!.line.homeName ? { homeName: was!.line.homeName } : {}),
      ...(was!.line.childReference ? { childReference: was!.line.childReference } : {}),
    };
    const line: AdjustmentLine = {
      ...base,
      description: `Correction to ${originalInvoice} (${base.month}): ${base.description}`,
      netPence: delta,
      adjusts: originalInvoice,
    };
    (delta < 0 ? result.credits : result.supplements).push(line);
  }
  return result;
}
