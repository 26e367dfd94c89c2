import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { htmlContentSecurityPolicy, withSecurityHeaders } from '#lib/http/security-headers';
import { jsonResponse } from '#lib/http/problem';

/** The headers on every answer, and the strict policy on HTML (OWASP HTTP headers guidance). */

const css = 'body { font: 11pt system-ui; }';
const page = `<!doctype html><html><head><style>${css}</style></head><body><p>Invoice</p></body></html>`;

describe('security headers', () => {
  it('every answer: no-store, nosniff, no-referrer, header names in lower case', () => {
    const answer = withSecurityHeaders(jsonResponse(200, { ok: true }, { 'X-Custom': 'x' }));
    expect(answer.headers).toEqual({
      'content-type': 'application/json',
      'x-custom': 'x',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });

  it('HTML: nothing loads, nothing runs, only its own inline styles by hash, never framed, no form posts away', () => {
    const answer = withSecurityHeaders({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page });
    const hash = createHash('sha256').update(css).digest('base64');
    expect(answer.headers['content-security-policy']).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(answer.headers['content-security-policy']).not.toMatch(/unsafe|script-src/);
    expect(htmlContentSecurityPolicy('<p>no styles</p>')).toContain("style-src 'none'");
  });

  it('keeps a policy or cache lifetime the answer chose for itself (hashed assets, a page with its own nonce), never the other headers', () => {
    const own = withSecurityHeaders({
      statusCode: 200,
      headers: { 'content-type': 'text/html', 'Content-Security-Policy': "default-src 'none'; style-src 'nonce-abc'", 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'whatever' },
      body: page,
    });
    expect(own.headers['content-security-policy']).toBe("default-src 'none'; style-src 'nonce-abc'");
    expect(own.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(own.headers['x-content-type-options']).toBe('nosniff');
  });
});
