import { parse } from 'csv-parse/sync';
import { problemAt, type ImportProblem } from './problems';

/**
 * One CSV file of the go-live set, read with csv-parse: a header row naming
 * the columns, then one record per row. Cells are trimmed and an empty cell
 * is absent. A record keeps the line it ends on (1 is the header), so every
 * problem can name it.
 */

export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

export interface CsvColumns {
  required: readonly string[];
  optional: readonly string[];
}

export interface CsvTable {
  rows: CsvRow[];
  problems: ImportProblem[];
}

type Record_ = { record: Record<string, string>; info: { lines: number; error?: { code: string } } };

export function readCsv(file: string, text: string, columns: CsvColumns): CsvTable {
  let records: Record_[];
  try {
    records = parse(text, { bom: true, columns: true, info: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as Record_[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { rows: [], problems: [problemAt({ file, line, column: '(file)' }, 'csv_syntax', `not readable as CSV: ${(error as Error).message}`)] };
  }
  const problems: ImportProblem[] = [];
  const header = headerOf(text);
  const known = new Set([...columns.required, ...columns.optional]);
  for (const column of columns.required) {
    if (!header.includes(column)) problems.push(problemAt({ file, line: 1, column }, 'required', `the header has no column ${column}`));
  }
  for (const column of header) {
    if (!known.has(column)) problems.push(problemAt({ file, line: 1, column }, 'unrecognized_keys', `unknown column ${column}: the columns are ${[...known].join(', ')}`));
  }
  const rows: CsvRow[] = [];
  for (const { record, info } of records) {
    if (info.error) {
      problems.push(problemAt({ file, line: info.lines, column: '(row)' }, 'column_count', `the row has a different number of cells from the header (${header.length})`));
      continue;
    }
    const cells = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ''));
    rows.push({ line: info.lines, cells });
  }
  return { rows, problems };
}

function headerOf(text: string): string[] {
  const [first] = parse(text, { bom: true, trim: true, to_line: 1 }) as string[][];
  return first ?? [];
}
