import { createHash } from 'node:crypto';
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { callerOf, type Caller } from '#lib/auth';
import { systemClock, type Clock } from '#lib/clock';
import { Unauthenticated } from '#lib/http';
import * as z from '#lib/validation';

/**
 * Sign-in with the council's OpenID Connect provider (Microsoft Entra ID in
 * AWS, the dev issuer locally): the authorization code flow with PKCE (S256),
 * a `state` bound to the browser and a `nonce` bound to the ID token, as the
 * OAuth 2.0 for browser-based apps guidance asks of a backend for frontend.
 * The code is exchanged here, server to server (with the client secret where
 * the client is confidential), and the ID token verified against the
 * provider's keys. The person and their roles come from the ID token's
 * claims, read as the API reads an access token's (lib/auth/token-verifier.ts).
 */

export interface OidcClientSettings {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** Where sign-out also ends the provider's session. @default - sign-out ends ours only */
  endSessionEndpoint?: string | undefined;
  clientId: string;
  /** A confidential client's secret. @default - a public client (PKCE alone) */
  clientSecret?: string | undefined;
  /** @default ['openid', 'profile'] */
  scopes?: readonly string[];
  /** What "now" is for the ID token's `exp` and `nbf`: the stack's clock. @default the wall clock */
  clock?: Clock;
}

/** The identity provider answered, but not with a usable sign-in: the person is asked to try again. */
export class SignInFailed extends Error {
  constructor(readonly reason: string) {
    super(`sign-in failed: ${reason}`);
    this.name = 'SignInFailed';
  }
}

/** PKCE's S256 challenge of a verifier. */
export const codeChallenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

const TokenAnswer = z.object({ id_token: z.string().check(z.minLength(1)), token_type: z.optional(z.string()) });

export class OidcClient {
  constructor(
    private readonly settings: OidcClientSettings,
    private readonly keys: JWTVerifyGetKey,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /** Where to send the browser to sign in. */
  authorizationUrl(request: { redirectUri: string; state: string; nonce: string; codeVerifier: string }): string {
    const url = new URL(this.settings.authorizationEndpoint);
    url.search = new URLSearchParams({
      client_id: this.settings.clientId,
      response_type: 'code',
      redirect_uri: request.redirectUri,
      response_mode: 'query',
      scope: (this.settings.scopes ?? ['openid', 'profile']).join(' '),
      state: request.state,
      nonce: request.nonce,
      code_challenge: codeChallenge(request.codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /** Where to send the browser after our session ended, or undefined to stay with us. */
  endSessionUrl(postLogoutRedirectUri: string): string | undefined {
    if (!this.settings.endSessionEndpoint) return undefined;
    const url = new URL(this.settings.endSessionEndpoint);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
    return url.toString();
  }

  /** The origins forms may lead to: the provider's, for sign-out. */
  get formTargets(): string[] {
    return this.settings.endSessionEndpoint ? [new URL(this.settings.endSessionEndpoint).origin] : [];
  }

  /** Exchanges the code for tokens and returns who signed in. */
  async finish(request: { code: string; redirectUri: string; codeVerifier: string; nonce: string }): Promise<Caller> {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: request.code,
      redirect_uri: request.redirectUri,
      client_id: this.settings.clientId,
      code_verifier: request.codeVerifier,
      ...(this.settings.clientSecret ? { client_secret: this.settings.clientSecret } : {}),
    });
    const response = await this.fetchFn(this.settings.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new SignInFailed(`the token endpoint answered ${response.status}`);
    const answer = TokenAnswer.safeParse(await response.json().catch(() => undefined));
    if (!answer.success) throw new SignInFailed('the token endpoint sent no ID token');
    try {
      const { payload } = await jwtVerify(answer.data.id_token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.clientId,
        algorithms: ['RS256'],
        clockTolerance: 30,
        currentDate: new Date((this.settings.clock ?? systemClock).nowMs()),
        requiredClaims: ['exp', 'iat', 'nonce'],
      });
      if (payload.nonce !== request.nonce) throw new SignInFailed('the ID token was not issued for this sign-in (nonce)');
      return callerOf(payload);
    } catch (error) {
      if (error instanceof SignInFailed) throw error;
      if (error instanceof Unauthenticated) throw new SignInFailed(error.message);
      if (error instanceof errors.JOSEError) throw new SignInFailed(`the ID token was refused (${error.code})`);
      throw error;
    }
  }
}
