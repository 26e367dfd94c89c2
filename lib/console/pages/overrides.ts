import { OverrideReport } from '#lib/placements';
import { barChart } from '#lib/console/charts';
import { govukTable } from '#lib/console/components/content';
import { govukButton, govukSelect } from '#lib/console/components/form';
import { monthInWords, whenInWords, words } from '#lib/console/format';
import { html } from '#lib/console/html';
import { download } from '#lib/console/http';
import { page, respond, type ConsolePage } from '#lib/console/page';
import { financialYearOf, londonDateAt, monthOf } from '#lib/time/calendar';
import { OVERRIDES_PAGES } from '#lib/console/access';
import { RULE_NAMES } from './placements/views';

/**
 * The head of service's report of the hard rules overridden at offers, admissions and moves: how
 * many, which rules, by whom, month by month, and each one with its reasons (the API's report).
 */
export const overridesPage: ConsolePage = {
  path: '/overrides',
  roles: OVERRIDES_PAGES,
  async get(ctx) {
    const today = londonDateAt(ctx.clock.nowMs());
    const year = Number(ctx.request.query.year) || financialYearOf(today);
    const period = { from: `${year}-04`, to: monthOf(today) < `${year + 1}-04` ? monthOf(today) : `${year + 1}-03` };
    if (ctx.request.query.download === 'csv') {
      const csv = await ctx.api.raw('GET', '/api/reports/overrides', { query: period, format: 'csv' });
      return respond(download(csv.contentType, `overrides-${period.from}-to-${period.to}.csv`, csv.body));
    }
    const report = await ctx.api.get('/api/reports/overrides', OverrideReport, period);
    const years = [financialYearOf(today), financialYearOf(today) - 1];
    return page({
      title: 'Overrides',
      fullWidth: true,
      body: html`<h1 class="govuk-heading-l">Overrides of the hard rules</h1>
<p class="govuk-body">Offers, admissions and moves let through although a hard rule of the matcher refused them, each with the reason its senior manager gave: ${report.count} from ${monthInWords(report.from)} to ${monthInWords(report.to)}. <a class="govuk-link" href="${ctx.href(`/overrides?year=${year}&download=csv`)}" download>Download (CSV)</a></p>
<form method="get" action="${ctx.href('/overrides')}">${govukSelect({ name: 'year', label: { text: 'Financial year' }, items: years.map((y) => ({ value: String(y), text: `${y}/${String(y + 1).slice(2)}` })), value: String(year) })}${govukButton({ text: 'Show', classes: 'govuk-button--secondary' })}</form>
${barChart({
  id: 'overrides-by-month',
  title: 'Overrides month by month',
  description: `How many decisions were let through by an override in each month from ${monthInWords(report.from)} to ${monthInWords(report.to)}.`,
  categories: report.byMonth.map((m) => monthInWords(m.month).replace(/ \d{4}$/, '')),
  categoriesHeading: 'Month',
  series: [{ name: 'Overrides', className: 'app-chart__bar', values: report.byMonth.map((m) => m.count) }],
  format: (n) => String(Math.round(n)),
})}
<div class="govuk-grid-row"><div class="govuk-grid-column-one-half">${govukTable({
  caption: 'By rule',
  captionClasses: 'govuk-table__caption--m',
  head: [{ text: 'Rule' }, { text: 'Overridden', format: 'numeric' }],
  rows: report.byRule.map((r) => [{ text: RULE_NAMES[r.rule] ?? words(r.rule) }, { text: r.count, format: 'numeric' }]),
})}</div><div class="govuk-grid-column-one-half">${govukTable({
  caption: 'By person',
  captionClasses: 'govuk-table__caption--m',
  head: [{ text: 'Who' }, { text: 'Overrides', format: 'numeric' }],
  rows: report.byPerson.map((p) => [{ text: p.name }, { text: p.count, format: 'numeric' }]),
})}</div></div>
${govukTable({
  caption: 'Each override',
  captionClasses: 'govuk-table__caption--m',
  head: [{ text: 'When' }, { text: 'Decision' }, { text: 'Bed' }, { text: 'Rules overridden' }, { text: 'Reason' }, { text: 'By' }],
  rows: report.overrides.map((o) => [
    { text: whenInWords(o.at) },
    { html: o.referralId ? html`${words(o.decision)} for <a class="govuk-link" href="${ctx.href(`/referrals/${encodeURIComponent(o.referralId)}`)}">${o.referralId}</a>` : html`${words(o.decision)}` },
    { text: `${o.homeId}, bed ${o.bedId}` },
    { html: html`<ul class="govuk-list">${o.rules.map((r) => html`<li><strong>${RULE_NAMES[r.rule] ?? words(r.rule)}:</strong> ${r.reason}</li>`)}</ul>` },
    { text: o.reason },
    { text: o.by.name },
  ]),
})}`,
    });
  },
};
