import * as z from '#lib/validation';

/**
 * A whole number in a query string, written as people write one: digits
 * only, no sign, exponent, hex, spaces or leading zeros (`1e2`, `0x10`,
 * ` 10`, `010` are refused, not read as 100, 16 and 10).
 */
export const QueryInt = (min: number, max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^(0|[1-9]\d{0,8})$/, 'a whole number written in digits')), z.transform(Number)),
    z.int().check(z.gte(min), z.lte(max)),
  );

export const Limit = z._default(QueryInt(1, 100), 25);
export const Cursor = z.optional(z.string().check(z.minLength(1), z.maxLength(4096)));

/** A page of a list and, while there is more, the cursor to ask for the next. */
export const pageOf = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item), cursor: z.optional(z.string()) });
