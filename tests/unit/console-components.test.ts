/**
 * The console's GOV.UK components against govuk-frontend's own examples: each fixture of the
 * package (options and the HTML its Nunjucks macro renders) that uses only options our typed
 * function takes is rendered by ours and compared, whitespace and attribute order aside. So
 * govuk-frontend's CSS and JavaScript find the markup they expect, and an upgrade of the package
 * that changes the markup fails here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as content from '#lib/console/components/content';
import * as form from '#lib/console/components/form';
import { trustedHtml, type Html } from '#lib/console/html';

interface Fixture {
  name: string;
  options: Record<string, any>;
  html: string;
}

const require = createRequire(import.meta.url);

function fixtures(component: string): Fixture[] {
  const path = require.resolve(`govuk-frontend/dist/govuk/components/${component}/fixtures.json`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { fixtures: Fixture[] }).fixtures;
}

/** Tags with their attributes sorted, whitespace between and around tags removed, runs of spaces as one. */
export function normalise(markup: string): string {
  return markup
    .replace(/<([a-z][a-z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*"[^"]*")?)*)\s*\/?>/gi, (_, tag: string, attrs: string) => {
      const list = [...attrs.matchAll(/([^\s=>/]+)(?:\s*=\s*"([^"]*)")?/g)].map((m) => (m[2] === undefined ? m[1]! : `${m[1]}="${m[2].replace(/\s+/g, ' ').trim()}"`));
      return `<${tag.toLowerCase()}${list.sort().map((a) => ` ${a}`).join('')}>`;
    })
    .replace(/\s+/g, ' ')
    .replace(/\s*(<[^>]+>)\s*/g, '$1')
    .trim();
}

/** Options as our functions take them: `html` strings become trusted markup (fixtures are the package's own). */
function ours(options: unknown): any {
  if (Array.isArray(options)) return options.map(ours);
  if (options && typeof options === 'object') {
    return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, k === 'html' && typeof v === 'string' ? trustedHtml(v) : ours(v)]));
  }
  return options;
}

const CASES: Array<{ component: string; render: (options: any) => Html; names: string[] }> = [
  { component: 'button', render: form.govukButton, names: ['default', 'link', 'name', 'type', 'value', 'prevent double click', "don't prevent double click", 'id', 'classes', 'attributes', 'link classes'] },
  { component: 'input', render: form.govukInput, names: ['default', 'with hint text', 'with error message', 'with error and hint', 'with width-10 class', 'with label as page heading', 'classes', 'with prefix', 'with suffix', 'with prefix and suffix', 'value', 'custom type', 'inputmode', 'id', 'attributes'] },
  { component: 'textarea', render: form.govukTextarea, names: ['default', 'with hint', 'with error message', 'with default value', 'with custom rows', 'with hint and error message', 'id', 'classes'] },
  { component: 'select', render: form.govukSelect, names: ['default', 'with hint text and error message', 'with selected value', 'hint', 'error', 'id'] },
  { component: 'radios', render: form.govukRadios, names: ['default', 'with hint', 'with hints on items', 'with legend as page heading', 'with fieldset and error message', 'with idPrefix', 'with conditional items'] },
  { component: 'checkboxes', render: form.govukCheckboxes, names: ['default', 'with hint', 'with error message', 'with pre-checked values', 'with legend as a page heading', 'with idPrefix'] },
  { component: 'error-summary', render: form.govukErrorSummary, names: ['default', 'without links', 'mixed with and without links', 'description'] },
  { component: 'error-message', render: form.govukErrorMessage, names: ['default', 'id', 'classes', 'with visually hidden text'] },
  { component: 'hint', render: form.govukHint, names: ['default', 'id', 'classes'] },
  { component: 'tag', render: content.govukTag, names: ['default', 'grey', 'green', 'red'] },
  { component: 'table', render: content.govukTable, names: ['default', 'with head', 'with head and caption', 'html', 'classes', 'with firstCellIsHeader true'] },
  { component: 'summary-list', render: content.govukSummaryList, names: ['default', 'with actions', 'with some actions', 'value with html'] },
  { component: 'panel', render: content.govukPanel, names: ['default', 'custom heading level', 'body html'] },
  { component: 'inset-text', render: content.govukInsetText, names: ['default', 'with html'] },
  { component: 'warning-text', render: content.govukWarningText, names: ['default'] },
  { component: 'back-link', render: content.govukBackLink, names: ['default', 'with custom text and link', 'html'] },
  { component: 'details', render: content.govukDetails, names: ['default', 'expanded', 'with html'] },
  { component: 'notification-banner', render: content.govukNotificationBanner, names: ['default', 'with type as success', 'custom title', 'custom text', 'with text as html'] },
];

describe.each(CASES)('govuk-frontend’s $component', ({ component, render, names }) => {
  const all = fixtures(component);
  it.each(names)('%s: our markup is the macro’s', (name) => {
    // Prepare
    const fixture = all.find((f) => f.name === name);
    expect(fixture, `govuk-frontend has no ${component} fixture named "${name}" (${all.map((f) => f.name).join(', ')})`).toBeDefined();

    // Act
    const markup = render(ours(fixture!.options)).value;

    // Assess
    expect(normalise(markup)).toBe(normalise(fixture!.html));
  });
});
