import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { systemClock, type Clock } from '#lib/clock';
import { TemporarilyUnavailable } from '#lib/errors';
import { Unauthenticated } from '#lib/http/http-errors';
import { Role } from './roles';
import type { Caller } from './caller';

export interface TokenVerifierConfig {
  /** The `iss` every token must carry, e.g. `https://login.microsoftonline.com/<tenant>/v2.0`. */
  issuer: string;
  /** The `aud` every token must carry: this API's application id URI or client id. */
  audience: string;
  /** Where the identity provider publishes its signing keys, e.g. `…/discovery/v2.0/keys`. */
  jwksUrl: string;
  /** Clock skew allowed on `exp` and `nbf`, in seconds. @default 30 */
  clockToleranceSeconds?: number;
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

/**
 * Verifies OIDC bearer JWTs as Microsoft Entra ID issues them: RS256 only,
 * issuer, audience and lifetime checked, roles from the `roles` claim, the
 * person from `oid` (else `sub`) and `preferred_username`.
 */
export function createTokenVerifier(config: TokenVerifierConfig, keys: JWTVerifyGetKey = remoteKeys(config.jwksUrl)): VerifyToken {
  const clock = config.clock ?? systemClock;
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: ['RS256'],
    clockTolerance: config.clockToleranceSeconds ?? 30,
    requiredClaims: ['exp', 'iat'],
  };
  return async (authorizationHeader) => {
    if (!authorizationHeader) throw new Unauthenticated('send an OIDC bearer token in the Authorization header', false);
    const token = BEARER.exec(authorizationHeader.trim())?.[1];
    if (!token) throw new Unauthenticated('the Authorization header must be "Bearer <JWT>"', true);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { ...options, currentDate: new Date(clock.nowMs()) }));
    } catch (error) {
      throw refusal(error);
    }
    return callerOf(payload);
  };
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
