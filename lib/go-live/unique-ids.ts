import { RowCells } from './cells';
import type { CsvRow } from './csv-table';
import type { ImportProblem } from './problems';

/**
 * The ids a file's rows have given so far, each with the line it was first on: a later row
 * with the same id is refused as a duplicate, on its own line, naming the first.
 */
export class UniqueIds {
  private readonly firstLineOf = new Map<string, number>();

  constructor(
    private readonly column: string,
    /** The problem's words, e.g. `home H1 is already on line 3`. */
    private readonly repeated: (id: string, firstLine: number) => string,
  ) {}

  /** Whether the row's id is the first of its value (noting its line); an absent id is left to the row's own checks. */
  firstTime(cells: RowCells, id: string | undefined): boolean {
    if (id === undefined) return true;
    const firstLine = this.firstLineOf.get(id);
    if (firstLine !== undefined) {
      cells.problem(this.column, 'duplicate', this.repeated(id, firstLine));
      return false;
    }
    this.firstLineOf.set(id, cells.line);
    return true;
  }

  /** Each row of `file` as cells, with its id, less the rows whose id an earlier row had. */
  *firstRows(file: string, rows: readonly CsvRow[], problems: ImportProblem[]): Generator<{ cells: RowCells; id: string | undefined }> {
    for (const row of rows) {
      const cells = new RowCells(file, row, problems);
      const id = cells.text(this.column);
      if (this.firstTime(cells, id)) yield { cells, id };
    }
  }

  has(id: string): boolean {
    return this.firstLineOf.has(id);
  }
}
