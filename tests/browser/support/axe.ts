/**
 * axe-core on a page as it stands, against WCAG 2.0, 2.1 and 2.2 A and AA and axe's best practices:
 * every violation fails the test, named with its rule, impact and the elements it found. Each check is
 * recorded, so the run can say how many page states were checked (tests/browser/README in docs/console.md).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/**
 * Rules beyond WCAG that catch what a screen reader user meets (an empty table header, headings out of
 * order, a second main landmark), all but `region`: GOV.UK Frontend puts the back link before `<main>`
 * on purpose, so that "Skip to main content" skips it with the rest of the navigation.
 */
const BEST_PRACTICE_TAG = 'best-practice';
const RULES_NOT_RUN = ['region'];

export const checked: Array<{ state: string; url: string; violations: number; passes: number }> = [];

export async function expectAccessible(page: Page, state: string): Promise<void> {
  // Legacy mode runs axe.run in the page itself. The default (for pages with cross-origin frames, which the
  // console has none of) opens a new blank page per check to finish the run in: about half a second of
  // Chromium's CPU a check, and the browser tests make 42.
  const results = await new AxeBuilder({ page }).withTags([...WCAG_TAGS, BEST_PRACTICE_TAG]).disableRules(RULES_NOT_RUN).setLegacyMode(true).analyze();
  checked.push({ state, url: new URL(page.url()).pathname, violations: results.violations.length, passes: results.passes.length });
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  expect(found, `axe on ${state} (${page.url()})`).toEqual([]);
}
