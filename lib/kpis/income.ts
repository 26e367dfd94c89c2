import { knownAuthority } from '#lib/codes/local-authorities';
import type { IssuedDocument } from '#lib/invoicing';
import type { ClosedPeriod } from '#lib/time/period';

/**
 * Income invoiced, by placing council: every document issued in the period
 * (issue date from … to−1), invoices and supplementary invoices adding,
 * credit notes (negative lines) taking away. Pure.
 */

export interface CouncilIncome {
  laNumber: string;
  name: string;
  invoices: number;
  creditNotes: number;
  netPence: number;
  vatPence: number;
  grossPence: number;
}

export interface IncomeInvoiced {
  byPlacingAuthority: CouncilIncome[];
  total: Omit<CouncilIncome, 'laNumber' | 'name'>;
}

/** What income needs of a document: its header, not its lines. */
export type DocumentHeader = Pick<IssuedDocument, 'number' | 'kind' | 'placingLa' | 'issueDate' | 'netPence' | 'vatPence' | 'grossPence'>;

export function incomeInvoiced(documents: readonly DocumentHeader[], period: ClosedPeriod): IncomeInvoiced {
  const byLa = new Map<string, CouncilIncome>();
  const seen = new Set<string>();
  for (const doc of documents) {
    if (seen.has(doc.number) || doc.issueDate < period.from || doc.issueDate >= period.to) continue;
    seen.add(doc.number);
    const entry = byLa.get(doc.placingLa) ?? {
      laNumber: doc.placingLa,
      name: knownAuthority(doc.placingLa)?.name ?? `LA ${doc.placingLa}`,
      invoices: 0,
      creditNotes: 0,
      netPence: 0,
      vatPence: 0,
      grossPence: 0,
    };
    if (doc.kind === 'credit-note') entry.creditNotes += 1;
    else entry.invoices += 1;
    entry.netPence += doc.netPence;
    entry.vatPence += doc.vatPence;
    entry.grossPence += doc.grossPence;
    byLa.set(doc.placingLa, entry);
  }
  const byPlacingAuthority = [...byLa.values()].sort((a, b) => (a.laNumber < b.laNumber ? -1 : 1));
  const sum = (field: 'invoices' | 'creditNotes' | 'netPence' | 'vatPence' | 'grossPence') => byPlacingAuthority.reduce((s, c) => s + c[field], 0);
  return {
    byPlacingAuthority,
    total: { invoices: sum('invoices'), creditNotes: sum('creditNotes'), netPence: sum('netPence'), vatPence: sum('vatPence'), grossPence: sum('grossPence') },
  };
}
