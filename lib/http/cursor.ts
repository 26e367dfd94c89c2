import { createHash } from 'node:crypto';
import * as z from '#lib/validation';
import { BadRequest } from './http-errors';

/**
 * Opaque pagination cursors that cannot be forged into a read elsewhere or
 * a failed query: a cursor is base64url of a Query's LastEvaluatedKey and a
 * fingerprint of the query it continues. Handed back, it is checked against
 * the query asking for the next page: the same fingerprint (the same list,
 * partition and filter), exactly the index's key attributes, every value a
 * non-empty string within DynamoDB's key size, the partition equal to the
 * one queried and the sort key inside the queried prefix. Anything else is
 * a 400 naming `cursor`, never a query DynamoDB would refuse.
 */

export type KeyRule =
  /** The partition queried: this value exactly. */
  | { equals: string }
  /** A sort key queried with begins_with: this prefix. */
  | { startsWith: string }
  /** Any key value (the table's own keys on an index). */
  | 'any';

export interface CursorScope {
  /** Every key attribute of the index queried, with what its value must be. */
  keys: Record<string, KeyRule>;
  /** What else shapes the list (a filter, the caller it is filtered for): a cursor of another list is refused. */
  filter?: Record<string, string | number | undefined>;
}

const MAX_KEY_BYTES = 1024;
const Cursor = z.strictObject({ k: z.record(z.string(), z.string()), q: z.string() });

function fingerprint(scope: CursorScope): string {
  const keys = Object.entries(scope.keys).sort(([a], [b]) => a.localeCompare(b));
  const filter = Object.entries(scope.filter ?? {}).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify({ keys, filter })).digest('base64url').slice(0, 16);
}

export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined, scope: CursorScope): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  return Buffer.from(JSON.stringify({ k: lastEvaluatedKey, q: fingerprint(scope) }), 'utf8').toString('base64url');
}

function fits(value: string, rule: KeyRule): boolean {
  if (value.length === 0 || Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES) return false;
  if (rule === 'any') return true;
  return 'equals' in rule ? value === rule.equals : value.startsWith(rule.startsWith);
}

export function decodeCursor(cursor: string | undefined, scope: CursorScope): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new BadRequest('the cursor is not one this list handed out', [{ field: 'query.cursor', rule: 'invalid_cursor', message: 'not a cursor from this list' }]);
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = Cursor.safeParse(decoded);
  if (!parsed.success || parsed.data.q !== fingerprint(scope)) throw invalid();
  const key = parsed.data.k;
  const names = Object.keys(key).sort();
  const expected = Object.keys(scope.keys).sort();
  if (names.length !== expected.length || !expected.every((name, i) => names[i] === name)) throw invalid();
  if (!expected.every((name) => fits(key[name]!, scope.keys[name]!))) throw invalid();
  return key;
}
