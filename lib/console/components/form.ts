import { attributes, classes, html, toHtml, type Html, type Renderable } from '#lib/console/html';

/**
 * GOV.UK Frontend form components as typed functions. Each takes the options
 * of the govuk-frontend Nunjucks macro of the same name (the subset we use,
 * with the same names) and returns the macro's markup, so govuk-frontend's CSS
 * and JavaScript apply unchanged (tests/unit/console-components.test.ts checks
 * them against govuk-frontend's own fixtures).
 */

type Attrs = Record<string, string | number | boolean | undefined>;

/** Text, or markup when `html` is given (as in the macros). */
export interface Content {
  text?: string;
  html?: Html;
  classes?: string;
}

const content = (c: { text?: string | undefined; html?: Html | undefined }): Renderable => c.html ?? c.text;

export function govukHint(params: Content & { id?: string }): Html {
  return html`<div${attributes({ id: params.id })} class="${classes('govuk-hint', params.classes)}">${content(params)}</div>`;
}

export function govukErrorMessage(params: Content & { id?: string; visuallyHiddenText?: string }): Html {
  const hidden = params.visuallyHiddenText ?? 'Error';
  return html`<p${attributes({ id: params.id })} class="${classes('govuk-error-message', params.classes)}">${
    hidden ? html`<span class="govuk-visually-hidden">${hidden}:</span> ` : ''
  }${content(params)}</p>`;
}

export interface LabelParams extends Content {
  isPageHeading?: boolean;
  for?: string;
}

export function govukLabel(params: LabelParams): Html {
  if (!params.html && !params.text) return html``;
  const label = html`<label class="${classes('govuk-label', params.classes)}"${attributes({ for: params.for })}>${content(params)}</label>`;
  return params.isPageHeading ? html`<h1 class="govuk-label-wrapper">${label}</h1>` : label;
}

export interface LegendParams extends Content {
  isPageHeading?: boolean;
}

export function govukFieldset(params: { legend?: LegendParams; describedBy?: string; classes?: string; role?: string; html: Html }): Html {
  const { legend } = params;
  return html`<fieldset class="${classes('govuk-fieldset', params.classes)}"${attributes({ role: params.role, 'aria-describedby': params.describedBy || undefined })}>${
    legend && (legend.html || legend.text)
      ? html`<legend class="${classes('govuk-fieldset__legend', legend.classes)}">${
          legend.isPageHeading ? html`<h1 class="govuk-fieldset__heading">${content(legend)}</h1>` : content(legend)
        }</legend>`
      : ''
  }${params.html}</fieldset>`;
}

/** An error shown beside a field and in the error summary. */
export interface FieldError {
  text: string;
}

interface FieldCommon {
  name: string;
  /** @default name */
  id?: string;
  label?: LabelParams;
  hint?: Content;
  errorMessage?: FieldError | undefined;
  classes?: string;
  formGroup?: { classes?: string };
  attributes?: Attrs;
}

/** Hint and error message, and the `aria-describedby` naming them. */
function describedParts(id: string, params: { hint?: Content | undefined; errorMessage?: FieldError | undefined }, describedBy = '') {
  let ids = describedBy;
  let hint: Renderable = '';
  let error: Renderable = '';
  if (params.hint) {
    const hintId = `${id}-hint`;
    ids = ids ? `${ids} ${hintId}` : hintId;
    hint = govukHint({ ...params.hint, id: hintId });
  }
  if (params.errorMessage) {
    const errorId = `${id}-error`;
    ids = ids ? `${ids} ${errorId}` : errorId;
    error = govukErrorMessage({ id: errorId, text: params.errorMessage.text });
  }
  return { describedBy: ids || undefined, hint, error };
}

function formGroup(params: { errorMessage?: FieldError | undefined; formGroup?: { classes?: string } | undefined }, inner: Html): Html {
  return html`<div class="${classes('govuk-form-group', params.errorMessage && 'govuk-form-group--error', params.formGroup?.classes)}">${inner}</div>`;
}

export interface InputParams extends FieldCommon {
  /** @default 'text' */
  type?: string;
  value?: string | undefined;
  autocomplete?: string;
  inputmode?: string;
  spellcheck?: boolean;
  prefix?: { text: string };
  suffix?: { text: string };
}

