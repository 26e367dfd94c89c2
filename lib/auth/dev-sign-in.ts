import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWTPayload } from 'jose';
import type { Clock } from '#lib/clock';
import { ALL_ROLES, Role } from './roles';

/**
 * The dev issuer's sign-in, for the console on `npm start` (local only: the
 * issuer listens on 127.0.0.1 and sends people back to 127.0.0.1 alone). It
 * plays the council's identity provider in the authorization code flow with
 * PKCE: `/authorize` shows a page to pick a role (no password: it is a local
 * stand-in), `/token` exchanges a code once, within a minute, for the verifier
 * whose S256 challenge it was issued against, and answers with an ID token
 * for the client, carrying the nonce; `/logout` sends the browser back.
 */

const CODE_LIFETIME_MS = 60_000;

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string;
  subject: string;
  name: string;
  role: Role;
  expiresAtMs: number;
}

/** Only the local console may be sent codes: http on the loopback address. */
function localRedirect(value: string | null): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && url.hostname === '127.0.0.1' ? url : undefined;
  } catch {
    return undefined;
  }
}

const escape = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const ROLE_HINTS: Record<Role, string> = {
  'residential-manager': 'Runs homes: the estate board, homes, void beds, placement decisions',
  'placements-officer': 'Referrals, proposals, offers, admissions, ends and moves',
  finance: 'Invoicing runs, invoices, the ledger',
  'team-manager': 'Section 17 decisions up to £250; reports',
  'service-manager': 'Section 17 decisions up to £1,000; reports; placement decisions',
  'head-of-service': 'Section 17 decisions above £1,000 and experts; reports; placement decisions',
  'social-worker': 'Section 17 applications',
};

function signInPage(params: URLSearchParams, nonce: string): string {
  const hidden = ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'response_type', 'scope']
    .map((name) => `<input type="hidden" name="${name}" value="${escape(params.get(name) ?? '')}">`)
    .join('');
  const roles = ALL_ROLES.map(
    (role, i) =>
      `<div class="choice"><input type="radio" id="role-${i}" name="role" value="${role}" aria-describedby="role-${i}-hint"${i === 0 ? ' checked' : ''}><label for="role-${i}">${role}</label><p class="hint" id="role-${i}-hint">${escape(ROLE_HINTS[role])}</p></div>`,
  ).join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in (local dev issuer) – Cared For</title>
