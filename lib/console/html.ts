/**
 * HTML built from tagged templates that escape every interpolated value unless it is
 * already `Html` (made by `html` itself or, for markup we wrote, `trustedHtml`). Arrays
 * are joined; `undefined`, `null` and `false` render nothing, so `cond && html`…`` works.
 *
 *   html`<p class="govuk-body">${person.name}</p>`   // the name is escaped
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Renderable = Html | string | number | boolean | null | undefined | readonly Renderable[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

function render(value: Renderable): string {
  if (value === undefined || value === null || value === false || value === true) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Markup we wrote ourselves (never anything a person typed or a record holds). */
export function trustedHtml(markup: string): Html {
  return new Html(markup);
}

/** Renders any renderable to `Html` (escaping text). */
export function toHtml(value: Renderable): Html {
  return value instanceof Html ? value : new Html(render(value));
}

/** ` name="value"` pairs, escaped; false, null and undefined attributes are left out, `true` is a bare attribute. */
export function attributes(attrs: Record<string, string | number | boolean | null | undefined>): Html {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return new Html(out);
}

/** Class names, skipping empty ones. */
export function classes(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}
