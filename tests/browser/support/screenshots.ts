/**
 * The screenshots the docs show (docs/console/*.png), taken by the journeys. They are written into
 * docs/console only by `npm run screenshots` (CONSOLE_SCREENSHOTS=docs), so that an ordinary test
 * run leaves the working tree as it was; otherwise under node_modules/.cache, to look at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '#infra/local/assembly';

const dir = process.env.CONSOLE_SCREENSHOTS === 'docs' ? join(PROJECT_ROOT, 'docs', 'console') : join(PROJECT_ROOT, 'node_modules', '.cache', 'cared-for', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