<style nonce="${nonce}">body{font-family:arial,sans-serif;margin:0;color:#0b0c0c;background:#fff}header{background:#0b0c0c;color:#fff;padding:12px 30px;font-weight:bold}main{max-width:640px;margin:0 auto;padding:30px}h1{font-size:2rem}fieldset{border:0;padding:0;margin:0 0 20px}legend{font-size:1.2rem;font-weight:bold;margin-bottom:10px}.choice{margin-bottom:12px}.choice input{width:24px;height:24px;vertical-align:middle;margin-right:8px}.choice label{font-size:1.1rem}.hint{color:#484949;margin:2px 0 0 36px}label.block{display:block;font-weight:bold;margin-bottom:6px}input[type=text]{font-size:1.1rem;padding:6px;width:100%;max-width:24em;border:2px solid #0b0c0c;box-sizing:border-box}.field{margin-bottom:24px}button{font-size:1.2rem;padding:8px 16px;background:#00703c;color:#fff;border:0;box-shadow:0 2px 0 #002d18;cursor:pointer}:focus{outline:3px solid #ffdd00;outline-offset:0}.warning{border-left:5px solid #b1b4b6;padding-left:15px}</style>
</head><body><header>Local dev issuer</header><main>
<h1>Sign in to Cared For</h1>
<p class="warning">This stands in for the council's sign-in service on this machine only. Pick the role to sign in with.</p>
<form method="post" action="/authorize">${hidden}
<fieldset><legend>Role</legend>${roles}</fieldset>
<div class="field"><label class="block" for="name">Your name (optional)</label><input type="text" id="name" name="name" autocomplete="off" spellcheck="false"></div>
<button type="submit">Sign in</button>
</form></main></body></html>`;
}

export interface DevSignIn {
  /** Answers /authorize, /token and /logout; false for any other path. */
  handle(request: IncomingMessage, response: ServerResponse, body: string): boolean;
}

/**
 * @param sign signs claims as the issuer (with its issuer, and `audience` as given)
 */
export function devSignIn(sign: (claims: JWTPayload, audience: string) => Promise<string>, apiAudience: string, clock: Clock): DevSignIn {
  const codes = new Map<string, IssuedCode>();

  const sendJson = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  const sendText = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(text);
  };

  const authorizeGet = (url: URL, response: ServerResponse) => {
    const params = url.searchParams;
    const redirect = localRedirect(params.get('redirect_uri'));
    if (!redirect || params.get('response_type') !== 'code' || params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge') || !params.get('client_id')) {
      return sendText(response, 400, 'invalid authorization request: response_type=code, a 127.0.0.1 redirect_uri, client_id and an S256 code_challenge are required');
    }
    const nonce = randomBytes(16).toString('base64');
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The form's answer redirects to the console: form-action must allow its origin.
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self' ${redirect.origin}; frame-ancestors 'none'; base-uri 'none'`,
    });
    response.end(signInPage(params, nonce));
  };

  const authorizePost = (body: string, response: ServerResponse) => {
    const form = new URLSearchParams(body);
    const redirect = localRedirect(form.get('redirect_uri'));
    const role = Role.safeParse(form.get('role'));
    if (!redirect || !role.success || !form.get('code_challenge') || !form.get('client_id')) return sendText(response, 400, 'invalid sign-in');
    const name = (form.get('name') ?? '').trim().replace(/[^\p{L}\p{N} .'-]/gu, '').slice(0, 60);
    const subject = name ? `dev-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : `dev-${role.data}`;
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      clientId: form.get('client_id')!,
      redirectUri: redirect.toString(),
      codeChallenge: form.get('code_challenge')!,
      nonce: form.get('nonce') ?? '',
      subject,
      name: name || `${role.data} (dev)`,
      role: role.data,
      expiresAtMs: clock.nowMs() + CODE_LIFETIME_MS,
    });
    redirect.searchParams.set('code', code);
    const state = form.get('state');
    if (state) redirect.searchParams.set('state', state);
    response.writeHead(303, { location: redirect.toString(), 'cache-control': 'no-store' });
    response.end();
  };

  const token = async (body: string, response: ServerResponse) => {
    const form = new URLSearchParams(body);
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const sameChallenge = issued !== undefined && challenge.length === issued.codeChallenge.length && timingSafeEqual(Buffer.from(challenge), Buffer.from(issued.codeChallenge));
    if (
      form.get('grant_type') !== 'authorization_code' ||
      !issued ||
      issued.expiresAtMs < clock.nowMs() ||
      issued.clientId !== form.get('client_id') ||
      issued.redirectUri !== form.get('redirect_uri') ||
      !sameChallenge
    ) {
      return sendJson(response, 400, { error: 'invalid_grant' });
    }
    const person = { sub: issued.subject, oid: issued.subject, preferred_username: `${issued.subject}@council.example`, name: issued.name, roles: [issued.role] };
    const [idToken, accessToken] = await Promise.all([sign({ ...person, nonce: issued.nonce }, issued.clientId), sign(person, apiAudience)]);
    sendJson(response, 200, { token_type: 'Bearer', expires_in: 3600, id_token: idToken, access_token: accessToken });
  };

  const logout = (url: URL, response: ServerResponse) => {
    const back = localRedirect(url.searchParams.get('post_logout_redirect_uri'));
    if (!back) return sendText(response, 200, 'Signed out of the local dev issuer.');
    response.writeHead(303, { location: back.toString() });
    response.end();
  };

  return {
    handle(request, response, body) {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/authorize' && request.method === 'GET') authorizeGet(url, response);
      else if (url.pathname === '/authorize' && request.method === 'POST') authorizePost(body, response);
      else if (url.pathname === '/token' && request.method === 'POST') void token(body, response).catch(() => sendJson(response, 500, { error: 'server_error' }));
      else if (url.pathname === '/logout' && request.method === 'GET') logout(url, response);
      else return false;
      return true;
    },
  };
}
