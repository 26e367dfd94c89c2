import { stringify } from 'csv-stringify/sync';
import { formatPence } from '#lib/money';
import type { DocumentKind, DocumentLine } from './documents';
import type { Issuer } from './settings';

/** What the exports need of a document: its header and lines, as issued. */
export interface ExportedDocument {
  number: string;
  kind: DocumentKind;
  placingLa: string;
  month: string;
  issueDate: string;
  dueDate: string;
  corrects?: string | undefined;
  purchaseOrders: string[];
  lines: Array<Pick<DocumentLine, 'description' | 'purchaseOrder' | 'account' | 'vatCode' | 'netPence' | 'vatPence'> & { nights?: number | undefined; weeklyPence?: number | undefined }>;
  netPence: number;
  vatPence: number;
  grossPence: number;
}

export interface Customer {
  laNumber: string;
  name: string;
}

/** The finance-system import: one row per line, amounts in pence (negative on a credit note). */
export const INVOICE_CSV_COLUMNS = [
  'invoice_number',
  'invoice_date',
  'customer_la',
  'purchase_order',
  'account',
  'vat_code',
  'net_pence',
  'description',
  'vat_pence',
  'document_type',
  'corrects',
] as const;

/**
 * A spreadsheet reads a cell starting with = + - @ (or a tab or carriage
 * return) as a formula. Purchase orders and descriptions come from outside
 * (referrals): quote them so they stay text.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function invoiceCsv(documents: readonly ExportedDocument[]): string {
  const rows = documents.flatMap((d) =>
    d.lines.map((line) => [
      d.number,
      d.issueDate,
      d.placingLa,
      spreadsheetSafe(line.purchaseOrder),
      line.account,
      line.vatCode,
      line.netPence,
      spreadsheetSafe(line.description),
      line.vatPence,
      d.kind,
      d.corrects ?? '',
    ]),
  );
  return stringify([[...INVOICE_CSV_COLUMNS], ...rows], { record_delimiter: '\r\n' });
}

const TITLES: Record<DocumentKind, string> = { invoice: 'Invoice', 'credit-note': 'Credit note', 'supplementary-invoice': 'Supplementary invoice' };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** `2026-12-01` → `1 December 2026`: how a printed invoice dates itself. */
function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const month = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1];
  return `${d} ${month} ${y}`;
}

/**
 * A printable document (A4, print to PDF from any browser): our council's
 * details, the placing council's, each line with its purchase order, nights,
 * weekly rate and VAT code, totals, the due date and how to pay. Amounts
 * become £ with two decimals here, and only here. Every value is escaped.
 */
export function invoiceHtml(d: ExportedDocument, issuer: Issuer, customer: Customer): string {
  const e = escapeHtml;
  const title = TITLES[d.kind];
  const rows = d.lines
    .map(
      (l) => `<tr>
  <td>${e(l.description)}</td>
  <td>${e(l.purchaseOrder)}</td>
  <td class="n">${l.nights ?? ''}</td>
  <td class="n">${l.weeklyPence === undefined ? '' : e(formatPence(l.weeklyPence))}</td>
  <td>${e(l.vatCode)}</td>
  <td class="n">${e(formatPence(l.netPence))}</td>
  <td class="n">${e(formatPence(l.vatPence))}</td>
</tr>`,
    )
    .join('\n');
  const allOutsideScope = d.lines.every((l) => l.vatCode === 'OS');
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>${e(title)} ${e(d.number)}</title>
<style>
  @page { size: A4; margin: 18mm; }
  body { font: 11pt/1.4 system-ui, sans-serif; color: #111; max-width: 190mm; margin: auto; }
  header { display: flex; justify-content: space-between; gap: 2em; }
  h1 { font-size: 20pt; margin: 0 0 .3em; }
  address { font-style: normal; }
  table { width: 100%; border-collapse: collapse; margin: 1.5em 0; }
  th, td { border-bottom: 1px solid #ccc; padding: .35em .4em; text-align: left; vertical-align: top; }
  td.n, th.n { text-align: right; white-space: nowrap; }
  tfoot td { border: 0; font-weight: 600; }
  dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; margin: 0; }
  dt { color: #555; }
  dd { margin: 0; }
  .note { color: #555; font-size: 9.5pt; }
</style>
</head>
<body>
<header>
  <div>
    <h1>${e(title)}</h1>
    <dl>
      <dt>Number</dt><dd>${e(d.number)}</dd>
      <dt>Date</dt><dd>${e(longDate(d.issueDate))}</dd>
      <dt>Period</dt><dd>${e(d.month)}</dd>
      ${d.corrects ? `<dt>Corrects</dt><dd>${e(d.corrects)}</dd>` : ''}
      <dt>Due</dt><dd>${e(longDate(d.dueDate))}</dd>
      <dt>Purchase order</dt><dd>${d.purchaseOrders.map(e).join(', ')}</dd>
    </dl>
  </div>
  <address>
    <strong>${e(issuer.name)}</strong><br>
    ${e(issuer.department)}<br>
    ${issuer.address.map(e).join('<br>\n    ')}<br>
    ${e(issuer.email)} · ${e(issuer.phone)}<br>
    VAT registration: ${e(issuer.vatRegistration)}
  </address>
</header>
<section>
  <h2>To</h2>
  <address><strong>${e(customer.name)}</strong><br>DfE LA number ${e(customer.laNumber)}</address>
</section>
<table>
  <thead><tr><th>Description</th><th>Purchase order</th><th class="n">Nights</th><th class="n">Weekly rate</th><th>VAT code</th><th class="n">Net</th><th class="n">VAT</th></tr></thead>
  <tbody>
${rows}
  </tbody>
  <tfoot>
    <tr><td colspan="6" class="n">Net</td><td class="n">${e(formatPence(d.netPence))}</td></tr>
    <tr><td colspan="6" class="n">VAT</td><td class="n">${e(formatPence(d.vatPence))}</td></tr>
    <tr><td colspan="6" class="n">${d.kind === 'credit-note' ? 'Total credited' : 'Total due'}</td><td class="n">${e(formatPence(d.grossPence))}</td></tr>
  </tfoot>
</table>
<p>${d.kind === 'credit-note' ? `This credit note reduces the amount due on ${e(d.corrects ?? '')}.` : `Payment is due by ${e(longDate(d.dueDate))}.`} ${e(issuer.paymentInstructions)}</p>
${allOutsideScope ? '<p class="note">Welfare and childcare services supplied by a local authority are outside the scope of VAT (HMRC VAT manual VATGPB8210).</p>' : ''}
</body>
</html>
`;
}
