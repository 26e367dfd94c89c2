import * as z from '#lib/validation';

/**
 * What is wrong with a go-live file, cell by cell: the file, its line (1 is
 * the header), the column, the rule broken (zod's issue codes, or the
 * decision's conflict reason such as `bed-unavailable`) and a message that
 * names ids and dates only, never a child's data.
 */
export const ImportProblem = z.object({
  file: z.string(),
  line: z.int().check(z.gte(1)),
  column: z.string(),
  rule: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

/** Where a value came from: enough to name it in a problem. */
export interface CellRef {
  file: string;
  line: number;
  column: string;
}

export const problemAt = (cell: CellRef, rule: string, message: string): ImportProblem => ({ ...cell, rule, message });

/** Problems in file, line and column order, so a long list reads like the files. */
export function sortedProblems(problems: readonly ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column.localeCompare(b.column) || a.rule.localeCompare(b.rule));
}
