import type { Caller, Role } from '#lib/auth';
import { INVOICING_SETTINGS } from '#lib/invoicing';
import type { Assets } from './assets';
import { govukBackLink } from './components/content';
import { govukErrorSummary, hiddenField, type ErrorSummaryItem } from './components/form';
import { html, type Html, type Renderable } from './html';
import { menuFor } from './menu';
import { CSRF_FIELD } from './security/csrf';

/**
 * The page frame every console page shares (govuk-frontend's page template,
 * written out): skip link, header, the person's menu with sign-out, an error
 * summary when a form came back with errors, the page, and the footer.
 */

export const SERVICE_NAME = 'Cared For';
export const COUNCIL_NAME = INVOICING_SETTINGS.issuer.name;

export interface Frame {
  base: string;
  assets: Assets;
  nonce: string;
  /** The current console path, to mark the menu entry. */
  path: string;
  /** The signed-in person; absent on sign-in and error pages before sign-in. */
  caller?: Caller | undefined;
  csrfToken?: string | undefined;
}

export interface PageContent {
  /** The page's h1 text, also the start of the <title>. */
  title: string;
  body: Renderable;
  /** A "Back" link above the page. */
  backHref?: string | undefined;
  /** Shown above everything, each linking to its field; the title then starts with "Error: ". */
  errors?: ErrorSummaryItem[] | undefined;
  /** Wider pages (the board, tables of figures) use the full width. */
  fullWidth?: boolean;
}

const ROLE_NAMES: Record<Role, string> = {
  'residential-manager': 'Residential manager',
  'placements-officer': 'Placements officer',
  finance: 'Finance',
  'team-manager': 'Team manager',
  'service-manager': 'Service manager',
  'head-of-service': 'Head of service',
  'social-worker': 'Social worker',
};

/** A role in words; anything else (the guidance refusing at submission) as it is, capitalised. */
export const roleName = (role: Role | string): string => ROLE_NAMES[role as Role] ?? role.charAt(0).toUpperCase() + role.slice(1).replace(/-/g, ' ');

function serviceNavigation(frame: Frame): Html {
  const items = frame.caller ? menuFor(frame.caller.roles) : [];
  const current = items.filter((i) => frame.path === i.path || (i.path !== '/' && frame.path.startsWith(`${i.path}/`))).sort((a, b) => b.path.length - a.path.length)[0];
  const signOut =
    frame.caller && frame.csrfToken
      ? html`<form method="post" action="${frame.base}/sign-out" class="app-sign-out">${hiddenField(CSRF_FIELD, frame.csrfToken)}<span class="govuk-body-s app-sign-out__who">${frame.caller.name}<span class="govuk-visually-hidden"> is signed in</span> (${frame.caller.roles.map(roleName).join(', ')})</span> <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 app-sign-out__button" data-module="govuk-button">Sign out</button></form>`
      : '';
  return html`<section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation"><div class="govuk-width-container"><div class="govuk-service-navigation__container"><span class="govuk-service-navigation__service-name"><a href="${frame.base}/" class="govuk-service-navigation__link">${SERVICE_NAME}</a></span>${
    items.length > 0
      ? html`<nav aria-label="Menu" class="govuk-service-navigation__wrapper"><button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation" hidden aria-hidden="true">Menu</button><ul class="govuk-service-navigation__list" id="navigation">${items.map((item) =>
          item === current
            ? html`<li class="govuk-service-navigation__item govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="${frame.base}${item.path}" aria-current="page"><strong class="govuk-service-navigation__active-fallback">${item.text}</strong></a></li>`
            : html`<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="${frame.base}${item.path}">${item.text}</a></li>`,
        )}</ul></nav>`
      : ''
  }</div>${signOut}</div></section>`;
}

export function renderPage(frame: Frame, content: PageContent): Html {
  const { assets, base, nonce } = frame;
  const asset = (name: Parameters<Assets['nameOf']>[0]) => `${base}/assets/${assets.nameOf(name)}`;
  const title = `${content.errors && content.errors.length > 0 ? 'Error: ' : ''}${content.title} – ${SERVICE_NAME} – ${COUNCIL_NAME}`;
  return html`<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#1d70b8">
<link rel="icon" href="${asset('favicon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${asset('govuk.css')}">
<link rel="stylesheet" href="${asset('console.css')}">
</head>
<body class="govuk-template__body">
<script nonce="${nonce}">document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');</script>
<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
<header class="govuk-template__header">
<div class="govuk-generic-header"><div class="govuk-generic-header__container govuk-width-container"><div class="govuk-generic-header__logo"><a href="${base}/" class="govuk-generic-header__homepage-link">${COUNCIL_NAME}</a></div></div></div>
${serviceNavigation(frame)}
</header>
<div class="${content.fullWidth ? 'govuk-width-container app-width-container--wide' : 'govuk-width-container'}">
${content.backHref ? govukBackLink({ href: content.backHref }) : ''}
<main class="govuk-main-wrapper" id="main-content">
${content.errors && content.errors.length > 0 ? govukErrorSummary({ errorList: content.errors }) : ''}
${content.body}
</main>
</div>
<footer class="govuk-footer"><div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow"><h2 class="govuk-visually-hidden">Support links</h2><ul class="govuk-footer__inline-list"><li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="${base}/accessibility">Accessibility statement</a></li></ul><p class="govuk-body-s govuk-!-margin-bottom-0">${SERVICE_NAME} is run by ${COUNCIL_NAME} children's services. Children's records: handle as OFFICIAL-SENSITIVE.</p></div></div></div></footer>
<script type="module" src="${asset('init.js')}" nonce="${nonce}"></script>
</body>
</html>`;
}
