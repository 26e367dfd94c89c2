import { createHash } from 'node:crypto';
import type { HttpResponse } from './problem';

/**
 * Headers on every answer, whatever route or error produced it (OWASP HTTP
 * headers guidance): nothing is cached on the way (answers carry children's
 * data), browsers never sniff a type other than the one sent, and no page
 * leaks its address to another site. HTML gets a strict Content-Security-
 * Policy: no scripts, nothing loaded from anywhere, only its own inline
 * styles (allowed by hash), never framed, no forms posting away.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Headers an answer may set for itself: hashed static assets are cached for long; a page may declare its own policy. */
const OWN_CHOICE = new Set(['cache-control', 'content-security-policy']);

const STYLE_BLOCK = /<style(?:\s[^>]*)?>([\s\S]*?)<\/style>/gi;

/** The policy for one HTML page: its inline `<style>` blocks by SHA-256, nothing else. */
export function htmlContentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(STYLE_BLOCK)].map((m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
  return [
    "default-src 'none'",
    `style-src ${hashes.length > 0 ? [...new Set(hashes)].join(' ') : "'none'"}`,
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function withSecurityHeaders(response: HttpResponse): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!(OWN_CHOICE.has(name) && headers[name] !== undefined)) headers[name] = value;
  }
  if (headers['content-type']?.startsWith('text/html') && headers['content-security-policy'] === undefined) {
    headers['content-security-policy'] = htmlContentSecurityPolicy(response.body);
  }
  return { ...response, headers };
}
