import { SECTION17_APPLY_PAGES, SECTION17_DECIDE_PAGES, SECTION17_REPORT_PAGES } from '#lib/console/access';
import { govukNotificationBanner, govukPanel, govukTable } from '#lib/console/components/content';
import { govukButton, govukTextarea } from '#lib/console/components/form';
import { dateInWords, money, whenInWords } from '#lib/console/format';
import { apiErrorsOnForm, FormErrors, postForm, radioQuestion } from '#lib/console/forms';
import { html, type Html } from '#lib/console/html';
import { field, redirect } from '#lib/console/http';
import { ApiProblem } from '#lib/console/in-process-api';
import { roleName } from '#lib/console/layout';
import { page, respond, type ConsolePage, type PageContext } from '#lib/console/page';
import { financialYearOf, londonDateAt } from '#lib/time/calendar';
import { AwardOnPage, AwardPage, AwardStatus, awardSummary, categoryName, decisionsList, statusTag } from './awards';

/** A social worker's own applications; the managers' "waiting for me"; one application, and deciding it. */

const today = (ctx: PageContext) => londonDateAt(ctx.clock.nowMs());

/** Every award of these statuses this financial year, a page of the API's list at a time (the statuses side by side). */
async function awardsWithStatus(ctx: PageContext, statuses: readonly AwardStatus[]): Promise<AwardOnPage[]> {
  const financialYear = financialYearOf(today(ctx));
  const byStatus = await Promise.all(
    statuses.map(async (status) => {
      const found: AwardOnPage[] = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.api.get('/api/section17/applications', AwardPage, { status, financialYear, limit: 100, cursor });
        found.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      return found;
    }),
  );
  return byStatus.flat().sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
}

function awardsTable(ctx: PageContext, awards: readonly AwardOnPage[], caption: string, linkTo: (a: AwardOnPage) => string): Html {
  if (awards.length === 0) return html`<p class="govuk-body">None.</p>`;
  return govukTable({
    caption,
    captionClasses: 'govuk-table__caption--m',
    head: [{ text: 'Child’s reference' }, { text: 'Category' }, { text: 'Amount', format: 'numeric' }, { text: 'Submitted' }, { text: 'Status' }],
    rows: awards.map((a) => [
      { html: html`<a class="govuk-link" href="${ctx.href(linkTo(a))}">${a.request.childReference}<span class="govuk-visually-hidden">: ${categoryName(a.request.category)}, ${money(a.request.amountPence)}</span></a>` },
      { text: categoryName(a.request.category) },
      { text: `${money(a.request.amountPence)}${a.request.basis === 'recurring' ? ' a week' : ''}`, format: 'numeric' },
      { text: whenInWords(a.submittedAt) },
      { html: statusTag(a.status) },
    ]),
  });
}

export const myApplicationsPage: ConsolePage = {
  path: '/section17/mine',
  roles: SECTION17_APPLY_PAGES,
  async get(ctx) {
    // The API lists a social worker's own applications only.
    const awards = await awardsWithStatus(ctx, AwardStatus.options);
    return page({
      title: 'My applications',
      body: html`<h1 class="govuk-heading-l">My applications</h1>
<p class="govuk-body">Your Section 17 applications this financial year, newest first.</p>
${govukButton({ text: 'Apply for support', href: ctx.href('/section17/apply'), classes: 'govuk-button--secondary' })}
${awardsTable(ctx, awards, 'Applications', (a) => `/section17/applications/${a.applicationId}`)}`,
    });
  },
};

export const waitingForMePage: ConsolePage = {
  path: '/section17/waiting',
  roles: SECTION17_DECIDE_PAGES,
  async get(ctx) {
    const mine = new Set<string>(ctx.caller.roles);
    // The tier each award needs is the API's answer (its authorisation ladder), not worked out here.
    const awards = (await awardsWithStatus(ctx, ['awaiting-approval', 'awaiting-reapproval'])).filter((a) => mine.has(a.period.requiredRole));
    return page({
      title: 'Waiting for me',
      body: html`<h1 class="govuk-heading-l">Waiting for me</h1>
<p class="govuk-body">Section 17 applications waiting for a decision at your tier (${ctx.caller.roles.filter((r) => SECTION17_DECIDE_PAGES.includes(r)).map(roleName).join(', ')}).</p>
${awardsTable(ctx, awards, `${awards.length} waiting`, (a) => `/section17/applications/${a.applicationId}/decision`)}`,
    });
  },
};

