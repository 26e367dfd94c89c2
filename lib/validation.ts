/**
 * zod, configured: import it as `import * as z from '#lib/validation'`. A namespace import (here and
 * wherever 'zod' is imported directly) lets esbuild keep only the parts of zod a function uses;
 * `import { z }` drags in the whole library, every locale included (about 360 KB of each bundle).
 */
import { config } from 'zod';

export * from 'zod';

/** The message (and rule) for a field that is absent. zod's own says "expected string, received undefined". */
export const REQUIRED = 'required';

config({ customError: (issue) => (issue.input === undefined ? REQUIRED : undefined) });

/**
 * For a refinement across fields: run it only once every field it reads is
 * valid. zod runs an object's refinements even when a field failed its own
 * check (a malformed date, a list that is not a list), and a refinement
 * reading such a field could throw: a 500 for what is bad input.
 */
export const whenValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };
