import { govukButton, govukRadios, type ErrorSummaryItem, type FieldError } from './components/form';
import { html, type Html } from './html';
import { field, type FormData } from './http';
import type { ApiProblem } from './in-process-api';

/**
 * Reading forms as people fill them in (pounds and pence, a date in three
 * boxes) into what the API takes (integer pence, ISO dates), and turning
 * refusals into GOV.UK error messages: one per field, each linked from the
 * error summary. Only the shape of input is checked here; every rule is the
 * API's, and its refusals are shown in its own words.
 */

/** Errors by field id (the id the summary links to). */
export class FormErrors {
  private readonly byId = new Map<string, string>();

  add(id: string, text: string): void {
    if (!this.byId.has(id)) this.byId.set(id, text);
  }

  /** The error to show beside a field. */
  of(id: string): FieldError | undefined {
    const text = this.byId.get(id);
    return text === undefined ? undefined : { text };
  }

  get any(): boolean {
    return this.byId.size > 0;
  }

  summary(): ErrorSummaryItem[] {
    return [...this.byId].map(([id, text]) => ({ text, href: `#${id}` }));
  }
}

/**
 * A form that posts to `action` (a console path): the CSRF field every form carries, its
 * questions, and the submit button, which cannot be pressed twice.
 */
export function postForm(ctx: { href(path: string): string; csrf(): Html }, action: string, submit: { text: string; classes?: string }, questions: Html): Html {
  return html`<form method="post" action="${ctx.href(action)}" novalidate>
${ctx.csrf()}
${questions}
${govukButton({ ...submit, preventDoubleClick: true })}
</form>`;
}

/** A question answered by choosing one of a few options (GOV.UK radios); `choices` maps each value to its words, in order. */
export interface RadioQuestion {
  name: string;
  legend: string;
  /** The legend's size: `m` where the question is the page's main one, `s` among several. */
  size: 's' | 'm';
  hint?: string;
  choices: Record<string, string>;
}

/** The radios for `question`, with the answer so far chosen and its error (by the question's name) beside it. */
export function radioQuestion(question: RadioQuestion, value: string | undefined, errors: FormErrors): Html {
  return govukRadios({
    name: question.name,
    fieldset: { legend: { text: question.legend, classes: `govuk-fieldset__legend--${question.size}` } },
    ...(question.hint === undefined ? {} : { hint: { text: question.hint } }),
    items: Object.entries(question.choices).map(([choice, text]) => ({ value: choice, text })),
    value,
    errorMessage: errors.of(question.name),
  });
}

/** `£1,234.50`, `1234.5`, `12` → pence; undefined when it is not an amount of money. */
export function parsePounds(text: string | undefined): number | undefined {
  const cleaned = text?.replace(/[£,\s]/g, '');
  if (!cleaned || !/^\d{1,9}(\.\d{1,2})?$/.test(cleaned)) return undefined;
  const [pounds, pence = ''] = cleaned.split('.');
  return Number(pounds) * 100 + Number(pence.padEnd(2, '0'));
}

export interface DateField {
  day?: string | undefined;
  month?: string | undefined;
  year?: string | undefined;
}

export const dateFieldOf = (form: FormData, prefix: string): DateField => ({
  day: field(form, `${prefix}-day`),
  month: field(form, `${prefix}-month`),
  year: field(form, `${prefix}-year`),
});

/** The three boxes of an ISO date, to fill a date input again. */
export function dateFieldFrom(iso: string | undefined): DateField {
  if (!iso) return {};
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * A real calendar date from three boxes, or the GOV.UK message for what is wrong
 * (`label` in lower case, e.g. "start date").
 */
export function parseDate(value: DateField, label: string): { iso: string } | { error: string } {
  const missing = (['day', 'month', 'year'] as const).filter((part) => !value[part]);
  if (missing.length === 3) return { error: `Enter the ${label}` };
  if (missing.length > 0) return { error: `The ${label} must include a ${missing.join(' and ')}` };
  const [day, month, year] = [Number(value.day), Number(value.month), Number(value.year)];
  if (![day, month, year].every(Number.isInteger) || !/^\d{4}$/.test(value.year!)) return { error: `The ${label} must be a real date` };
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { error: `The ${label} must be a real date` };
  return { iso: `${value.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

/** Where an API field is on the form, and what people call it. */
export interface FieldPlace {
  id: string;
  label: string;
}

const RULE_WORDS: Record<string, (label: string) => string> = {
  required: (label) => `Enter ${label}`,
  too_big: (label) => `${capital(label)} is too long or too large`,
  too_small: (label) => `${capital(label)} is too short, too small or too early`,
  invalid_format: (label) => `${capital(label)} is not in the right format`,
  invalid_type: (label) => `Enter ${label}`,
  invalid_value: (label) => `Choose one of the options for ${label}`,
};

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The API's refusal as errors on the form. A field error the API explains in
 * words (a rule's own message) is shown as it is; zod's generic ones are put
 * in plain words. A refusal of the whole request (a clash, a rule of the
 * domain) goes on `wholeFormId`, the field the person most likely has to change.
 */
export function apiErrorsOnForm(problem: ApiProblem, places: Record<string, FieldPlace>, wholeFormId: string, errors = new FormErrors()): FormErrors {
  const fieldErrors = problem.fieldErrors;
  for (const e of fieldErrors) {
    const name = e.field.replace(/^(body|query|path)\./, '');
    const place = places[name] ?? places[name.replace(/\.\d+(\.|$)/, '$1')] ?? { id: wholeFormId, label: 'this' };
    const generic = RULE_WORDS[e.rule];
    const worded = generic === undefined || /^[a-z][a-z ,']+/.test(e.message) && !/expected|Invalid|Too (big|small)/.test(e.message);
    errors.add(place.id, worded && generic === undefined ? capital(e.message) : worded ? capital(e.message) : generic!(place.label));
  }
  if (fieldErrors.length === 0) errors.add(wholeFormId, capital(problem.message));
  return errors;
}
