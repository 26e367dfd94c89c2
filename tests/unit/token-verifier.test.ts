import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIssuer, type DevIssuer } from '#lib/auth/dev-issuer';
import { createTokenVerifier, IdentityProviderUnavailable, type VerifyToken } from '#lib/auth/token-verifier';
import { Unauthenticated } from '#lib/http/http-errors';
import { manualClock } from '#tests/support/clock';

/** Real tokens from the dev issuer, verified against its JWKS over HTTP on 127.0.0.1, as the API verifies Entra ID's. */

let issuer: DevIssuer;
let verify: VerifyToken;
const clock = manualClock();
const nowSeconds = () => Math.floor(clock.nowMs() / 1000);
const bearer = (token: string) => `Bearer ${token}`;

beforeAll(async () => {
  issuer = await startDevIssuer({ clock });
  verify = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, jwksUrl: issuer.jwksUrl, clock });
});
afterAll(() => issuer.stop());

async function refusal(header: string | undefined): Promise<Unauthenticated> {
  const error = await verify(header).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Unauthenticated);
  return error as Unauthenticated;
}

describe('verifying bearer tokens', () => {
  it('accepts a valid token: the person from oid and preferred_username, our roles from the roles claim', async () => {
    // Prepare
    const token = await issuer.sign({
      sub: 'pairwise-sub',
      oid: '6f1c2a9e-0000-4000-8000-000000000001',
      preferred_username: 'a.manager@council.example',
      roles: ['residential-manager', 'Some.Other.App.Role'],
    });

    // Act
    const caller = await verify(bearer(token));

    // Assess
    expect(caller).toEqual({
      subject: '6f1c2a9e-0000-4000-8000-000000000001',
      name: 'a.manager@council.example',
      roles: ['residential-manager'],
    });
  });

  it('accepts a token with no roles as a caller with none (routes then answer 403)', async () => {
    const caller = await verify(bearer(await issuer.sign({ sub: 'no-roles' })));
    expect(caller).toEqual({ subject: 'no-roles', name: 'no-roles', roles: [] });
  });

  it('refuses an expired token, beyond the clock tolerance', async () => {
    const token = await issuer.sign({ sub: 'x', roles: ['finance'] }, { issuedAt: nowSeconds() - 3600, expiresAt: nowSeconds() - 60 });
    const error = await refusal(bearer(token));
    expect(error.message).toMatch(/expired/);
    expect(error.headers['www-authenticate']).toBe('Bearer realm="cared-for", error="invalid_token"');
  });

  it('allows a few seconds of clock skew', async () => {
    const token = await issuer.sign({ sub: 'x', roles: ['finance'] }, { issuedAt: nowSeconds() - 3600, expiresAt: nowSeconds() - 5 });
    await expect(verify(bearer(token))).resolves.toMatchObject({ subject: 'x' });
  });

  it('refuses a token from another issuer', async () => {
    const token = await issuer.sign({ sub: 'x', roles: ['finance'] }, { issuer: 'https://login.microsoftonline.com/another-tenant/v2.0' });
    expect((await refusal(bearer(token))).message).toMatch(/iss/);
  });

  it('refuses a token for another audience', async () => {
    const token = await issuer.sign({ sub: 'x', roles: ['finance'] }, { audience: 'api://another-app' });
    expect((await refusal(bearer(token))).message).toMatch(/aud/);
  });

  it('refuses tokens of unbounded age: exp ten years ahead, iat an hour in the future, iat more than a day ago', async () => {
    const decade = await issuer.sign({ sub: 'x', roles: ['finance'] }, { expiresAt: nowSeconds() + 10 * 365 * 86_400 });
    const fromTheFuture = await issuer.sign({ sub: 'x', roles: ['finance'] }, { issuedAt: nowSeconds() + 3600, expiresAt: nowSeconds() + 7200 });
    const stale = await issuer.sign({ sub: 'x', roles: ['finance'] }, { issuedAt: nowSeconds() - 25 * 3600, expiresAt: nowSeconds() + 600 });
    expect((await refusal(bearer(decade))).message).toMatch(/lives longer than 86400 seconds/);
    expect((await refusal(bearer(fromTheFuture))).message).toMatch(/iat/);
    expect((await refusal(bearer(stale))).message).toMatch(/expired/);
    // Within the tolerance: a token issued 20 s ahead of our clock is still fine.
    await expect(verify(bearer(await issuer.sign({ sub: 'x', roles: ['finance'] }, { issuedAt: nowSeconds() + 20 })))).resolves.toMatchObject({ subject: 'x' });
  });

  it('refuses a token without a kid, or of another typ, even when it is signed with the published key', async () => {
    const noKid = await issuer.sign({ sub: 'x', roles: ['finance'] }, { header: { kid: null } });
    const otherType = await issuer.sign({ sub: 'x', roles: ['finance'] }, { header: { typ: 'secevent+jwt' } });
    expect((await refusal(bearer(noKid))).message).toMatch(/kid/);
    expect((await refusal(bearer(otherType))).message).toMatch(/typ/);
    await expect(verify(bearer(await issuer.sign({ sub: 'x', roles: ['finance'] }, { header: { typ: 'at+jwt' } })))).resolves.toMatchObject({ subject: 'x' });
  });

  it('accepts access tokens only: refuses an ID token, a v1.0 token, and one without azp', async () => {
    const idToken = await issuer.sign({ sub: 'x', roles: ['finance'], nonce: 'n-1' }, { kind: 'id' });
    const idTokenWithAzp = await issuer.sign({ sub: 'x', roles: ['finance'], at_hash: 'abc', azp: 'client' });
    const v1 = await issuer.sign({ sub: 'x', roles: ['finance'], ver: '1.0' });
    const noAzp = await issuer.sign({ sub: 'x', roles: ['finance'] }, { kind: 'id' });
    expect((await refusal(bearer(idToken))).message).toMatch(/azp/);
    expect((await refusal(bearer(idTokenWithAzp))).message).toMatch(/ID token/);
    expect((await refusal(bearer(v1))).message).toMatch(/ver/);
    expect((await refusal(bearer(noAzp))).message).toMatch(/azp/);
  });

  it('refuses a token signed with a key the issuer does not publish', async () => {
    const impostor = await startDevIssuer();
    try {
      const token = await impostor.sign({ sub: 'x', roles: ['head-of-service'] }, { issuer: issuer.issuer, audience: issuer.audience });
      await refusal(bearer(token));
    } finally {
      await impostor.stop();
    }
  });

  it('refuses a token signed with a shared secret (only RS256 is allowed)', async () => {
    const token = await new SignJWT({ sub: 'x', roles: ['head-of-service'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-guessable-shared-secret-of-32-bytes!'));
    await refusal(bearer(token));
  });

  it('challenges a request without a token, and refuses a header that is not "Bearer <JWT>"', async () => {
    const missing = await refusal(undefined);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="cared-for"');
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', bearer('a.b')]) await refusal(header);
  });

  it('judges a token by the clock it is given (the stack\'s), not the wall clock: 12 hours on, the same token has expired', async () => {
    const later = manualClock(clock.nowMs() + 12 * 3600_000 + 31_000);
    const verifyLater = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, jwksUrl: issuer.jwksUrl, clock: later });
    const token = await issuer.tokenFor('finance');

    await expect(verify(bearer(token))).resolves.toMatchObject({ roles: ['finance'] });
    expect((await verifyLater(bearer(token)).catch((e: unknown) => e)) as Unauthenticated).toMatchObject({ message: 'the bearer token has expired' });
  });

  it('reports the identity provider unreachable as such, not as a bad token', async () => {
    const offline = createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, jwksUrl: 'http://127.0.0.1:9/jwks.json' });
    const token = await issuer.tokenFor('finance');
    await expect(offline(bearer(token))).rejects.toBeInstanceOf(IdentityProviderUnavailable);
  });
});

describe('the dev issuer', () => {
  it('listens on 127.0.0.1 and keeps its signing key in keyDir (owner-only), so tokens survive a restart', async () => {
    // Prepare
    const keyDir = mkdtempSync(join(tmpdir(), 'dev-issuer-'));
    try {
      const first = await startDevIssuer({ keyDir, clock });
      const port = Number(new URL(first.issuer).port);
      const token = await first.tokenFor(['finance', 'team-manager'], 'someone');
      await first.stop();

      // Act
      const second = await startDevIssuer({ keyDir, port, clock });
      const verifySecond = createTokenVerifier({ issuer: second.issuer, audience: second.audience, jwksUrl: second.jwksUrl, clock });

      // Assess
      expect(new URL(second.issuer).hostname).toBe('127.0.0.1');
      await expect(verifySecond(bearer(token))).resolves.toEqual({ subject: 'someone', name: 'someone@council.example', roles: ['finance', 'team-manager'] });
      expect(statSync(join(keyDir, 'dev-issuer-signing-key.json')).mode & 0o077).toBe(0);
      await second.stop();
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  });
});
