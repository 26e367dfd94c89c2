/**
 * Page objects: what a person does on the console, in their words. Specs read as journeys built
 * from these; selectors (labels, roles, link text) live here only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { expect } from 'vitest';
import type { Role } from '#lib/auth/roles';
import { expectAccessible } from '../support/axe';

/** The dev issuer's sign-in page (lib/auth/dev-sign-in.ts), standing in for the council's. */
export class DevSignInPage {
  constructor(private readonly page: Page) {}

  async signInAs(role: Role): Promise<void> {
    await this.page.getByRole('heading', { name: 'Sign in to Cared For' }).waitFor();
    await this.page.getByLabel(role, { exact: true }).check();
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.waitForURL((url) => url.pathname.includes('/console'));
  }
}

/** One person at the console, in their own browser window. */
export class ConsolePerson {
  constructor(
    readonly page: Page,
    readonly consoleUrl: string,
  ) {}

  static async open(context: BrowserContext, consoleUrl: string): Promise<ConsolePerson> {
    return new ConsolePerson(await context.newPage(), consoleUrl);
  }

  url(path: string): string {
    return `${this.consoleUrl}${path}`;
  }

  /** Opens a console page; a stranger is sent to sign in first, and comes back to it. */
  async visit(path: string): Promise<number | undefined> {
    const response = await this.page.goto(this.url(path));
    return response?.status();
  }

  async signIn(role: Role, path = '/'): Promise<void> {
    await this.page.goto(this.url(path));
    await new DevSignInPage(this.page).signInAs(role);
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await this.page.getByRole('heading', { name: 'You have signed out' }).waitFor();
  }

  heading(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).innerText();
  }

  menu(): Promise<string[]> {
    return this.page.getByRole('navigation', { name: 'Menu' }).getByRole('link').allInnerTexts();
  }

  /** The page's charts, each as whether it sits in a figure with the table of its figures. */
  async charts(): Promise<Array<{ title: string; withTable: boolean }>> {
    return (await this.page.evaluate(`[...document.querySelectorAll('svg.app-chart')].map((svg) => {
      const figure = svg.closest('figure');
      return { title: (svg.querySelector('title') || {}).textContent || '', withTable: !!figure && figure.querySelectorAll('table').length === 1 };
    })`)) as Array<{ title: string; withTable: boolean }>;
  }

  async checkAccessible(state: string): Promise<void> {
    await expectAccessible(this.page, state);
  }

  /** The error summary's messages, each a link to its field. */
  async errorSummary(): Promise<Array<{ text: string; href: string | null }>> {
    const links = this.page.locator('.govuk-error-summary__list a');
    const out: Array<{ text: string; href: string | null }> = [];
    for (let i = 0; i < (await links.count()); i++) out.push({ text: (await links.nth(i).innerText()).trim(), href: await links.nth(i).getAttribute('href') });
    return out;
  }

  /** Reloads until `ready` holds (work done by queues and other functions takes a moment). */
  async reloadUntil(ready: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
    const deadline = performance.now() + ms;
    while (!(await ready())) {
      if (performance.now() > deadline) throw new Error(`${what}: not shown within ${ms} ms`);
      await this.page.waitForTimeout(500);
      await this.page.reload();
    }
  }

  /** After a failure: the page as it stood, under node_modules/.cache/cared-for/browser-failures, and its URL in the output. */
  async keepForDiagnosis(name: string): Promise<void> {
    const dir = join(PROJECT_ROOT, 'node_modules', '.cache', 'cared-for', 'browser-failures');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80));
    await this.page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => undefined);
    writeFileSync(`${file}.html`, await this.page.content().catch(() => ''));
    console.error(`browser failure: ${this.page.url()} kept in ${file}.png/.html`);
  }

  async expectHeading(text: string | RegExp): Promise<void> {
    const heading = await this.heading();
    if (typeof text === 'string') expect(heading).toBe(text);
    else expect(heading).toMatch(text);
  }
}
