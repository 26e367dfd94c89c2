import { formatPence } from '#lib/money';
import type { VatCode } from './charge';
import type { Customer } from './customers';
import type { DocumentKind } from './documents';
import type { Issuer } from './settings';

/** The columns of a document's table of lines, as every rendering heads them (the HTML page, the PDF); numeric ones align right. */
export const LINE_COLUMNS: ReadonlyArray<{ heading: string; numeric?: true }> = [
  { heading: 'Description' },
  { heading: 'Purchase order' },
  { heading: 'Nights', numeric: true },
  { heading: 'Weekly rate', numeric: true },
  { heading: 'VAT code' },
  { heading: 'Net', numeric: true },
  { heading: 'VAT', numeric: true },
];

/** What rendering needs of an issued document: its header and lines, as issued (older documents lack the newer line fields). */
export interface ExportedDocument {
  number: string;
  kind: DocumentKind;
  placingLa: string;
  month: string;
  issueDate: string;
  dueDate: string;
  corrects?: string | undefined;
  purchaseOrders: string[];
  lines: ExportedLine[];
  netPence: number;
  vatPence: number;
  grossPence: number;
}

export interface ExportedLine {
  description: string;
  purchaseOrder: string;
  account: string;
  vatCode: VatCode;
  netPence: number;
  vatPence: number;
  homeName?: string | undefined;
  childReference?: string | undefined;
  firstNight?: string | undefined;
  lastNight?: string | undefined;
  nights?: number | undefined;
  weeklyPence?: number | undefined;
  adjusts?: string | undefined;
}

export interface ModelLine extends ExportedLine {
  grossPence: number;
  /** `1 November 2026 to 30 November 2026`, where the line charges nights. */
  nightsText?: string;
}

/**
 * One issued invoice or credit note as every rendering shows it: the PDF, the
 * printable HTML and the CSV are all drawn from this model, so they cannot
 * disagree. Amounts stay integer pence here; renderers format them.
 */
export interface DocumentModel {
  number: string;
  kind: DocumentKind;
  title: string;
  issueDate: string;
  dueDate: string;
  /** The month charged or corrected. */
  period: string;
  /** The original invoice a credit note or supplementary invoice corrects. */
  corrects?: string;
  purchaseOrders: string[];
  from: Issuer;
  to: Customer;
  lines: ModelLine[];
  netPence: number;
  vatPence: number;
  grossPence: number;
  totalLabel: string;
  /** When and how to pay (or what a credit note does). */
  paymentNote: string;
  /** The VAT note, when every line is outside the scope of VAT. */
  vatNote?: string;
}

export const DOCUMENT_TITLES: Record<DocumentKind, string> = { invoice: 'Invoice', 'credit-note': 'Credit note', 'supplementary-invoice': 'Supplementary invoice' };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-12-01` → `1 December 2026`: how a printed document dates itself. */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** `2026-11` → `November 2026`. */
export function longMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTHS[m - 1]} ${y}`;
}

const VAT_NOTE = 'Welfare and childcare services supplied by a local authority are outside the scope of VAT (HMRC VAT manual VATGPB8210).';

export function documentModel(d: ExportedDocument, issuer: Issuer, customer: Customer): DocumentModel {
  const isCredit = d.kind === 'credit-note';
  const lines: ModelLine[] = d.lines.map((l) => ({
    ...l,
    grossPence: l.netPence + l.vatPence,
    ...(l.firstNight && l.lastNight ? { nightsText: `${longDate(l.firstNight)} to ${longDate(l.lastNight)}` } : {}),
  }));
  return {
    number: d.number,
    kind: d.kind,
    title: DOCUMENT_TITLES[d.kind],
    issueDate: d.issueDate,
    dueDate: d.dueDate,
    period: d.month,
    ...(d.corrects ? { corrects: d.corrects } : {}),
    purchaseOrders: d.purchaseOrders,
    from: issuer,
    to: customer,
    lines,
    netPence: d.netPence,
    vatPence: d.vatPence,
    grossPence: d.grossPence,
    totalLabel: isCredit ? 'Total credited' : 'Total due',
    paymentNote: isCredit
      ? `This credit note reduces the amount due on ${d.corrects ?? 'your account'} by ${formatPence(Math.abs(d.grossPence))}.`
      : `Payment of ${formatPence(d.grossPence)} is due by ${longDate(d.dueDate)}. ${issuer.paymentInstructions}`,
    ...(d.lines.every((l) => l.vatCode === 'OS') ? { vatNote: VAT_NOTE } : {}),
  };
}

/** The bank details block, as printed. */
export function remittanceLines(issuer: Issuer): string[] {
  const r = issuer.remittance;
  return [`${r.bankName}`, `Account name: ${r.accountName}`, `Sort code: ${r.sortCode}   Account number: ${r.accountNumber}`, `Remittance advice to: ${r.remittanceEmail}`];
}
