import * as z from '#lib/validation';
import { ImportProblem } from './problems';

const Counts = z.object({ homes: z.int().check(z.gte(0)), placements: z.int().check(z.gte(0)) });

/** What an import did, as the API answers it and the CLI prints it. */
export const ImportOutcome = z.discriminatedUnion('status', [
  /** Some row is bad: nothing was written. */
  z.object({ status: z.literal('refused'), problems: z.array(ImportProblem) }),
  z.object({
    /** `checked`: checked and planned only; `partial`: stopped at the call's transaction budget (run the same import again); `complete`. */
    status: z.enum(['complete', 'partial', 'checked']),
    written: Counts,
    /** Already stored as the files say (a second import: everything). */
    unchanged: Counts,
    remaining: Counts,
    transactions: z.int().check(z.gte(0)),
  }),
]);
export type ImportOutcome = z.infer<typeof ImportOutcome>;
