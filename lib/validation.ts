import { z } from 'zod';

/** The message (and rule) for a field that is absent. zod's own says "expected string, received undefined". */
export const REQUIRED = 'required';

z.config({ customError: (issue) => (issue.input === undefined ? REQUIRED : undefined) });

export { z };
