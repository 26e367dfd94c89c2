import { toCsv } from '#lib/csv';
import { formatPence } from '#lib/money';
import { LINE_COLUMNS, longDate, longMonth, remittanceLines, type DocumentModel } from './document-model';

export type { ExportedDocument } from './document-model';

/**
 * The finance-system import: one row per line, amounts in pence (negative on a
 * credit note). The first eleven columns are the finance system's layout; the
 * rest repeat what the printed document shows of each line.
 */
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
  'due_date',
  'home',
  'child_reference',
  'first_night',
  'last_night',
  'nights',
  'weekly_pence',
  'gross_pence',
] as const;

export function invoiceCsv(documents: readonly DocumentModel[]): string {
  const rows = documents.flatMap((d) =>
    d.lines.map((line) => [
      d.number,
      d.issueDate,
      d.to.laNumber,
      line.purchaseOrder,
      line.account,
      line.vatCode,
      line.netPence,
      line.description,
      line.vatPence,
      d.kind,
      d.corrects ?? '',
      d.dueDate,
      line.homeName ?? '',
      line.childReference ?? '',
      line.firstNight ?? '',
      line.lastNight ?? '',
      line.nights ?? '',
      line.weeklyPence ?? '',
      line.grossPence,
    ]),
  );
  return toCsv(INVOICE_CSV_COLUMNS, rows);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * A printable document (A4, print to PDF from any browser), with the same
 * content as the PDF: our council's details and bank details, the placing
 * council's name and invoice address, each line with its home, the child's
 * reference, purchase order, the nights' dates and count, weekly rate and VAT
 * code, totals, the due date and how to pay. Amounts become £ with two
 * decimals here, and only here. Every value is escaped.
 */
export function invoiceHtml(d: DocumentModel): string {
  const e = escapeHtml;
  const rows = d.lines
    .map(
      (l) => `<tr>
  <td>${e(l.description)}${l.nightsText ? `<br><span class="note">Nights ${e(l.nightsText)}</span>` : ''}</td>
  <td>${e(l.purchaseOrder)}</td>
  <td class="n">${l.nights ?? ''}</td>
  <td class="n">${l.weeklyPence === undefined ? '' : e(formatPence(l.weeklyPence))}</td>
  <td>${e(l.vatCode)}</td>
  <td class="n">${e(formatPence(l.netPence))}</td>
  <td class="n">${e(formatPence(l.vatPence))}</td>
</tr>`,
    )
    .join('\n');
  const issuer = d.from;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>${e(d.title)} ${e(d.number)}</title>
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
    <h1>${e(d.title)}</h1>
    <dl>
      <dt>Number</dt><dd>${e(d.number)}</dd>
      <dt>Date</dt><dd>${e(longDate(d.issueDate))}</dd>
      <dt>Period</dt><dd>${e(longMonth(d.period))}</dd>
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
  <address>${d.to.invoiceAddress.map((line, i) => (i === 0 ? `<strong>${e(line)}</strong>` : e(line))).join('<br>')}<br>DfE LA number ${e(d.to.laNumber)}</address>
</section>
<table>
  <thead><tr>${LINE_COLUMNS.map((c) => `<th${c.numeric ? ' class="n"' : ''}>${e(c.heading)}</th>`).join('')}</tr></thead>
  <tbody>
${rows}
  </tbody>
  <tfoot>
    <tr><td colspan="6" class="n">Net</td><td class="n">${e(formatPence(d.netPence))}</td></tr>
    <tr><td colspan="6" class="n">VAT</td><td class="n">${e(formatPence(d.vatPence))}</td></tr>
    <tr><td colspan="6" class="n">${e(d.totalLabel)}</td><td class="n">${e(formatPence(d.grossPence))}</td></tr>
  </tfoot>
</table>
<p>${e(d.paymentNote)}</p>
<section>
  <h2>How to pay</h2>
  <p>${remittanceLines(issuer).map(e).join('<br>')}</p>
</section>
${d.vatNote ? `<p class="note">${e(d.vatNote)}</p>` : ''}
</body>
</html>
`;
}
