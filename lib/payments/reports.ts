import { toCsv } from '#lib/csv';
import { formatPence } from '#lib/money';
import { escapeHtml, longDate, type Issuer } from '#lib/invoicing';
import { AGE_BANDS, type AgedDebt, type Statement } from './account';

/** Statements and aged debt as CSV (pence, for spreadsheets and the finance system) and printable HTML (£ at the edge). */

export function statementCsv(s: Statement & { council: string }): string {
  return toCsv(
    ['date', 'type', 'ref', 'description', 'amount_pence', 'balance_pence'],
    [
      [s.from, 'opening-balance', '', 'Balance brought forward', '', s.openingBalancePence],
      ...s.lines.map((l) => [l.date, l.kind, l.ref, l.description, l.amountPence, l.balancePence]),
      [s.to, 'closing-balance', '', 'Balance carried forward', '', s.closingBalancePence],
    ],
  );
}

export function agedDebtCsv(a: AgedDebt & { names: Record<string, string> }): string {
  return toCsv(
    ['la', 'council', ...AGE_BANDS.map((b) => `${b === 'current' ? 'current' : `days_${b.replace('+', '_plus').replace('-', '_')}`}_pence`), 'total_pence'],
    [...a.councils.map((c) => [c.placingLa, a.names[c.placingLa] ?? '', ...AGE_BANDS.map((b) => c.bands[b]), c.totalPence]), ['total', '', ...AGE_BANDS.map((b) => a.totals[b]), a.totalPence]],
  );
}

const STYLE = `<style>
  @page { size: A4; margin: 18mm; }
  body { font: 11pt/1.4 system-ui, sans-serif; color: #111; max-width: 190mm; margin: auto; }
  table { width: 100%; border-collapse: collapse; margin: 1.5em 0; }
  th, td { border-bottom: 1px solid #ccc; padding: .35em .4em; text-align: left; }
  td.n, th.n { text-align: right; white-space: nowrap; }
  tfoot td { font-weight: 600; border: 0; }
</style>`;

export function statementHtml(s: Statement & { council: string }, issuer: Issuer): string {
  const e = escapeHtml;
  const rows = s.lines
    .map((l) => `<tr><td>${e(longDate(l.date))}</td><td>${e(l.description)}</td><td class="n">${e(formatPence(l.amountPence))}</td><td class="n">${e(formatPence(l.balancePence))}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Statement: ${e(s.council)}, ${e(s.from)} to ${e(s.to)}</title>${STYLE}</head>
<body>
<h1>Statement of account</h1>
<p><strong>${e(s.council)}</strong> (DfE LA number ${e(s.placingLa)}), from ${e(issuer.name)}: ${e(longDate(s.from))} to ${e(longDate(s.to))}</p>
<table>
<thead><tr><th>Date</th><th>Item</th><th class="n">Amount</th><th class="n">Balance</th></tr></thead>
<tbody>
<tr><td>${e(longDate(s.from))}</td><td>Balance brought forward</td><td></td><td class="n">${e(formatPence(s.openingBalancePence))}</td></tr>
${rows}
</tbody>
<tfoot><tr><td>${e(longDate(s.to))}</td><td>Balance carried forward</td><td></td><td class="n">${e(formatPence(s.closingBalancePence))}</td></tr></tfoot>
</table>
<p>Documents issued ${e(formatPence(s.documentsPence))}; payments received ${e(formatPence(s.paymentsPence))}. A negative balance is money we hold for you.</p>
</body></html>
`;
}

export function agedDebtHtml(a: AgedDebt & { names: Record<string, string> }): string {
  const e = escapeHtml;
  const cells = (bands: AgedDebt['totals'], total: number) => [...AGE_BANDS.map((b) => bands[b]), total].map((p) => `<td class="n">${e(formatPence(p))}</td>`).join('');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Aged debt at ${e(a.asAt)}</title>${STYLE}</head>
<body>
<h1>Aged debt at ${e(longDate(a.asAt))}</h1>
<table>
<thead><tr><th>Council</th>${AGE_BANDS.map((b) => `<th class="n">${b === 'current' ? 'Current' : `${e(b)} days`}</th>`).join('')}<th class="n">Total</th></tr></thead>
<tbody>
${a.councils.map((c) => `<tr><td>${e(a.names[c.placingLa] ?? c.placingLa)} (${e(c.placingLa)})</td>${cells(c.bands, c.totalPence)}</tr>`).join('\n')}
</tbody>
<tfoot><tr><td>Total</td>${cells(a.totals, a.totalPence)}</tr></tfoot>
</table>
<p>Days past the due date. Credit notes are aged by their own due date and unallocated payments by the day they came in, so each council's total is its statement's closing balance.</p>
</body></html>
`;
}