export const applicationPage: ConsolePage = {
  path: '/section17/applications/{applicationId}',
  roles: [...SECTION17_APPLY_PAGES, ...SECTION17_DECIDE_PAGES, ...SECTION17_REPORT_PAGES],
  async get(ctx) {
    const award = await ctx.api.get(`/api/section17/applications/${encodeURIComponent(ctx.params.applicationId!)}`, AwardOnPage);
    const justSubmitted = ctx.request.query.submitted === '1';
    const justDecided = ctx.request.query.decided;
    const banner = justSubmitted
      ? award.status === 'refused'
        ? govukNotificationBanner({ titleText: 'Application refused', text: `The application was refused when it was submitted${award.refusal?.detail ? `: ${award.refusal.detail}` : '.'}` })
        : govukPanel({ titleText: 'Application submitted', text: `It is waiting for a decision by the ${roleName(award.period.requiredRole).toLowerCase()}.` })
      : justDecided
        ? govukNotificationBanner({ type: 'success', text: `You ${justDecided === 'approve' ? 'approved' : 'refused'} the application.` })
        : '';
    const canDecide = (award.status === 'awaiting-approval' || award.status === 'awaiting-reapproval') && ctx.caller.roles.some((r) => SECTION17_DECIDE_PAGES.includes(r));
    return page({
      title: `Application for ${award.request.childReference}`,
      backHref: ctx.href(ctx.caller.roles.includes('social-worker') ? '/section17/mine' : '/section17/waiting'),
      body: html`${banner}<span class="govuk-caption-l">Section 17 application</span><h1 class="govuk-heading-l">${award.request.childReference}: ${categoryName(award.request.category)}</h1>
${awardSummary(award)}
${decisionsList(award)}
${canDecide ? govukButton({ text: 'Decide', href: ctx.href(`/section17/applications/${award.applicationId}/decision`) }) : ''}`,
    });
  },
};

const DECISION_PLACES = { decision: { id: 'decision', label: 'your decision' }, reason: { id: 'reason', label: 'the reason' } };

function decisionForm(ctx: PageContext, award: AwardOnPage, answers: { decision?: string | undefined; reason?: string | undefined }, errors: FormErrors): Html {
  return html`<span class="govuk-caption-l">Decide a Section 17 application</span><h1 class="govuk-heading-l">${award.request.childReference}: ${categoryName(award.request.category)}, ${money(award.request.amountPence)}</h1>
${awardSummary(award)}
${decisionsList(award)}
${postForm(ctx, `/section17/applications/${award.applicationId}/decision`, { text: 'Record decision' }, html`${radioQuestion({ name: 'decision', legend: 'Your decision', size: 'm', choices: { approve: 'Approve', refuse: 'Refuse' } }, answers.decision, errors)}
${govukTextarea({ name: 'reason', label: { text: 'Reason', classes: 'govuk-label--s' }, hint: { text: 'Recorded with your decision, and shown to the social worker.' }, value: answers.reason, rows: 4, errorMessage: errors.of('reason') })}`)}`;
}

export const decidePage: ConsolePage = {
  path: '/section17/applications/{applicationId}/decision',
  roles: SECTION17_DECIDE_PAGES,
  async get(ctx) {
    const award = await ctx.api.get(`/api/section17/applications/${encodeURIComponent(ctx.params.applicationId!)}`, AwardOnPage);
    return page({ title: 'Decide', backHref: ctx.href('/section17/waiting'), body: decisionForm(ctx, award, {}, new FormErrors()) });
  },
  async post(ctx, form) {
    const id = encodeURIComponent(ctx.params.applicationId!);
    const answers = { decision: field(form, 'decision'), reason: field(form, 'reason') };
    const errors = new FormErrors();
    if (!answers.decision) errors.add('decision', 'Select approve or refuse');
    if (!answers.reason) errors.add('reason', 'Enter the reason for your decision');
    if (!errors.any) {
      try {
        await ctx.api.post(`/api/section17/applications/${id}/decision`, AwardOnPage, answers);
        return respond(redirect(ctx.href(`/section17/applications/${id}?decided=${answers.decision}`)));
      } catch (error) {
        // Refusals of the ladder (not your tier, your own application) are said on the form, not as a 403 page.
        if (!(error instanceof ApiProblem) || error.status >= 500 || error.status === 404) throw error;
        apiErrorsOnForm(error, DECISION_PLACES, 'decision', errors);
      }
    }
    const award = await ctx.api.get(`/api/section17/applications/${id}`, AwardOnPage);
    return page({ title: 'Decide', backHref: ctx.href('/section17/waiting'), body: decisionForm(ctx, award, answers, errors), errors: errors.summary() });
  },
};

