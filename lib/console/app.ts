import type { Caller } from '#lib/auth';
import type { Clock } from '#lib/clock';
import type { Assets } from './assets';
import { govukButton } from './components/form';
import { html } from './html';
import { hostCookie, htmlResponse, parseForm, readHostCookie, redirect, type ConsoleRequest, type ConsoleResponse } from './http';
import { ApiProblem, type InProcessApi } from './in-process-api';
import { renderPage, type Frame, type PageContent } from './layout';
import { callerApi, csrfField, PageTable, type ConsolePage, type PageContext } from './page';
import type { ConsoleReads } from './ports';
import { CSRF_FIELD, csrfTokenMatches, sameOrigin } from './security/csrf';
import { IMMUTABLE_CACHE, newNonce, securityHeaders } from './security/web-security';
import { OidcClient, SignInFailed } from './auth/oidc-client';
import {
  randomToken,
  sessionRecordExpiry,
  sessionState,
  SIGN_IN_TTL_MS,
  storageKey,
  TOUCH_INTERVAL_MS,
  type SessionStore,
  type SessionTimeouts,
  type StoredSession,
} from './session/session';

/**
 * The console: one request in, one response out. In order: static files;
 * the sign-in flow (start, the identity provider's callback, sign-out); the
 * session (idle and absolute timeouts); the page and its roles (403 page
 * otherwise); for a form, the Origin and CSRF checks; then the page itself,
 * whose API refusals become pages a person understands. Every answer carries
 * the security headers (web-security.ts) with a fresh CSP nonce.
 */

export interface ConsoleDeps {
  pages: readonly ConsolePage[];
  sessions: SessionStore;
  oidc: OidcClient;
  api: InProcessApi;
  reads: ConsoleReads;
  assets: Assets;
  clock: Clock;
  timeouts: SessionTimeouts;
  /** Told of failures that are ours, for the log (never a child's data). */
  onError?: (error: unknown, where: string) => void;
}

export const SESSION_COOKIE = 'cared-for-session';
export const SIGN_IN_COOKIE = 'cared-for-sign-in';

const SIGN_IN_PATH = '/sign-in';
const CALLBACK_PATH = '/auth/callback';
const SIGN_OUT_PATH = '/sign-out';
const SIGNED_OUT_PATH = '/signed-out';
const ASSETS_PREFIX = '/assets/';

/** A path inside the console to go back to after sign-in; anything else goes home. */
function safeReturnTo(value: string | undefined): string {
  return value && /^\/[A-Za-z0-9\-._~/?=&%]*$/.test(value) && !value.startsWith('//') ? value : '/';
}

export class ConsoleApp {
  private readonly table: PageTable;

  constructor(private readonly deps: ConsoleDeps) {
    this.table = new PageTable(deps.pages);
  }

  async handle(request: ConsoleRequest): Promise<ConsoleResponse> {
    if (request.path.startsWith(ASSETS_PREFIX)) return this.asset(request);
    const nonce = newNonce();
    const frame: Frame = { base: request.base, assets: this.deps.assets, nonce, path: request.path };
    let response: ConsoleResponse;
    try {
      response = await this.route(request, frame);
    } catch (error) {
      this.deps.onError?.(error, `${request.method} console page`);
      response = this.errorPage(frame, 500, 'Sorry, there is a problem with the service', 'Try again later. If it keeps happening, tell the service desk the time it happened.');
    }
    return { ...response, headers: { ...securityHeaders(nonce, this.deps.oidc.formTargets), ...response.headers } };
  }