export function govukInput(params: InputParams): Html {
  const id = params.id ?? params.name;
  const { describedBy, hint, error } = describedParts(id, params);
  const input = html`<input${attributes({
    class: classes('govuk-input', params.classes, params.errorMessage && 'govuk-input--error'),
    id,
    name: params.name,
    type: params.type ?? 'text',
    spellcheck: params.spellcheck === undefined ? undefined : String(params.spellcheck),
    value: params.value,
    'aria-describedby': describedBy,
    autocomplete: params.autocomplete,
    inputmode: params.inputmode,
    ...params.attributes,
  })}>`;
  const field =
    params.prefix || params.suffix
      ? html`<div class="govuk-input__wrapper">${params.prefix ? html`<div class="govuk-input__prefix" aria-hidden="true">${params.prefix.text}</div>` : ''}${input}${
          params.suffix ? html`<div class="govuk-input__suffix" aria-hidden="true">${params.suffix.text}</div>` : ''
        }</div>`
      : input;
  return formGroup(params, html`${govukLabel({ ...params.label, for: id })}${hint}${error}${field}`);
}

export interface TextareaParams extends FieldCommon {
  value?: string | undefined;
  /** @default 5 */
  rows?: number;
}

export function govukTextarea(params: TextareaParams): Html {
  const id = params.id ?? params.name;
  const { describedBy, hint, error } = describedParts(id, params);
  return formGroup(
    params,
    html`${govukLabel({ ...params.label, for: id })}${hint}${error}<textarea${attributes({
      class: classes('govuk-textarea', params.errorMessage && 'govuk-textarea--error', params.classes),
      id,
      name: params.name,
      rows: params.rows ?? 5,
      'aria-describedby': describedBy,
      ...params.attributes,
    })}>${params.value ?? ''}</textarea>`,
  );
}

export interface SelectItem {
  value: string;
  text: string;
  selected?: boolean;
  disabled?: boolean;
}

export interface SelectParams extends FieldCommon {
  /** @default [] */
  items?: SelectItem[];
  value?: string | undefined;
}

export function govukSelect(params: SelectParams): Html {
  const id = params.id ?? params.name;
  const { describedBy, hint, error } = describedParts(id, params);
  const options = (params.items ?? []).map(
    (item) =>
      html`<option${attributes({
        value: item.value,
        selected: item.selected ?? (params.value !== undefined && item.value === params.value),
        disabled: item.disabled,
      })}>${item.text}</option>`,
  );
  return formGroup(
    params,
    html`${govukLabel({ ...params.label, for: id })}${hint}${error}<select${attributes({
      class: classes('govuk-select', params.classes, params.errorMessage && 'govuk-select--error'),
      id,
      name: params.name,
      'aria-describedby': describedBy,
      ...params.attributes,
    })}>${options}</select>`,
  );
}

export interface ChoiceItem {
  value: string;
  /** @default `<idPrefix>` for the first item, `<idPrefix>-<n>` for the n-th */
  id?: string;
  text?: string;
  html?: Html;
  hint?: Content;
  checked?: boolean;
  /** Shown under the item while it is chosen (govuk-frontend's conditional reveal). */
  conditional?: { html: Html };
}

export interface ChoicesParams {
  name: string;
  /** @default name */
  idPrefix?: string;
  items: ChoiceItem[];
  /** The chosen value (radios) or values (checkboxes). */
  value?: string | readonly string[] | undefined;
  /** The chosen values of checkboxes, as govuk-frontend's checkboxes macro names them. */
  values?: readonly string[] | undefined;
  fieldset?: { legend?: LegendParams; describedBy?: string; classes?: string };
  hint?: Content;
  errorMessage?: FieldError | undefined;
  classes?: string;
  formGroup?: { classes?: string };
}

