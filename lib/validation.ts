import { z } from 'zod';

/** The message (and rule) for a field that is absent. zod's own says "expected string, received undefined". */
export const REQUIRED = 'required';

z.config({ customError: (issue) => (issue.input === undefined ? REQUIRED : undefined) });

export { z };

/**
 * For a refinement across fields: run it only once every field it reads is
 * valid. zod runs an object's refinements even when a field failed its own
 * check (a malformed date, a list that is not a list), and a refinement
 * reading such a field could throw: a 500 for what is bad input.
 */
export const whenValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };
