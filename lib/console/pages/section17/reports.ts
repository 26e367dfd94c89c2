import * as z from '#lib/validation';
import { CHART } from '#lib/ledger';
import { SECTION17_REPORT_PAGES } from '#lib/console/access';
import { barChart } from '#lib/console/charts';
import { govukSummaryList, govukTable } from '#lib/console/components/content';
import { govukButton, govukSelect } from '#lib/console/components/form';
import { dateInWords, money, monthInWords } from '#lib/console/format';
import { html } from '#lib/console/html';
import { download } from '#lib/console/http';
import { page, respond, type ConsolePage } from '#lib/console/page';
import { financialYearOf, londonDateAt, monthOf } from '#lib/time/calendar';
import { categoryName } from './awards';

/**
 * Section 17 spend against budget and the 2016/17 baseline (pro rata to
 * date), and spend this year by category, team or month: the API's reports,
 * with a chart of each beside its figures, and their CSV.
 */

const Budget = z.object({
  financialYear: z.int(),
  asAt: z.string(),
  accounts: z.array(z.object({ account: z.string(), spendPence: z.int(), budgetPence: z.nullable(z.int()), baselineToDatePence: z.int(), savingsToDatePence: z.int() })),
  savingsTarget: z.object({ account: z.string(), pence: z.int(), achievedPence: z.int() }),
});

const Spend = z.object({ rows: z.array(z.object({ key: z.string(), pence: z.int() })), totalPence: z.int() });

const BY = ['category', 'team', 'month', 'account'] as const;
type By = (typeof BY)[number];

const accountName = (code: string) => CHART.get(code)?.name ?? code;
const byName = (by: By) => `${by.charAt(0).toUpperCase()}${by.slice(1)}`;
const keyName = (by: By, key: string) => (by === 'category' ? categoryName(key) : by === 'month' ? monthInWords(key) : by === 'account' ? accountName(key) : key);

export const section17ReportsPage: ConsolePage = {
  path: '/section17/reports',
  roles: SECTION17_REPORT_PAGES,
  async get(ctx) {
    const today = londonDateAt(ctx.clock.nowMs());
    const year = financialYearOf(today);
    const by: By = BY.find((b) => b === ctx.request.query.by) ?? 'category';
    const spendQuery = { from: `${year}-04`, to: monthOf(today), by };
    if (ctx.request.query.download === 'spend') {
      const csv = await ctx.api.raw('GET', '/api/section17/reports/spend', { query: spendQuery, format: 'csv' });
      return respond(download(csv.contentType, `section17-spend-by-${by}-${year}.csv`, csv.body));
    }
    if (ctx.request.query.download === 'budget') {
      const csv = await ctx.api.raw('GET', '/api/section17/reports/budget', { query: { asAt: today }, format: 'csv' });
      return respond(download(csv.contentType, `section17-budget-${today}.csv`, csv.body));
    }
    const [budget, spend] = await Promise.all([
      ctx.api.get('/api/section17/reports/budget', Budget, { asAt: today }),
      ctx.api.get('/api/section17/reports/spend', Spend, spendQuery),
    ]);
    const yearName = `${year}/${String(year + 1).slice(2)}`;
    return page({
      title: 'Section 17 reports',
      body: html`<h1 class="govuk-heading-l">Section 17 spend, ${yearName}</h1>
<p class="govuk-body">Approved awards posted to the ledger, as at ${dateInWords(budget.asAt)}, against the budget and against the 2016/17 baseline pro rata to date.</p>
${barChart({
  id: 'against-baseline',
  title: 'Spend to date against the 2016/17 baseline',
  description: `For each Section 17 account, the spend this year to ${dateInWords(budget.asAt)} beside what the 2016/17 baseline would have spent by now.`,
  categories: budget.accounts.map((a) => accountName(a.account).replace(/^Section 17 /, '').replace(/ \(.*\)$/, '')),
  categoriesHeading: 'Account',
  series: [
    { name: 'Spend to date', className: 'app-chart__bar', values: budget.accounts.map((a) => a.spendPence) },
    { name: 'Baseline to date', className: 'app-chart__bar--baseline', values: budget.accounts.map((a) => a.baselineToDatePence) },
  ],
  format: money,
})}
${govukTable({
  caption: 'Against budget and baseline',
  captionClasses: 'govuk-table__caption--m',
  head: [{ text: 'Account' }, { text: 'Spend to date', format: 'numeric' }, { text: 'Budget for the year', format: 'numeric' }, { text: 'Baseline to date', format: 'numeric' }, { text: 'Saved against baseline', format: 'numeric' }],
  rows: budget.accounts.map((a) => [
    { text: `${a.account} ${accountName(a.account)}` },
    { text: money(a.spendPence), format: 'numeric' },
    { text: a.budgetPence === null ? 'none set' : money(a.budgetPence), format: 'numeric' },
    { text: money(a.baselineToDatePence), format: 'numeric' },
    { text: money(a.savingsToDatePence), format: 'numeric' },
  ]),
  firstCellIsHeader: true,
})}
${govukSummaryList({
  rows: [
    { key: { text: 'Savings target this year' }, value: { text: `${money(budget.savingsTarget.pence)} on ${accountName(budget.savingsTarget.account)}` } },
    { key: { text: 'Saved so far' }, value: { text: money(budget.savingsTarget.achievedPence) } },
  ],
})}
<p class="govuk-body"><a class="govuk-link" href="${ctx.href('/section17/reports?download=budget')}" download>Download against budget and baseline (CSV)</a></p>
<h2 class="govuk-heading-m">Spend this year by ${by}</h2>
<form method="get" action="${ctx.href('/section17/reports')}" class="govuk-!-margin-bottom-4">
${govukSelect({ name: 'by', label: { text: 'Show spend by' }, items: BY.map((b) => ({ value: b, text: byName(b) })), value: by })}
${govukButton({ text: 'Show', classes: 'govuk-button--secondary' })}
</form>
${barChart({
  id: 'spend-by',
  title: `Spend in ${yearName} by ${by}`,
  description: `Approved Section 17 spend from April ${year} to ${monthInWords(monthOf(today))}, by ${by}.`,
  categories: spend.rows.map((r) => keyName(by, r.key)),
  categoriesHeading: byName(by),
  series: [{ name: 'Spend', className: 'app-chart__bar', values: spend.rows.map((r) => r.pence) }],
  format: money,
})}
<p class="govuk-body">Total: <strong>${money(spend.totalPence)}</strong>. <a class="govuk-link" href="${ctx.href(`/section17/reports?by=${by}&download=spend`)}" download>Download spend by ${by} (CSV)</a></p>`,
    });
  },
};
