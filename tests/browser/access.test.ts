/**
 * Who may open what, and the session's end, in the browser: a page of another role answers with
 * the 403 page; sign-out ends the session, so neither the page nor the old cookie opens anything
 * again; every page carries the strict CSP and the browser reports no violation of it; nothing is
 * fetched from anywhere but the stack itself; the dev issuer's sign-in page and the signed-out
 * page pass axe too.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsolePerson } from './pages/console';
import { expectAccessible } from './support/axe';
import { launchChromium, newPerson } from './support/chromium';
import { startConsoleStack, type ConsoleStack } from './support/console-stack';

let env: ConsoleStack;
let browser: Browser;

beforeAll(async () => {
  [env, browser] = await Promise.all([startConsoleStack('access'), launchChromium()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await env?.stack.stop();
});

describe('roles, sign-out and the page policy', () => {
  it('answers a page of another role with the 403 page, in words, and hides it from the menu', async () => {
    // Prepare
    const socialWorker = await ConsolePerson.open(await newPerson(browser), env.consoleUrl);
    await socialWorker.page.goto(env.consoleUrl);
    await expectAccessible(socialWorker.page, 'dev issuer sign-in page');
    await socialWorker.signIn('social-worker');

    // Act
    const status = await socialWorker.visit('/finance/runs');

    // Assess
    expect(status).toBe(403);
    await socialWorker.expectHeading('You do not have access to this page');
    expect(await socialWorker.menu()).not.toContain('Invoicing');
    await socialWorker.checkAccessible('403 page');
    const finance = await ConsolePerson.open(await newPerson(browser), env.consoleUrl);
    await finance.signIn('finance');
    expect(await finance.visit('/section17/apply')).toBe(403);
    expect(await finance.visit('/estate')).toBe(403);
  });

  it('ends the session at sign-out: the pages, and the old cookie in another window, lead to sign-in again', async () => {
    // Prepare
    const context = await newPerson(browser);
    const manager = await ConsolePerson.open(context, env.consoleUrl);
    await manager.signIn('team-manager', '/section17/waiting');
    const [cookie] = await context.cookies();

    // Act
    await manager.signOut();
    await manager.checkAccessible('signed out');
    await manager.page.goto(manager.url('/section17/waiting'));
    const afterSignOut = new URL(manager.page.url());
    const thief = await browser.newContext();
    await thief.addCookies([cookie!]);
    const stolen = await thief.newPage();
    await stolen.goto(manager.url('/section17/waiting'));

    // Assess
    expect(cookie!.name).toBe('__Host-cared-for-session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    expect(afterSignOut.pathname).toBe('/authorize');
    expect(new URL(stolen.url()).pathname).toBe('/authorize');
    await thief.close();
  });

  it('serves every page under a CSP without unsafe-inline, with no violation reported, and fetches nothing from elsewhere', async () => {
    // Prepare
    const context = await newPerson(browser);
    const page = await context.newPage();
    const violations: string[] = [];
    const hosts = new Set<string>();
    const policies: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
    });
    page.on('request', (request) => hosts.add(new URL(request.url()).hostname));
    page.on('response', (response) => {
      const csp = response.headers()['content-security-policy'];
      if (csp && response.url().includes('/console') && response.headers()['content-type']?.startsWith('text/html')) policies.push(csp);
    });
    const head = new ConsolePerson(page, env.consoleUrl);

    // Act
    await head.signIn('head-of-service');
    for (const path of ['/', '/estate', '/referrals', '/section17/waiting', '/section17/reports', '/kpis', '/accessibility']) await head.visit(path);

    // Assess
    expect(violations).toEqual([]);
    expect([...hosts]).toEqual(['127.0.0.1']);
    expect(policies.length).toBeGreaterThanOrEqual(7);
    for (const csp of policies) {
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    }
    expect(await page.evaluate('document.body.className')).toContain('govuk-frontend-supported');
  });
});
