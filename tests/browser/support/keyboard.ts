/**
 * Keyboard only: Tab until the focused element is the one wanted, and what has the focus. The
 * page's DOM is read with expressions evaluated in the browser (this project compiles without DOM types).
 */
import type { Page } from 'playwright-core';

export interface Focused {
  tag: string;
  text: string;
  label: string;
  value: string;
}

const FOCUSED = `(() => {
  const el = document.activeElement;
  return { tag: el.tagName.toLowerCase(), text: (el.innerText || '').trim(), label: el.labels && el.labels[0] ? el.labels[0].innerText.trim() : '', value: el.value || '' };
})()`;

export const focused = (page: Page): Promise<Focused> => page.evaluate(FOCUSED) as Promise<Focused>;

/** Presses Tab until `wanted` holds for the focused element, at most `max` times. */
export async function tabTo(page: Page, wanted: (el: Focused) => boolean, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (wanted(await focused(page))) return;
  }
  throw new Error('the element was not reached by Tab');
}
