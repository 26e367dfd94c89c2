import type * as z from '#lib/validation';
import type { CsvRow } from './csv-table';
import { problemAt, type CellRef, type ImportProblem } from './problems';

/** `{ [key]: value }` where the cell gave a value, nothing where it was empty (the schema's default applies). */
export const optional = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });

/** Where a field's value is: its column, and how the cell is read. */
export type CellSource = readonly [column: string, as: 'text' | 'list' | 'yesNo' | 'int' | 'decimal' | 'pence'];

/**
 * Reading one row's cells into the values the API's schemas take, noting a
 * problem (and leaving the value out) where a cell cannot be read as its
 * column's kind: lists are `;`-separated, yes/no are `yes`/`no` (or
 * `true`/`false`), money is pounds with at most two decimals (`4350.00`),
 * read into integer pence without a float.
 */
export class RowCells {
  private readonly unreadable = new Set<string>();

  constructor(
    readonly file: string,
    readonly row: CsvRow,
    private readonly problems: ImportProblem[],
  ) {}

  get line(): number {
    return this.row.line;
  }

  cell(column: string): CellRef {
    return { file: this.file, line: this.row.line, column };
  }

  problem(column: string, rule: string, message: string): void {
    this.problems.push(problemAt(this.cell(column), rule, message));
  }

  text(column: string): string | undefined {
    return this.row.cells[column];
  }

  list(column: string): string[] | undefined {
    const raw = this.text(column);
    return raw === undefined ? undefined : raw.split(';').map((s) => s.trim()).filter(Boolean);
  }

  yesNo(column: string): boolean | undefined {
    const raw = this.text(column)?.toLowerCase();
    if (raw === undefined) return undefined;
    if (['yes', 'y', 'true'].includes(raw)) return true;
    if (['no', 'n', 'false'].includes(raw)) return false;
    return this.unread(column, 'invalid_value', 'yes or no');
  }

  int(column: string): number | undefined {
    const raw = this.text(column);
    if (raw === undefined) return undefined;
    return /^\d{1,9}$/.test(raw) ? Number(raw) : this.unread(column, 'invalid_type', 'a whole number');
  }

  decimal(column: string): number | undefined {
    const raw = this.text(column);
    if (raw === undefined) return undefined;
    return /^\d{1,9}(\.\d{1,4})?$/.test(raw) ? Number(raw) : this.unread(column, 'invalid_type', 'a number, e.g. 12.5');
  }

  /** Pounds (`4350`, `4350.5`, `4350.50`; a £ sign and thousands commas allowed) as integer pence. */
  pence(column: string): number | undefined {
    const raw = this.text(column)?.replace(/^£/, '').replaceAll(',', '');
    if (raw === undefined) return undefined;
    const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(raw);
    if (!match) return this.unread(column, 'invalid_format', 'pounds with at most two decimals, e.g. 4350.00');
    return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  }

  /** The row's values by field, each read from its column as its source says; a field whose cell is empty is left out. */
  read(fields: Record<string, CellSource>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [field, [column, as]] of Object.entries(fields)) {
      const value = this[as](column);
      if (value !== undefined) values[field] = value;
    }
    return values;
  }

  /**
   * Checks `value` with an API schema; each issue becomes a problem on the column its path names
   * (`columnOf`), except where the cell was already unreadable (said once is enough).
   */
  check<S extends z.ZodMiniType>(schema: S, value: unknown, columnOf: (path: readonly PropertyKey[]) => CellRef): z.output<S> | undefined {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const cell = columnOf(issue.path);
      if (cell.file === this.file && cell.line === this.line && this.unreadable.has(cell.column)) continue;
      const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
      this.problems.push(missing ? problemAt(cell, 'required', `${cell.column} is required`) : problemAt(cell, issue.code, issue.message));
    }
    return undefined;
  }

  private unread(column: string, rule: string, expected: string): undefined {
    this.unreadable.add(column);
    this.problem(column, rule, `expected ${expected}`);
    return undefined;
  }
}
