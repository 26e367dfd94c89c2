import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { systemClock, type Clock } from '#lib/clock';
import { devSignIn } from './dev-sign-in';
import type { Role } from './roles';

/**
 * A local OIDC issuer for `npm start` and the tests: it publishes an RS256
 * signing key at a JWKS URL and signs tokens shaped like Microsoft Entra ID's
 * (roles in `roles`, the person in `oid`/`sub`/`preferred_username`), so the
 * API verifies them exactly as it verifies the council's. It listens on
 * 127.0.0.1 only. Never used in AWS.
 */

export interface DevIssuerOptions {
  /** Port on 127.0.0.1; 0 picks a free one. A fixed port keeps the issuer URL, so tokens survive restarts. @default 0 */
  port?: number;
  /** The audience tokens are issued for. @default 'api://cared-for' */
  audience?: string;
  /** Directory to keep the signing key in (created if missing), so tokens survive restarts. @default - a new key in memory */
  keyDir?: string;
  /** Lifetime of tokens from `tokenFor`. @default 12 hours */
  tokenLifetimeSeconds?: number;
  /** What "now" is for `iat` and `exp`: the local stack's clock when it runs shifted. @default the wall clock */
  clock?: Clock;
}

export interface SignOptions {
  /** @default the issuer's own URL */
  issuer?: string;
  /** @default the issuer's audience */
  audience?: string;
  /** `iat`, epoch seconds. @default now */
  issuedAt?: number;
  /** `exp`, epoch seconds. @default issuedAt + tokenLifetimeSeconds */
  expiresAt?: number;
  /** An access token (with `azp`, the client it was issued to) or an ID token. @default 'access' */
  kind?: 'access' | 'id';
  /** Header overrides for tests of malformed tokens: `kid: null` leaves the key id out. */
  header?: { kid?: string | null; typ?: string };
}

/** The client id the dev issuer's access tokens name in `azp`. */
export const DEV_CLIENT_ID = 'cared-for-dev-client';

export interface DevIssuer {
  /** The `iss` of its tokens: `http://127.0.0.1:<port>`. */
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** The console's sign-in endpoints (dev-sign-in.ts): a role picker, the code exchange, sign-out. */
  authorizationUrl: string;
  tokenUrl: string;
  endSessionUrl: string;
  /** A token for a made-up member of staff holding `roles`. */
  tokenFor(roles: Role | readonly Role[], subject?: string): Promise<string>;
  /** A token with exactly these claims (for tests of expired, mis-addressed or role-less tokens). */
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  stop(): Promise<void>;
}

const KEY_FILE = 'dev-issuer-signing-key.json';

interface SigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newSigningKey(): Promise<{ key: SigningKey; privateJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { key: { privateKey, publicJwk }, privateJwk };
}

async function signingKey(keyDir: string | undefined): Promise<SigningKey> {
  const path = keyDir ? join(keyDir, KEY_FILE) : undefined;
  if (path && existsSync(path)) {
    const privateJwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
    const { kty, n, e, kid, alg, use } = privateJwk;
    return { privateKey: (await importJWK(privateJwk, 'RS256')) as CryptoKey, publicJwk: { kty, n, e, kid, alg, use } };
  }
  const { key, privateJwk } = await newSigningKey();
  if (keyDir && path) {
    mkdirSync(keyDir, { recursive: true });
    writeFileSync(path, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  return key;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startDevIssuer(options: DevIssuerOptions = {}): Promise<DevIssuer> {
  const key = await signingKey(options.keyDir);
  const audience = options.audience ?? 'api://cared-for';
  const lifetime = options.tokenLifetimeSeconds ?? 12 * 3600;
  const clock = options.clock ?? systemClock;
  const jwks = JSON.stringify({ keys: [key.publicJwk] });
  let discovery = '';
  let signIn: ReturnType<typeof devSignIn> | undefined;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (signIn?.handle(request, response, Buffer.concat(chunks).toString('utf8'))) return;
      const body = request.url === '/jwks.json' ? jwks : request.url === '/.well-known/openid-configuration' ? discovery : undefined;
      response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      response.end(body ?? '{}');
    });
  });
  const port = await listen(server, options.port ?? 0);
  const issuer = `http://127.0.0.1:${port}`;
  const jwksUrl = `${issuer}/jwks.json`;
  const authorizationUrl = `${issuer}/authorize`;
  const tokenUrl = `${issuer}/token`;
  const endSessionUrl = `${issuer}/logout`;
  discovery = JSON.stringify({
    issuer,
    jwks_uri: jwksUrl,
    authorization_endpoint: authorizationUrl,
    token_endpoint: tokenUrl,
    end_session_endpoint: endSessionUrl,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    id_token_signing_alg_values_supported: ['RS256'],
  });

  const sign: DevIssuer['sign'] = (claims, signOptions = {}) => {
    const issuedAt = signOptions.issuedAt ?? Math.floor(clock.nowMs() / 1000);
    // Shaped as Entra ID's v2.0 tokens: `ver` on both kinds; an access token names its client in `azp`.
    const shaped = { ver: '2.0', ...(signOptions.kind === 'id' ? {} : { azp: DEV_CLIENT_ID }), ...claims };
    const kid = signOptions.header?.kid === undefined ? key.publicJwk.kid! : signOptions.header.kid;
    return new SignJWT(shaped)
      .setProtectedHeader({ alg: 'RS256', ...(kid === null ? {} : { kid }), typ: signOptions.header?.typ ?? 'JWT' })
      .setIssuer(signOptions.issuer ?? issuer)
      .setAudience(signOptions.audience ?? audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(signOptions.expiresAt ?? issuedAt + lifetime)
      .sign(key.privateKey);
  };

  signIn = devSignIn((claims, tokenAudience) => sign(claims, { audience: tokenAudience, kind: 'nonce' in claims ? 'id' : 'access' }), audience, clock);

  return {
    issuer,
    jwksUrl,
    audience,
    authorizationUrl,
    tokenUrl,
    endSessionUrl,
    sign,
    tokenFor: (roles, subject) => {
      const list = typeof roles === 'string' ? [roles] : [...roles];
      const who = subject ?? `dev-${list.join('+') || 'no-roles'}`;
      return sign({ sub: who, oid: who, preferred_username: `${who}@council.example`, roles: list });
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
