import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { systemClock, type Clock } from '#lib/clock';
import { TemporarilyUnavailable } from '#lib/errors';
import { Unauthenticated } from './unauthenticated';
import { Role } from './roles';
import type { Caller } from './caller';

export interface TokenVerifierConfig {
  /** The `iss` every token must carry, e.g. `https://login.microsoftonline.com/<tenant>/v2.0`. */
  issuer: string;
  /** The `aud` every token must carry: this API's application id URI or client id. */
  audience: string;
  /** Where the identity provider publishes its signing keys, e.g. `…/discovery/v2.0/keys`. */
  jwksUrl: string;
  /** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds. @default 30 */
  clockToleranceSeconds?: number;
  /**
   * The oldest token accepted, by `iat`, and the longest lifetime (`exp` − `iat`), in seconds. Entra ID
   * issues access tokens for 60–90 minutes by default and at most a day under a lifetime policy.
   * @default 24 hours
   */
  maxTokenAgeSeconds?: number;
  /** What "now" is for `exp` and `nbf`: handlers pass the stack's clock. @default the wall clock */
  clock?: Clock;
}

/** The identity provider's keys could not be fetched: nobody can be authenticated, so 503, not 401. */
export class IdentityProviderUnavailable extends TemporarilyUnavailable {
  constructor(options: { cause: unknown }) {
    super('the identity provider could not be reached to verify the bearer token', options);
  }
}

export type VerifyToken = (authorizationHeader: string | undefined) => Promise<Caller>;

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** Keys are fetched once and cached per container; an unknown `kid` (rotation) triggers a refetch. */
export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
}

export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 24 * 3600;

/** `typ` of an access token: Entra ID writes `JWT`; RFC 9068 access tokens say `at+jwt`. */
const ACCESS_TOKEN_TYPES = new Set(['jwt', 'at+jwt', 'application/at+jwt']);

/** Claims only an OpenID Connect ID token carries (OIDC Core 2, 3.1.3.6): such a token is not for calling an API. */
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash'] as const;

/**
 * Verifies OIDC bearer JWTs as Microsoft Entra ID issues access tokens (v2.0):
 * RS256 only, a `kid` naming the signing key, `typ` JWT (or at+jwt); issuer,
 * audience and lifetime checked, `iat` neither older than `maxTokenAge` nor
 * in the future beyond the clock tolerance, a lifetime no longer than
 * `maxTokenAge`; an access token, not an ID token (`ver` 2.0 and `azp`, the
 * calling client, as Entra's v2 access tokens carry; no `nonce`, `at_hash`
 * or `c_hash`). Roles from the `roles` claim, the person from `oid` (else
 * `sub`) and `preferred_username`.
 */
export function createTokenVerifier(config: TokenVerifierConfig, keys: JWTVerifyGetKey = remoteKeys(config.jwksUrl)): VerifyToken {
  const clock = config.clock ?? systemClock;
  const maxTokenAge = config.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: ['RS256'],
    clockTolerance: config.clockToleranceSeconds ?? 30,
    maxTokenAge,
    requiredClaims: ['exp', 'iat', 'ver', 'azp'],
  };
  return async (authorizationHeader) => {
    if (!authorizationHeader) throw new Unauthenticated('send an OIDC bearer token in the Authorization header', false);
    const token = BEARER.exec(authorizationHeader.trim())?.[1];
    if (!token) throw new Unauthenticated('the Authorization header must be "Bearer <JWT>"', true);
    checkHeader(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { ...options, currentDate: new Date(clock.nowMs()) }));
    } catch (error) {
      throw refusal(error);
    }
    checkAccessToken(payload, maxTokenAge);
    return callerOf(payload);
  };
}

function checkHeader(token: string): void {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new Unauthenticated('the bearer token could not be verified', true);
  }
  if (typeof header.kid !== 'string' || header.kid === '') throw new Unauthenticated('the bearer token names no signing key (kid)', true);
  if (typeof header.typ !== 'string' || !ACCESS_TOKEN_TYPES.has(header.typ.toLowerCase())) {
    throw new Unauthenticated('the bearer token is not an access token (typ)', true);
  }
}

function checkAccessToken(payload: JWTPayload, maxTokenAge: number): void {
  if (payload.ver !== '2.0') throw new Unauthenticated("the bearer token's ver claim is not accepted: a v2.0 access token is needed", true);
  if (typeof payload.azp !== 'string' || payload.azp === '') throw new Unauthenticated("the bearer token's azp claim is not accepted", true);
  if (ID_TOKEN_CLAIMS.some((claim) => payload[claim] !== undefined)) throw new Unauthenticated('an ID token cannot call the API: send an access token', true);
  if (payload.exp! - payload.iat! > maxTokenAge) throw new Unauthenticated(`the bearer token lives longer than ${maxTokenAge} seconds`, true);
}

function refusal(error: unknown): Error {
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
    return new IdentityProviderUnavailable({ cause: error });
  }
  if (error instanceof errors.JWTExpired) return new Unauthenticated('the bearer token has expired', true);
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new Unauthenticated(`the bearer token's ${error.claim} claim is not accepted`, true);
  }
  return new Unauthenticated('the bearer token could not be verified', true);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : undefined;
}

/** The person and our roles from verified claims (an access token here, an ID token for the console). */
export function callerOf(payload: JWTPayload): Caller {
  const subject = text(payload.oid) ?? text(payload.sub);
  if (!subject) throw new Unauthenticated('the bearer token names no subject (oid or sub)', true);
  const claimed = Array.isArray(payload.roles) ? payload.roles : [];
  const roles = [...new Set(claimed.flatMap((r) => (Role.safeParse(r).success ? [r as Role] : [])))];
  const name = text(payload.preferred_username) ?? text(payload.upn) ?? text(payload.email) ?? text(payload.name) ?? subject;
  return { subject, name, roles };
}
