import { randomBytes } from 'node:crypto';

/**
 * The headers every console answer carries (the hmpps template's
 * setUpWebSecurity, for a Lambda): a Content-Security-Policy that allows
 * scripts only from our own origin or carrying this response's nonce, styles
 * only from our own origin (no `unsafe-inline`, so no style attributes
 * either), nothing framed, forms posted only to ourselves (and the identity
 * provider, where sign-out ends its session too); HSTS; no sniffing; no
 * referrer beyond our origin; and no caching of pages, which carry children's
 * and financial data.
 */

/** A fresh nonce for one response's inline script. */
export const newNonce = (): string => randomBytes(16).toString('base64');

export function contentSecurityPolicy(nonce: string, formTargets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    `form-action 'self'${formTargets.map((t) => ` ${t}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function securityHeaders(nonce: string, formTargets: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(nonce, formTargets),
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'cache-control': 'no-store',
  };
}

/** Static files with hashed names never change: cache them for a year. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
