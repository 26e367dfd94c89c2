/**
 * Who may open what, and the session's end, in the browser: each role sees its own menu, and a
 * page of another role answers with the 403 page; sign-out ends the session, so neither the page
 * nor the old cookie opens anything again; a session left idle for 30 minutes ends (the stack's
 * clock moved on), activity keeps it going; every page carries the strict CSP and the browser
 * reports no violation of it; nothing is fetched from anywhere but the stack itself; the dev
 * issuer's sign-in page, the signed-out pages and the pages walked pass axe too.
 */
import type { Role } from '#lib/auth/roles';
import { describe, expect, it } from 'vitest';
import { ConsolePerson } from './pages/console';
import { expectAccessible } from './support/axe';
import { newPerson } from './support/chromium';
import { consoleInChromium } from './support/console-stack';

const app = consoleInChromium('access');

/** Each role's menu, in the order shown, and a page of another role it must not open. */
const MENUS: Record<Role, { menu: string[]; notTheirs: string }> = {
  'residential-manager': { menu: ['Estate board', 'Void beds', 'Referrals', 'KPIs'], notTheirs: '/finance/runs' },
  'placements-officer': { menu: ['Estate board', 'Void beds', 'Referrals'], notTheirs: '/kpis' },
  finance: { menu: ['Section 17 reports', 'Invoicing', 'Invoices', 'Ledger', 'KPIs'], notTheirs: '/referrals' },
  'team-manager': { menu: ['Waiting for me', 'Section 17 reports', 'KPIs'], notTheirs: '/estate' },
  'service-manager': { menu: ['Estate board', 'Void beds', 'Referrals', 'Waiting for me', 'Section 17 reports', 'KPIs'], notTheirs: '/overrides' },
  'head-of-service': { menu: ['Estate board', 'Void beds', 'Referrals', 'Waiting for me', 'Section 17 reports', 'Overrides', 'KPIs'], notTheirs: '/section17/apply' },
  'social-worker': { menu: ['Apply for support', 'My applications'], notTheirs: '/section17/waiting' },
};

describe('roles, sign-out and the page policy', () => {
  it('shows each role its own menu, and answers a page of another role with the 403 page', { timeout: 60_000 }, async () => {
    for (const [role, expected] of Object.entries(MENUS) as Array<[Role, (typeof MENUS)[Role]]>) {
      // Prepare
      const context = await newPerson(app.browser);
      const person = await ConsolePerson.open(context, app.env.consoleUrl);
      await person.signIn(role);

      // Act
      const menu = await person.menu();
      const status = await person.visit(expected.notTheirs);

      // Assess
      expect({ role, menu }).toEqual({ role, menu: expected.menu });
      expect({ role, status }).toEqual({ role, status: 403 });
      await person.expectHeading('You do not have access to this page');
      await context.close();
    }
  });

  it('answers a page of another role with the 403 page, in words, and hides it from the menu', async () => {
    // Prepare
    const socialWorker = await ConsolePerson.open(await newPerson(app.browser), app.env.consoleUrl);
    await socialWorker.page.goto(app.env.consoleUrl);
    await expectAccessible(socialWorker.page, 'dev issuer sign-in page');
    await socialWorker.signIn('social-worker');

    // Act
    const status = await socialWorker.visit('/finance/runs');

    // Assess
    expect(status).toBe(403);
    await socialWorker.expectHeading('You do not have access to this page');
    expect(await socialWorker.menu()).not.toContain('Invoicing');
    await socialWorker.checkAccessible('403 page');
    const finance = await ConsolePerson.open(await newPerson(app.browser), app.env.consoleUrl);
    await finance.signIn('finance');
    expect(await finance.visit('/section17/apply')).toBe(403);
    expect(await finance.visit('/estate')).toBe(403);
  });

  it('ends the session at sign-out: the pages, and the old cookie in another window, lead to sign-in again', async () => {
    // Prepare
    const context = await newPerson(app.browser);
    const manager = await ConsolePerson.open(context, app.env.consoleUrl);
    await manager.signIn('team-manager', '/section17/waiting');
    const [cookie] = await context.cookies();

    // Act
    await manager.signOut();
    await manager.checkAccessible('signed out');
    await manager.page.goto(manager.url('/section17/waiting'));
    const afterSignOut = new URL(manager.page.url());
    const thief = await app.browser.newContext();
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

  it('serves every page under a CSP without unsafe-inline, with no violation reported, fetches nothing from elsewhere, and puts a table beside every chart', async () => {
    // Prepare
    const context = await newPerson(app.browser);
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
    const head = new ConsolePerson(page, app.env.consoleUrl);
    const charts: Array<{ title: string; withTable: boolean }> = [];

    // Act
    await head.signIn('head-of-service');
    for (const path of ['/', '/estate', '/void-beds', '/referrals', '/section17/waiting', '/section17/reports', '/overrides', '/kpis', '/accessibility']) {
      expect({ path, status: await head.visit(path) }).toEqual({ path, status: 200 });
      await head.checkAccessible(`head of service: ${path}`);
      charts.push(...(await head.charts()));
    }

    // Assess
    expect(violations).toEqual([]);
    expect([...hosts]).toEqual(['127.0.0.1']);
    expect(policies.length).toBeGreaterThanOrEqual(9);
    for (const csp of policies) {
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    }
    expect(await page.evaluate('document.body.className')).toContain('govuk-frontend-supported');
    expect(charts.length).toBeGreaterThanOrEqual(5);
    expect(charts.filter((c) => !c.withTable)).toEqual([]);
  });

  // Last: it moves the stack's clock on.
  it('ends a session left idle for 30 minutes, while activity keeps it going', { timeout: 60_000 }, async () => {
    // Prepare
    const finance = await ConsolePerson.open(await newPerson(app.browser), app.env.consoleUrl);
    await finance.signIn('finance', '/finance/runs');

    // Act
    await app.env.stack.moveClock('+20m');
    const after20Minutes = await finance.visit('/finance/runs');
    await app.env.stack.moveClock('+20m');
    const after20More = await finance.visit('/finance/runs');
    await app.env.stack.moveClock('+31m');
    await finance.visit('/finance/runs');

    // Assess
    expect([after20Minutes, after20More]).toEqual([200, 200]);
    expect(new URL(finance.page.url()).pathname).toBe(new URL(finance.url('/signed-out')).pathname);
    await finance.expectHeading('You have been signed out');
    expect(await finance.page.locator('main').innerText()).toContain('after 30 minutes without activity');
    await finance.checkAccessible('signed out after 30 idle minutes');
    await finance.visit('/finance/runs');
    expect(new URL(finance.page.url()).pathname).toBe('/authorize');
  });
});
