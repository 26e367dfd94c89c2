import * as z from '#lib/validation';
import { BadRequest } from './http-errors';

/**
 * Opaque pagination cursors: base64url of a Query's LastEvaluatedKey. A
 * cursor handed back is decoded against the exact key shape of the query it
 * continues (and, where given, the partition it must stay in), so a forged or
 * mismatched cursor is a 400, never a read somewhere else.
 */

const KeyAttributes = z.record(z.string(), z.string().max(1024));

export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/**
 * @param attributes the key attributes of the index queried, e.g. ['pk', 'sk', 'gsi1pk', 'gsi1sk']
 * @param fixed attributes that must hold exactly these values (the partition queried)
 */
export function decodeCursor(
  cursor: string | undefined,
  attributes: readonly string[],
  fixed: Record<string, string> = {},
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new BadRequest('the cursor is not one this list handed out', [{ field: 'cursor', rule: 'invalid_cursor', message: 'not a cursor from this list' }]);
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = KeyAttributes.safeParse(decoded);
  if (!parsed.success) throw invalid();
  const key = parsed.data;
  const names = Object.keys(key).sort();
  if (names.length !== attributes.length || ![...attributes].sort().every((name, i) => names[i] === name)) throw invalid();
  if (Object.entries(fixed).some(([name, value]) => key[name] !== value)) throw invalid();
  return key;
}
