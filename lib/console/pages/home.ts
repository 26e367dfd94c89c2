import { EVERY_ROLE } from '#lib/console/access';
import { html } from '#lib/console/html';
import { roleName } from '#lib/console/layout';
import { menuFor } from '#lib/console/menu';
import { page, type ConsolePage } from '#lib/console/page';

/** What each menu entry is for, in a line. */
const PURPOSE: Record<string, string> = {
  '/estate': 'Every bed for the next 8 weeks: occupied, offered, void, out of use or kept for our own children; income lost to voids this year.',
  '/void-beds': 'Beds standing empty, and the open referrals that fit them best.',
  '/referrals': 'Referrals from other councils by status, their proposals, offers and placements.',
  '/section17/apply': 'Apply for a Section 17 award, with the guidance in front of you.',
  '/section17/mine': 'Your applications, their decisions and the reasons.',
  '/section17/waiting': 'Applications waiting for a decision at your tier.',
  '/section17/reports': 'Section 17 spend against budget and the 2016/17 baseline.',
  '/finance/runs': 'Start a month’s invoicing run and follow its progress.',
  '/finance/invoices': 'Invoices and credit notes: view, print and download.',
  '/finance/ledger': 'The trial balance as at a date, and the GL export.',
  '/overrides': 'Offers, admissions and moves let through although a hard rule refused them, with the reasons given.',
  '/kpis': 'Placements agreed, occupancy against the 80% target, move-ons, income and Section 17 spend.',
};

export const homePage: ConsolePage = {
  path: '/',
  roles: EVERY_ROLE,
  async get({ caller, href }) {
    const items = menuFor(caller.roles);
    return page({
      title: 'Home',
      body: html`<h1 class="govuk-heading-l">Cared For</h1>
<p class="govuk-body-l">Signed in as ${caller.name}: ${caller.roles.map(roleName).join(', ')}.</p>
<ul class="govuk-list app-task-list">${items.map(
        (item) => html`<li class="app-task-list__item"><h2 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="${href(item.path)}">${item.text}</a></h2><p class="govuk-body">${PURPOSE[item.path] ?? ''}</p></li>`,
      )}</ul>`,
    });
  },
};
