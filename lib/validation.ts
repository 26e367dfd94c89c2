/**
 * zod, configured: import it as `import * as z from '#lib/validation'`. It is zod/mini, the
 * tree-shakable form of zod 4: schemas are built with functions (`z.optional(s)`, `s.check(z.minLength(1))`)
 * rather than methods, so a bundle holds only the parts of zod its schemas use. zod's classic API
 * attaches every method to every schema, and so brought all of zod (about 95 KB, and its schema
 * construction at load) into every function. A namespace import, never `import { z }` (which
 * drags in every locale). Messages are zod's English ones, as with classic zod.
 */
import { config, ZodMiniISODate, ZodMiniISODateTime, type iso as zodIso } from 'zod/mini';
import { _isoDate, _isoDateTime } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

export * from 'zod/mini';

/**
 * zod's `z.iso.datetime()` and `z.iso.date()`, the only ISO formats we use, built as zod builds them.
 * Reached through `z.iso`, zod's own namespace is kept whole in a bundle (its time and duration
 * formats too, about 1 KB); this object holds just these two.
 */
export const iso = {
  datetime: (params?: Parameters<typeof zodIso.datetime>[0]) => _isoDateTime(ZodMiniISODateTime, params),
  date: (params?: Parameters<typeof zodIso.date>[0]) => _isoDate(ZodMiniISODate, params),
};

/** The message (and rule) for a field that is absent. zod's own says "expected string, received undefined". */
export const REQUIRED = 'required';

config(en());
config({ customError: (issue) => (issue.input === undefined ? REQUIRED : undefined) });

/**
 * For a refinement across fields: run it only once every field it reads is
 * valid. zod runs an object's refinements even when a field failed its own
 * check (a malformed date, a list that is not a list), and a refinement
 * reading such a field could throw: a 500 for what is bad input.
 */
export const whenValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/**
 * A module-level schema that a bundle leaves out when it never uses it: write
 * `export const X = /* @__PURE__ *\/ z.schema(() => z.object(…))`. esbuild cannot tell that zod's
 * functions are free of side effects, so an unannotated schema stays in every bundle importing its
 * module, with the parts of zod it uses (`lib/config.ts` does the same for each function's configuration).
 */
export function schema<S>(build: () => S): S {
  return build();
}
