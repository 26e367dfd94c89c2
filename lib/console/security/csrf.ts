import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Synchroniser tokens: each session holds one random token, every form the
 * console renders carries it in a hidden `csrfToken` field, and a POST is
 * refused unless the field matches (compared in constant time). A request
 * that names another origin in its Origin header is refused first.
 */

export const CSRF_FIELD = 'csrfToken';

export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

export function csrfTokenMatches(expected: string, submitted: string | undefined): boolean {
  if (submitted === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Browsers send Origin on every POST; a form posted from anywhere else is refused. */
export function sameOrigin(originHeader: string | undefined, ourOrigin: string): boolean {
  return originHeader === undefined || originHeader === ourOrigin;
}
