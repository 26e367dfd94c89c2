import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer every export uses (finance-system imports, the GL
 * export, reports). RFC 4180 quoting by csv-stringify, CRLF line ends (a cell
 * holding a line feed or carriage return of its own is quoted too: csv-stringify
 * quotes only the record delimiter, CRLF, so a bare LF in a description would
 * split its row in a finance system's import), and spreadsheet-safe text: per
 * OWASP's CSV injection guidance, a text cell starting with = + - @, a tab
 * or a carriage return would be read by a spreadsheet as a formula
 * (`=HYPERLINK(…)`), so it is prefixed with a single quote and stays text.
 * Numbers are written as numbers (a negative amount stays a number); only
 * text is touched.
 */

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cell(value: CsvCell): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return spreadsheetSafe(String(value));
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  return stringify([header.map(cell), ...[...rows].map((row) => row.map(cell))], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}