  private asset(request: ConsoleRequest): ConsoleResponse {
    const found = request.method === 'GET' ? this.deps.assets.byName(request.path.slice(ASSETS_PREFIX.length)) : undefined;
    if (!found) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, cookies: [], body: 'Not found' };
    return {
      status: 200,
      headers: { 'content-type': found.contentType, 'cache-control': IMMUTABLE_CACHE, 'x-content-type-options': 'nosniff', 'cross-origin-resource-policy': 'same-origin' },
      cookies: [],
      body: found.body,
    };
  }

  private async route(request: ConsoleRequest, frame: Frame): Promise<ConsoleResponse> {
    const { method, path } = request;
    if (method === 'GET' && path === SIGN_IN_PATH) return this.startSignIn(request);
    if (method === 'GET' && path === CALLBACK_PATH) return this.finishSignIn(request, frame);
    if (method === 'GET' && path === SIGNED_OUT_PATH) return this.signedOut(request, frame);
    if (method === 'GET' && path === '/accessibility') return this.accessibility(frame, await this.currentSession(request));
    if (method !== 'GET' && method !== 'POST') return this.errorPage(frame, 405, 'This action is not available', 'Go back and try again.');

    const current = await this.currentSession(request);
    if (current.kind === 'expired') {
      await this.deps.sessions.deleteSession(current.key);
      return redirect(`${request.base}${SIGNED_OUT_PATH}?reason=timeout`, [hostCookie(SESSION_COOKIE, '', { maxAge: 0 })]);
    }
    if (current.kind === 'none') {
      return method === 'GET' ? redirect(`${request.base}${SIGN_IN_PATH}?returnTo=${encodeURIComponent(withQuery(request))}`) : redirect(`${request.base}${SIGN_IN_PATH}`);
    }
    const { session, key } = current;
    frame.caller = session.caller;
    frame.csrfToken = session.csrfToken;

    if (method === 'POST' && !(sameOrigin(request.headers.origin, request.origin) && csrfTokenMatches(session.csrfToken, parseForm(request.body)[CSRF_FIELD]?.[0]))) {
      return this.errorPage(frame, 403, 'This form has expired', 'For your security, forms work only once and only in the window they were opened in. Go back, reload the page and try again.');
    }
    await this.touch(key, session);
    if (method === 'POST' && path === SIGN_OUT_PATH) return this.signOut(request, key);

    const matched = this.table.match(path);
    if (!matched) return this.errorPage(frame, 404, 'Page not found', 'If you typed the web address, check it is correct. If you followed a link, go back to the home page.');
    const { page, params } = matched;
    if (!page.roles.some((role) => session.caller.roles.includes(role))) return this.forbidden(frame);
    const handler = method === 'GET' ? page.get : page.post;
    if (!handler) return this.errorPage(frame, 405, 'This action is not available', 'Go back and try again.');

    const ctx: PageContext = {
      request,
      params,
      caller: session.caller,
      api: callerApi(this.deps.api, session.caller),
      reads: this.deps.reads,
      clock: this.deps.clock,
      href: (p) => `${request.base}${p}`,
      csrf: () => csrfField(session.csrfToken),
    };
    try {
      const outcome = method === 'GET' ? await handler.call(page, ctx, {}) : await handler.call(page, ctx, parseForm(request.body));
      if (outcome.kind === 'response') return outcome.response;
      const { kind: _kind, status, ...content } = outcome;
      return htmlResponse(status ?? (content.errors?.length ? 400 : 200), renderPage(frame, content));
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      if (error.status === 403) return this.forbidden(frame);
      if (error.status === 404) return this.errorPage(frame, 404, 'Page not found', 'What you are looking for does not exist, or no longer does.');
      if (error.status >= 500) {
        return this.errorPage(frame, error.status, 'Sorry, there is a problem with the service', error.status === 503 ? 'Try again in a few seconds.' : 'Try again later.');
      }
      return this.errorPage(frame, error.status, 'This could not be done', error.message);
    }
  }

  private async currentSession(request: ConsoleRequest): Promise<{ kind: 'active'; session: StoredSession; key: string } | { kind: 'expired'; key: string } | { kind: 'none' }> {
    const id = readHostCookie(request, SESSION_COOKIE);
    if (!id) return { kind: 'none' };
    const key = storageKey(id);
    const state = sessionState(await this.deps.sessions.getSession(key), this.deps.clock.nowMs(), this.deps.timeouts);
    if (state.kind === 'active') return { kind: 'active', session: state.session, key };
    return state.kind === 'expired' ? { kind: 'expired', key } : { kind: 'none' };
  }

  private async touch(key: string, session: StoredSession): Promise<void> {
    const nowMs = this.deps.clock.nowMs();
    if (nowMs - session.lastSeenAtMs < TOUCH_INTERVAL_MS) return;
    const touched = { ...session, lastSeenAtMs: nowMs };
    await this.deps.sessions.touchSession(key, nowMs, sessionRecordExpiry(touched, this.deps.timeouts));
  }

  private redirectUri(request: ConsoleRequest): string {
    return `${request.origin}${request.base}${CALLBACK_PATH}`;
  }

  private async startSignIn(request: ConsoleRequest): Promise<ConsoleResponse> {
    const nowMs = this.deps.clock.nowMs();
    const id = randomToken();
    const pending = { state: randomToken(), nonce: randomToken(), codeVerifier: randomToken(), returnTo: safeReturnTo(request.query.returnTo), createdAtMs: nowMs };
    await this.deps.sessions.putSignIn(storageKey(id), pending, nowMs + SIGN_IN_TTL_MS);
    const url = this.deps.oidc.authorizationUrl({ redirectUri: this.redirectUri(request), ...pending });
    return redirect(url, [hostCookie(SIGN_IN_COOKIE, id, { maxAge: SIGN_IN_TTL_MS / 1000 })]);
  }

  private async finishSignIn(request: ConsoleRequest, frame: Frame): Promise<ConsoleResponse> {
    const clearSignIn = hostCookie(SIGN_IN_COOKIE, '', { maxAge: 0 });
    const failed = (detail: string) => ({ ...this.signInFailedPage(frame, detail), cookies: [clearSignIn] });
    const id = readHostCookie(request, SIGN_IN_COOKIE);
    const pending = id ? await this.deps.sessions.takeSignIn(storageKey(id)) : undefined;
    const nowMs = this.deps.clock.nowMs();
    if (!pending || nowMs - pending.createdAtMs > SIGN_IN_TTL_MS) return failed('The sign-in took too long or was started in another window.');
    if (request.query.error) return failed('The sign-in was cancelled or refused by the council’s sign-in service.');
    const { code, state } = request.query;
    if (!code || !state || !csrfTokenMatches(pending.state, state)) return failed('The answer from the sign-in service did not match this sign-in.');

    let caller: Caller;
    try {
      caller = await this.deps.oidc.finish({ code, redirectUri: this.redirectUri(request), codeVerifier: pending.codeVerifier, nonce: pending.nonce });
    } catch (error) {
      if (!(error instanceof SignInFailed)) throw error;
      this.deps.onError?.(error, 'sign-in');
      return failed('The council’s sign-in service did not confirm who you are.');
    }
    if (caller.roles.length === 0) {
      return { ...this.errorPage(frame, 403, 'You do not have access to Cared For', 'Your account has no Cared For role. Ask your manager to request one from the service desk.'), cookies: [clearSignIn] };
    }
    // A new session id at every sign-in: an id planted before sign-in is never the signed-in one.
    const previous = readHostCookie(request, SESSION_COOKIE);
    if (previous) await this.deps.sessions.deleteSession(storageKey(previous));
    const sessionId = randomToken();
    const session: StoredSession = { caller, csrfToken: randomToken(), createdAtMs: nowMs, lastSeenAtMs: nowMs };
    await this.deps.sessions.putSession(storageKey(sessionId), session, sessionRecordExpiry(session, this.deps.timeouts));
    return redirect(`${request.base}${pending.returnTo}`, [clearSignIn, hostCookie(SESSION_COOKIE, sessionId)]);
  }

  private async signOut(request: ConsoleRequest, key: string): Promise<ConsoleResponse> {
    await this.deps.sessions.deleteSession(key);
    const signedOut = `${request.origin}${request.base}${SIGNED_OUT_PATH}`;
    return redirect(this.deps.oidc.endSessionUrl(signedOut) ?? signedOut, [hostCookie(SESSION_COOKIE, '', { maxAge: 0 })]);
  }

  private signedOut(request: ConsoleRequest, frame: Frame): ConsoleResponse {
    const timedOut = request.query.reason === 'timeout';
    const minutes = Math.round(this.deps.timeouts.idleMs / 60_000);
    return this.frame(frame, 200, {
      title: timedOut ? 'You have been signed out' : 'You have signed out',
      body: html`<h1 class="govuk-heading-l">${timedOut ? 'You have been signed out' : 'You have signed out'}</h1>
<p class="govuk-body">${timedOut ? `For your security, you are signed out after ${minutes} minutes without activity, and at the end of the working day. Anything you had not saved has not been saved.` : 'Your session has ended. Close the browser if you are using a shared computer.'}</p>
${govukButton({ text: 'Sign in', href: `${request.base}${SIGN_IN_PATH}` })}`,
    });
  }

  private accessibility(frame: Frame, current: Awaited<ReturnType<ConsoleApp['currentSession']>>): ConsoleResponse {
    if (current.kind === 'active') {
      frame.caller = current.session.caller;
      frame.csrfToken = current.session.csrfToken;
    }
    return this.frame(frame, 200, {
      title: 'Accessibility statement',
      body: html`<h1 class="govuk-heading-l">Accessibility statement for Cared For</h1>
<p class="govuk-body">Cared For is meant for everyone who works with it. It aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA, as the Public Sector Bodies Accessibility Regulations 2018 ask of internal services too.</p>
<ul class="govuk-list govuk-list--bullet"><li>every page and form works with a keyboard alone</li><li>every chart has a table of its figures beside it</li><li>form errors are listed at the top of the page and each links to its field</li><li>pages work without JavaScript</li></ul>
<h2 class="govuk-heading-m">How it is tested</h2>
<p class="govuk-body">Each release is checked with axe-core in Chromium on every page, and the Section 17 approval is done by keyboard alone, in the browser tests.</p>
<h2 class="govuk-heading-m">Reporting a problem</h2>
<p class="govuk-body">Tell the service desk what page you were on and what did not work for you.</p>`,
    });
  }

  private forbidden(frame: Frame): ConsoleResponse {
    return this.errorPage(frame, 403, 'You do not have access to this page', 'This page is for other roles. Use the menu to find your own pages; if you need this one, ask your manager.');
  }

  private signInFailedPage(frame: Frame, detail: string): ConsoleResponse {
    return this.frame(frame, 400, {
      title: 'Sign-in did not work',
      body: html`<h1 class="govuk-heading-l">Sign-in did not work</h1><p class="govuk-body">${detail}</p>${govukButton({ text: 'Try signing in again', href: `${frame.base}${SIGN_IN_PATH}` })}`,
    });
  }

  private errorPage(frame: Frame, status: number, title: string, detail: string): ConsoleResponse {
    return this.frame(frame, status, {
      title,
      body: html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${detail}</p><p class="govuk-body"><a class="govuk-link" href="${frame.base}/">Go to the home page</a></p>`,
    });
  }

  private frame(frame: Frame, status: number, content: PageContent): ConsoleResponse {
    return htmlResponse(status, renderPage(frame, content));
  }
}

function withQuery(request: ConsoleRequest): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) if (value !== undefined) search.set(name, value);
  const text = search.toString();
  return text ? `${request.path}?${text}` : request.path;
}
