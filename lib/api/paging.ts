import * as z from '#lib/validation';

export const Limit = z.coerce.number().int().min(1).max(100).default(25);
export const Cursor = z.string().min(1).max(4096).optional();

/** A page of a list and, while there is more, the cursor to ask for the next. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), cursor: z.string().optional() });
