import type * as z from 'zod/mini';
import { fieldErrors } from '#lib/http/problem';

/**
 * A message body that is not what its queue carries. Its message names the
 * failing fields and rules only: JSON.parse's and zod's own messages may
 * quote the body, and bodies carry ids and sometimes a child's data.
 */
export class UnreadableRecord extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableRecord';
  }
}

/** Parses a queue message body as JSON against `schema`; `what` names it in errors (`the matching request`). */
export function parseRecordBody<S extends z.ZodMiniType>(schema: S, body: string, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new UnreadableRecord(`${what} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new UnreadableRecord(`${what} is not valid: ${fieldErrors(parsed.error).map((e) => `${e.field}:${e.rule}`).join(', ')}`);
  }
  return parsed.data;
}
