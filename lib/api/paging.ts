import * as z from '#lib/validation';

/**
 * A whole number in a query string, written as people write one: digits
 * only, no sign, exponent, hex, spaces or leading zeros (`1e2`, `0x10`,
 * ` 10`, `010` are refused, not read as 100, 16 and 10).
 */
export const QueryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^(0|[1-9]\d{0,8})$/, 'a whole number written in digits')
    .transform(Number)
    .pipe(z.int().min(min).max(max));

export const Limit = QueryInt(1, 100).default(25);
export const Cursor = z.string().min(1).max(4096).optional();

/** A page of a list and, while there is more, the cursor to ask for the next. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), cursor: z.string().optional() });
