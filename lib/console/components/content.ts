import { attributes, classes, html, type Html, type Renderable } from '#lib/console/html';

/** GOV.UK Frontend content components (see form.ts for how they follow the macros). */

export interface TableCell {
  text?: string | number;
  html?: Html;
  /** `numeric` right-aligns figures. */
  format?: 'numeric';
  classes?: string;
  colspan?: number;
  attributes?: Record<string, string>;
}

export interface TableParams {
  caption?: string;
  captionClasses?: string;
  head?: TableCell[];
  rows: TableCell[][];
  firstCellIsHeader?: boolean;
  classes?: string;
  attributes?: Record<string, string>;
}

const cellContent = (cell: TableCell): Renderable => cell.html ?? cell.text;

export function govukTable(params: TableParams): Html {
  return html`<table class="${classes('govuk-table', params.classes)}"${attributes(params.attributes ?? {})}>${
    params.caption ? html`<caption class="${classes('govuk-table__caption', params.captionClasses)}">${params.caption}</caption>` : ''
  }${
    params.head
      ? html`<thead class="govuk-table__head"><tr class="govuk-table__row">${params.head.map(
          (cell) =>
            html`<th scope="col" class="${classes('govuk-table__header', cell.format && `govuk-table__header--${cell.format}`, cell.classes)}"${attributes({
              colspan: cell.colspan,
              ...cell.attributes,
            })}>${cellContent(cell)}</th>`,
        )}</tr></thead>`
      : ''
  }<tbody class="govuk-table__body">${params.rows.map(
    (row) =>
      html`<tr class="govuk-table__row">${row.map((cell, i) =>
        i === 0 && params.firstCellIsHeader
          ? html`<th scope="row" class="${classes('govuk-table__header', cell.classes)}"${attributes({ colspan: cell.colspan, ...cell.attributes })}>${cellContent(cell)}</th>`
          : html`<td class="${classes('govuk-table__cell', cell.format && `govuk-table__cell--${cell.format}`, cell.classes)}"${attributes({
              colspan: cell.colspan,
              ...cell.attributes,
            })}>${cellContent(cell)}</td>`,
      )}</tr>`,
  )}</tbody></table>`;
}

export interface SummaryAction {
  href: string;
  text: string;
  visuallyHiddenText?: string;
}

const summaryAction = (a: SummaryAction): Html =>
  html`<a class="govuk-link" href="${a.href}">${a.text}${a.visuallyHiddenText ? html`<span class="govuk-visually-hidden"> ${a.visuallyHiddenText}</span>` : ''}</a>`;

export interface SummaryRow {
  key: { text: string };
  value: { text?: string | number; html?: Html };
  actions?: { items: SummaryAction[] };
}

export function govukSummaryList(params: { rows: SummaryRow[]; classes?: string }): Html {
  const anyActions = params.rows.some((r) => (r.actions?.items.length ?? 0) > 0);
  return html`<dl class="${classes('govuk-summary-list', params.classes)}">${params.rows.map((row) => {
    const actions = row.actions?.items ?? [];
    return html`<div class="${classes('govuk-summary-list__row', anyActions && actions.length === 0 && 'govuk-summary-list__row--no-actions')}"><dt class="govuk-summary-list__key">${
      row.key.text
    }</dt><dd class="govuk-summary-list__value">${row.value.html ?? row.value.text}</dd>${
      actions.length > 0
        ? html`<dd class="govuk-summary-list__actions">${
            actions.length === 1
              ? summaryAction(actions[0]!)
              : html`<ul class="govuk-summary-list__actions-list">${actions.map((a) => html`<li class="govuk-summary-list__actions-list-item">${summaryAction(a)}</li>`)}</ul>`
          }</dd>`
        : ''
    }</div>`;
  })}</dl>`;
}

/** Tag colours govuk-frontend offers. */
export type TagColour = 'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

export function govukTag(params: { text: string; colour?: TagColour; classes?: string }): Html {
  return html`<strong class="${classes('govuk-tag', params.colour && `govuk-tag--${params.colour}`, params.classes)}">${params.text}</strong>`;
}

export function govukPanel(params: { titleText?: string; titleHtml?: Html; text?: string; html?: Html; headingLevel?: number }): Html {
  const level = params.headingLevel ?? 1;
  return html`<div class="govuk-panel govuk-panel--confirmation"><h${level} class="govuk-panel__title">${params.titleHtml ?? params.titleText}</h${level}>${
    params.html || params.text ? html`<div class="govuk-panel__body">${params.html ?? params.text}</div>` : ''
  }</div>`;
}

export function govukNotificationBanner(params: { type?: 'success'; titleText?: string; text?: string; html?: Html }): Html {
  const success = params.type === 'success';
  const title = params.titleText ?? (success ? 'Success' : 'Important');
  return html`<div class="${classes('govuk-notification-banner', success && 'govuk-notification-banner--success')}" role="${
    success ? 'alert' : 'region'
  }" aria-labelledby="govuk-notification-banner-title" data-module="govuk-notification-banner"><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="govuk-notification-banner-title">${title}</h2></div><div class="govuk-notification-banner__content">${
    params.html ?? (params.text ? html`<p class="govuk-notification-banner__heading">${params.text}</p>` : '')
  }</div></div>`;
}

export function govukBackLink(params: { href?: string; text?: string; html?: Html }): Html {
  return html`<a href="${params.href || '#'}" class="govuk-back-link">${params.html ?? params.text ?? 'Back'}</a>`;
}

export function govukInsetText(params: { text?: string; html?: Html }): Html {
  return html`<div class="govuk-inset-text">${params.html ?? params.text}</div>`;
}

export function govukWarningText(params: { text: string; iconFallbackText?: string }): Html {
  return html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">${
    params.iconFallbackText ?? 'Warning'
  }</span>${params.text}</strong></div>`;
}

export function govukDetails(params: { summaryText: string; html?: Html; text?: string; open?: boolean; id?: string }): Html {
  return html`<details class="govuk-details"${attributes({ id: params.id, open: params.open })}><summary class="govuk-details__summary"><span class="govuk-details__summary-text">${
    params.summaryText
  }</span></summary><div class="govuk-details__text">${params.html ?? params.text}</div></details>`;
}

export interface PaginationParams {
  previous?: { href: string };
  next?: { href: string };
}

/** Previous / next links for lists read a page at a time with a cursor. */
export function govukPagination(params: PaginationParams): Html {
  if (!params.previous && !params.next) return html``;
  const arrow = (d: string) =>
    d === 'prev'
      ? html`<svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg>`
      : html`<svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg>`;
  return html`<nav class="govuk-pagination govuk-pagination--block" aria-label="Pagination">${
    params.previous
      ? html`<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="${params.previous.href}" rel="prev">${arrow('prev')}<span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a></div>`
      : ''
  }${
    params.next
      ? html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="${params.next.href}" rel="next">${arrow('next')}<span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span></a></div>`
      : ''
  }</nav>`;
}