function choices(kind: 'radios' | 'checkboxes', params: ChoicesParams): Html {
  const idPrefix = params.idPrefix ?? params.name;
  const { describedBy, hint, error } = describedParts(idPrefix, params, params.fieldset?.describedBy);
  const chosen = params.values ?? (params.value === undefined ? [] : typeof params.value === 'string' ? [params.value] : params.value);
  const type = kind === 'radios' ? 'radio' : 'checkbox';
  const items = params.items.map((item, i) => {
    const itemId = item.id ?? (i === 0 ? idPrefix : `${idPrefix}-${i + 1}`);
    const checked = item.checked ?? chosen.includes(item.value);
    const itemHintId = `${itemId}-item-hint`;
    const conditionalId = `conditional-${itemId}`;
    return html`<div class="govuk-${kind}__item"><input class="govuk-${kind}__input"${attributes({
      id: itemId,
      name: params.name,
      type,
      value: item.value,
      checked,
      'data-aria-controls': item.conditional ? conditionalId : undefined,
      'aria-describedby': item.hint ? itemHintId : undefined,
    })}>${govukLabel({ ...(item.html ? { html: item.html } : { text: item.text ?? item.value }), classes: `govuk-${kind}__label`, for: itemId })}${
      item.hint ? govukHint({ ...item.hint, id: itemHintId, classes: classes(`govuk-${kind}__hint`, item.hint.classes) }) : ''
    }</div>${
      item.conditional
        ? html`<div class="${classes(`govuk-${kind}__conditional`, !checked && `govuk-${kind}__conditional--hidden`)}" id="${conditionalId}">${item.conditional.html}</div>`
        : ''
    }`;
  });
  const inner = html`${hint}${error}<div class="${classes(`govuk-${kind}`, params.classes)}" data-module="govuk-${kind}">${items}</div>`;
  const wrapped = params.fieldset
    ? govukFieldset({ ...params.fieldset, ...(describedBy ? { describedBy } : {}), html: inner })
    : inner;
  return formGroup(params, wrapped);
}

export const govukRadios = (params: ChoicesParams): Html => choices('radios', params);
export const govukCheckboxes = (params: ChoicesParams): Html => choices('checkboxes', params);

export interface DateParts {
  day?: string | undefined;
  month?: string | undefined;
  year?: string | undefined;
}

export interface DateInputParams {
  id: string;
  /** Field names are `<namePrefix>-day`, `-month`, `-year`. */
  namePrefix: string;
  values?: DateParts;
  fieldset?: { legend?: LegendParams };
  hint?: Content;
  errorMessage?: FieldError | undefined;
}

export function govukDateInput(params: DateInputParams): Html {
  const { describedBy, hint, error } = describedParts(params.id, params);
  const part = (name: 'day' | 'month' | 'year', width: number) =>
    html`<div class="govuk-date-input__item">${govukInput({
      label: { text: name[0]!.toUpperCase() + name.slice(1), classes: 'govuk-date-input__label' },
      id: `${params.id}-${name}`,
      classes: classes('govuk-date-input__input', params.errorMessage && 'govuk-input--error', `govuk-input--width-${width}`),
      name: `${params.namePrefix}-${name}`,
      value: params.values?.[name],
      inputmode: 'numeric',
    })}</div>`;
  // The error class goes on the inputs, not through govukInput's own error handling.
  const inputs = html`<div class="govuk-date-input" id="${params.id}">${part('day', 2)}${part('month', 2)}${part('year', 4)}</div>`;
  const inner = html`${hint}${error}${inputs}`;
  const wrapped = params.fieldset
    ? govukFieldset({ ...params.fieldset, role: 'group', ...(describedBy ? { describedBy } : {}), html: inner })
    : inner;
  return formGroup(params, wrapped);
}

export interface ButtonParams {
  text: string;
  /** A link styled as a button. */
  href?: string;
  /** @default 'submit' */
  type?: 'submit' | 'button';
  name?: string;
  value?: string;
  classes?: string;
  preventDoubleClick?: boolean;
  id?: string;
  attributes?: Attrs;
}

export function govukButton(params: ButtonParams): Html {
  const common = { class: classes('govuk-button', params.classes), 'data-module': 'govuk-button', ...params.attributes, id: params.id };
  if (params.href) {
    return html`<a href="${params.href}" role="button" draggable="false"${attributes(common)}>${params.text}</a>`;
  }
  return html`<button${attributes({
    type: params.type ?? 'submit',
    value: params.value,
    name: params.name,
    'data-prevent-double-click': params.preventDoubleClick === undefined ? undefined : String(params.preventDoubleClick),
    ...common,
  })}>${params.text}</button>`;
}

export interface ErrorSummaryItem {
  text: string;
  href?: string;
}

export function govukErrorSummary(params: { titleText?: string; errorList: ErrorSummaryItem[]; descriptionText?: string }): Html {
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">${
    params.titleText ?? 'There is a problem'
  }</h2><div class="govuk-error-summary__body">${params.descriptionText ? html`<p>${params.descriptionText}</p>` : ''}${
    params.errorList.length > 0
      ? html`<ul class="govuk-list govuk-error-summary__list">${params.errorList.map(
          (item) => html`<li>${item.href ? html`<a href="${item.href}">${item.text}</a>` : item.text}</li>`,
        )}</ul>`
      : ''
  }</div></div></div>`;
}

/** Hidden fields (the CSRF token, the version a change is checked against). */
export function hiddenField(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

export { toHtml };
