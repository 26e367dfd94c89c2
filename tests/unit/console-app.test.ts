import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServices } from '#lib/api/services';
import { startDevIssuer, type DevIssuer } from '#lib/auth/dev-issuer';
import { remoteKeys } from '#lib/auth/token-verifier';
import { ConsoleApp, SESSION_COOKIE, SIGN_IN_COOKIE } from '#lib/console/app';
import { loadAssets } from '#lib/console/assets';
import { OidcClient } from '#lib/console/auth/oidc-client';
import { parseCookies, type ConsoleRequest, type ConsoleResponse } from '#lib/console/http';
import { InProcessApi } from '#lib/console/in-process-api';
import { consolePages } from '#lib/console/pages/index';
import type { ConsoleReads } from '#lib/console/ports';
import { MemorySessionStore } from '#lib/console/session/memory-session-store';
import { DEFAULT_TIMEOUTS } from '#lib/console/session/session';

/**
 * The console's front door without a browser: sign-in through the dev issuer
 * (authorization code + PKCE), the session cookie, timeouts, CSRF, roles and
 * the security headers. Pages that reach the API have their own tests.
 */

const ORIGIN = 'http://127.0.0.1:3000';
const BASE = '/v1/console';
let issuer: DevIssuer;
let nowMs = Date.parse('2026-12-01T09:00:00Z');
const clock = { nowMs: () => nowMs };
let sessions: MemorySessionStore;
let app: ConsoleApp;

beforeAll(async () => {
  issuer = await startDevIssuer();
});
afterAll(async () => {
  await issuer.stop();
});

function newApp(): ConsoleApp {
  sessions = new MemorySessionStore(() => nowMs);
  return new ConsoleApp({
    pages: consolePages,
    sessions,
    oidc: new OidcClient(
      { issuer: issuer.issuer, authorizationEndpoint: issuer.authorizationUrl, tokenEndpoint: issuer.tokenUrl, endSessionEndpoint: issuer.endSessionUrl, clientId: 'console-test' },
      remoteKeys(issuer.jwksUrl),
    ),
    api: new InProcessApi({} as ApiServices),
    reads: {} as ConsoleReads,
    assets: loadAssets(),
    clock,
    timeouts: DEFAULT_TIMEOUTS,
  });
}

/** A browser's cookie jar, enough for one origin. */
class Browser {
  readonly cookies = new Map<string, string>();

