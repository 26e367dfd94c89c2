import { StatusError } from '#lib/errors';
import type { ImportProblem } from './problems';

/**
 * A go-live import with bad rows: 400, nothing written, every problem listed
 * twice over: as the API's field errors (`field` is `<file>:<line>:<column>`,
 * the way compilers point at a place) and, for programs, as the problem's
 * `problems` member with `file`, `line`, `column`, `rule` and `message` apart.
 */
export class ImportRefused extends StatusError {
  constructor(readonly problems: readonly ImportProblem[]) {
    const rows = new Set(problems.map((p) => `${p.file}:${p.line}`)).size;
    super(400, 'import-refused', 'Import refused', `${rows} ${rows === 1 ? 'row is' : 'rows are'} bad: nothing was written`, {
      errors: problems.map((p) => ({ field: `${p.file}:${p.line}:${p.column}`, rule: p.rule, message: p.message })),
      extensions: { problems },
    });
  }
}