  async request(method: string, pathAndQuery: string, body = '', headers: Record<string, string> = {}): Promise<ConsoleResponse> {
    const url = new URL(pathAndQuery, ORIGIN);
    const request: ConsoleRequest = {
      method,
      path: url.pathname.slice(BASE.length) || '/',
      query: Object.fromEntries(url.searchParams),
      headers: { host: '127.0.0.1:3000', ...headers },
      cookies: Object.fromEntries(this.cookies),
      body,
      base: BASE,
      origin: ORIGIN,
    };
    const response = await app.handle(request);
    for (const cookie of response.cookies) {
      const [pair, ...attributes] = cookie.split('; ');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (attributes.includes('Max-Age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Signs in as `role` the way a person does: the console sends them to the issuer's page, they pick the role. */
  async signIn(role: string, path = '/'): Promise<ConsoleResponse> {
    const start = await this.request('GET', `${BASE}${path}`);
    expect(start.status).toBe(303);
    // A page sends a stranger to /sign-in, which sends them on to the provider.
    const toProvider = start.headers.location!.startsWith(BASE) ? (await this.request('GET', start.headers.location!)).headers.location! : start.headers.location!;
    const authorize = new URL(toProvider);
    const form = new URLSearchParams(authorize.searchParams);
    form.set('role', role);
    const picked = await fetch(`${issuer.issuer}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    expect(picked.status).toBe(303);
    return this.request('GET', picked.headers.get('location')!);
  }

  csrfToken(html: string): string {
    return /name="csrfToken" value="([^"]+)"/.exec(html)![1]!;
  }
}

describe('signing in', () => {
  it('sends a stranger to the identity provider with PKCE, state and nonce, and brings them back signed in to the page they asked for', async () => {
    // Prepare
    app = newApp();
    const browser = new Browser();

    // Act
    const first = await browser.request('GET', `${BASE}/section17/waiting?page=2`);
    const toProvider = await browser.request('GET', first.headers.location!);
    const authorize = new URL(toProvider.headers.location!);

    // Assess
    expect(first.headers.location).toBe(`${BASE}/sign-in?returnTo=${encodeURIComponent('/section17/waiting?page=2')}`);
    expect(authorize.origin + authorize.pathname).toBe(issuer.authorizationUrl);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'console-test',
      response_type: 'code',
      redirect_uri: `${ORIGIN}${BASE}/auth/callback`,
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(toProvider.cookies[0]).toMatch(new RegExp(`^__Host-${SIGN_IN_COOKIE}=[^;]+; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600$`));

    // Act
    const back = await new Browser().request('GET', `${BASE}/`);
    expect(back.status).toBe(303);
    const signedIn = await browser.signIn('team-manager', '/section17/waiting?page=2');

    // Assess
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe(`${BASE}/section17/waiting?page=2`);
    expect(signedIn.cookies).toContainEqual(expect.stringMatching(new RegExp(`^__Host-${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; Secure; HttpOnly; SameSite=Lax$`)));
    expect(browser.cookies.has(`__Host-${SIGN_IN_COOKIE}`)).toBe(false);
    // The table holds a hash of the id, never the id itself; and no token from the provider.
    const id = browser.cookies.get(`__Host-${SESSION_COOKIE}`)!;
    expect([...sessions.sessions.keys()]).not.toContain(id);
    expect(JSON.stringify([...sessions.sessions.values()])).not.toMatch(/eyJ/);
    const home = await browser.request('GET', `${BASE}/`);
    expect(home.status).toBe(200);
    expect(home.body).toContain('Waiting for me');
    expect(home.body).not.toContain('Estate board');
  });

  it('finishes a sign-in once: the same answer from the provider replayed gets nowhere', async () => {
    // Prepare
    app = newApp();
    const browser = new Browser();
    const start = await browser.request('GET', `${BASE}/sign-in`);
    const form = new URLSearchParams(new URL(start.headers.location!).searchParams);
    form.set('role', 'finance');
    const picked = await fetch(`${issuer.issuer}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    const callback = picked.headers.get('location')!;
    const signInCookie = browser.cookies.get(`__Host-${SIGN_IN_COOKIE}`)!;

    // Act
    const first = await browser.request('GET', callback);
    browser.cookies.set(`__Host-${SIGN_IN_COOKIE}`, signInCookie);
    const replay = await browser.request('GET', callback);

    // Assess
    expect(first.status).toBe(303);
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('Sign-in did not work');
  });

  it('refuses an answer whose state is not the one this browser was given', async () => {
    // Prepare
    app = newApp();
    const victim = new Browser();
    const attacker = new Browser();
    await attacker.request('GET', `${BASE}/sign-in`);
    const start = await victim.request('GET', `${BASE}/sign-in`);
    const form = new URLSearchParams(new URL(start.headers.location!).searchParams);
    form.set('role', 'finance');
    const picked = await fetch(`${issuer.issuer}/authorize`, { method: 'POST', body: form, redirect: 'manual' });

    // Act: the victim's code and state, delivered to the attacker's browser
    const answer = await attacker.request('GET', picked.headers.get('location')!);

    // Assess
    expect(answer.status).toBe(400);
    expect(attacker.cookies.has(`__Host-${SESSION_COOKIE}`)).toBe(false);
  });

  it('gives a new session id at every sign-in and removes the one the browser had', async () => {
    // Prepare
    app = newApp();
    const browser = new Browser();
    await browser.signIn('finance');
    const before = browser.cookies.get(`__Host-${SESSION_COOKIE}`);

    // Act
    await browser.signIn('social-worker', '/sign-in');
    const after = browser.cookies.get(`__Host-${SESSION_COOKIE}`);

    // Assess
    expect(after).not.toBe(before);
    expect(sessions.sessions.size).toBe(1);
  });
});

describe('a session', () => {
  it('ends after 30 idle minutes, with a page saying so (its record outlives it for that, though the TTL sweeps on time)', async () => {
    // Prepare
    app = newApp();
    const browser = new Browser();
    await browser.signIn('finance');

    // Act
    nowMs += 29 * 60_000;
    const stillIn = await browser.request('GET', `${BASE}/`);
    nowMs += 29 * 60_000;
    const stillInAfterActivity = await browser.request('GET', `${BASE}/`);
    nowMs += 31 * 60_000;
    const out = await browser.request('GET', `${BASE}/`);

    // Assess
    expect(stillIn.status).toBe(200);
    expect(stillInAfterActivity.status).toBe(200);
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe(`${BASE}/signed-out?reason=timeout`);
    expect(browser.cookies.has(`__Host-${SESSION_COOKIE}`)).toBe(false);
    expect((await browser.request('GET', out.headers.location!)).body).toContain('after 30 minutes without activity');
  });

  it('ends ten hours after sign-in however busy the person is', async () => {
    // Prepare
    app = newApp();
    const browser = new Browser();
    await browser.signIn('finance');

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      nowMs += 29 * 60_000;
      statuses.push((await browser.request('GET', `${BASE}/`)).status);
    }

    // Assess: 20 × 29 minutes is 9 h 40; the 21st request is past 10 hours
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(303);
  });

  it('signs out on a POST with the form token, and the cookie no longer opens anything', async () => {
    // Prepare
    app = newApp();
    const browser = new Browser();
    await browser.signIn('finance');
    const id = browser.cookies.get(`__Host-${SESSION_COOKIE}`)!;
    const home = await browser.request('GET', `${BASE}/`);

    // Act
    const out = await browser.request('POST', `${BASE}/sign-out`, `csrfToken=${browser.csrfToken(home.body)}`, { origin: ORIGIN });
    browser.cookies.set(`__Host-${SESSION_COOKIE}`, id);
    const after = await browser.request('GET', `${BASE}/`);

    // Assess
    expect(out.status).toBe(303);
    expect(new URL(out.headers.location!).pathname).toBe('/logout');
    expect(new URL(out.headers.location!).searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}${BASE}/signed-out`);
    expect(sessions.sessions.size).toBe(0);
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/\/sign-in\?returnTo=/);
  });
});

describe('forms and roles', () => {
  it('refuses a POST without the form token, with a wrong one, or from another origin', async () => {
    // Prepare
    app = newApp();
    const browser = new Browser();
    await browser.signIn('finance');
    const token = browser.csrfToken((await browser.request('GET', `${BASE}/`)).body);

    // Act
    const none = await browser.request('POST', `${BASE}/sign-out`, '', { origin: ORIGIN });
    const wrong = await browser.request('POST', `${BASE}/sign-out`, `csrfToken=${token.slice(1)}x`, { origin: ORIGIN });
    const elsewhere = await browser.request('POST', `${BASE}/sign-out`, `csrfToken=${token}`, { origin: 'https://evil.example' });

    // Assess
    for (const refused of [none, wrong, elsewhere]) {
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('This form has expired');
    }
    expect(sessions.sessions.size).toBe(1);
  });

  it('answers a page of another role with the 403 page, and an unknown page with 404', async () => {
    // Prepare
    app = newApp();
    const browser = new Browser();
    await browser.signIn('social-worker');

    // Act
    const other = await browser.request('GET', `${BASE}/section17/reports`);
    const unknown = await browser.request('GET', `${BASE}/no-such-page`);

    // Assess
    expect(other.status).toBe(403);
    expect(other.body).toContain('You do not have access to this page');
    expect(unknown.status).toBe(404);
  });

  it('answers a finance page whose month or document number is mistyped with 404, without asking the API', async () => {
    // Prepare: this app's API has no services, so a page that reached it would fail with 500
    app = newApp();
    const browser = new Browser();
    await browser.signIn('finance');

    // Act
    const answers = await Promise.all(['/finance/runs/2026-13', '/finance/invoices/not-a-number', '/finance/invoices/NT-2627-1/pdf'].map((path) => browser.request('GET', `${BASE}${path}`)));

    // Assess
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404]);
    for (const answer of answers) expect(answer.body).toContain('Page not found');
  });
});

describe('every answer', () => {
  it('carries a strict CSP with a fresh nonce on its one inline script, and no caching of pages', async () => {
    // Prepare
    app = newApp();
    const browser = new Browser();
    await browser.signIn('finance');

    // Act
    const [a, b] = [await browser.request('GET', `${BASE}/`), await browser.request('GET', `${BASE}/`)];

    // Assess
    const csp = a.headers['content-security-policy']!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(b.headers['content-security-policy']).not.toContain(nonce);
    expect([...a.body.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)].map((m) => m[0])).toEqual([`<script nonce="${nonce}">`]);
    expect(a.body).not.toMatch(/\sstyle="/);
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.headers['x-frame-options']).toBe('DENY');
  });

  it('serves static files under hashed names for a year, and nothing else under /assets', async () => {
    // Prepare
    app = newApp();
    const assets = loadAssets();
    const css = assets.all().find((asset) => asset.name.startsWith('govuk-frontend.') && asset.name.endsWith('.css'))!;

    // Act
    const found = await new Browser().request('GET', `${BASE}/assets/${css.name}`);
    const missing = await new Browser().request('GET', `${BASE}/assets/govuk-frontend.min.css`);

    // Assess
    expect(found.status).toBe(200);
    expect(found.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(found.body).toContain('.govuk-button');
    expect(found.body).not.toContain('@font-face');
    expect(found.body).not.toContain('GDS Transport');
    expect(missing.status).toBe(404);
  });
});

describe('the cookies', () => {
  it('parse as browsers send them', () => {
    expect(parseCookies('a=1; __Host-x=y=z; a=2')).toEqual({ a: '1', '__Host-x': 'y=z' });
  });
});
