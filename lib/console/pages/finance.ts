import * as z from '#lib/validation';
import authorities from '#data/placing-authorities.json' with { type: 'json' };
import { htmlContentSecurityPolicy } from '#lib/http';
import { DocumentSummaryView, DocumentView, pageOf, RunProgress } from '#lib/api';
import { FINANCE_PAGES } from '#lib/console/access';
import { govukNotificationBanner, govukSummaryList, govukTable, govukTag } from '#lib/console/components/content';
import { govukButton, govukDateInput, govukSelect } from '#lib/console/components/form';
import { dateInWords, money, monthInWords, whenInWords, words } from '#lib/console/format';
import { apiErrorsOnForm, dateFieldFrom, dateFieldOf, FormErrors, parseDate, postForm } from '#lib/console/forms';
import { html, type Html } from '#lib/console/html';
import { download, field, queryString, redirect } from '#lib/console/http';
import { ApiProblem } from '#lib/console/in-process-api';
import { page, respond, type ConsolePage, type PageContext, type PageOutcome } from '#lib/console/page';
import { londonDateAt, monthOf, previousMonth } from '#lib/time/calendar';

/**
 * Finance's pages: invoicing runs (start one, follow it, see what each council was charged),
 * invoices and credit notes (view, print, PDF, CSV), the trial balance as at a date and the GL
 * export for a period. Everything is the API's: its run rules (months in order, whole months
 * only), its documents and their renderings.
 */

const MonthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
const NumberPattern = /^[A-Z][A-Z0-9]{0,7}-\d{4}-\d{6}$/;

/** What these pages read: the API's own views of runs and documents (lib/api/routes/invoicing.ts). */
type RunProgress = z.infer<typeof RunProgress>;
const Summaries = pageOf(DocumentSummaryView);
type Summary = z.infer<typeof DocumentSummaryView>;

const KIND_NAMES: Record<Summary['kind'], string> = { invoice: 'Invoice', 'credit-note': 'Credit note', 'supplementary-invoice': 'Supplementary invoice' };
const COUNCILS = (authorities.authorities as Array<{ la: string; name: string; self?: boolean }>).filter((a) => !a.self);

const lastMonths = (today: string, count: number): string[] => {
  const months: string[] = [];
  for (let m = previousMonth(monthOf(today)); months.length < count; m = previousMonth(m)) months.push(m);
  return months;
};

/** The run's progress, or undefined where no run was asked for. */
async function progressOf(ctx: PageContext, month: string): Promise<RunProgress | undefined> {
  try {
    return await ctx.api.get(`/api/invoicing/runs/${month}`, RunProgress);
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return undefined;
    throw error;
  }
}

async function runDocuments(ctx: PageContext, month: string): Promise<Summary[]> {
  const all: Summary[] = [];
  let cursor: string | undefined;
  do {
    const found = await ctx.api.get('/api/invoices', Summaries, { month, limit: 100, cursor });
    all.push(...found.items);
    cursor = found.cursor;
  } while (cursor);
  return all;
}

function statusTag(run: RunProgress | undefined): Html {
  if (!run) return govukTag({ text: 'Not run', colour: 'grey' });
  if (run.status === 'complete') return govukTag({ text: 'Complete', colour: 'green' });
  return govukTag({ text: run.status === 'numbering' ? 'Numbering' : 'Drafting', colour: 'blue' });
}

function runsPage(ctx: PageContext, runs: Array<{ month: string; run: RunProgress | undefined }>, month: string | undefined, errors: FormErrors): ReturnType<typeof page> {
  return page({
    title: 'Invoicing',
    errors: errors.summary(),
    body: html`<h1 class="govuk-heading-l">Invoicing runs</h1>
<p class="govuk-body">A run invoices every placing council for one calendar month: one invoice each, with credit notes and supplementary invoices for changes to months already invoiced. Runs start by themselves early on the 1st for the month before; start one here to run it now, or again after a failure was fixed.</p>
${postForm(ctx, '/finance/runs', { text: 'Start the run' }, govukSelect({ name: 'month', label: { text: 'Month to invoice', classes: 'govuk-label--s' }, items: runs.map((r) => ({ value: r.month, text: monthInWords(r.month) })), value: month, errorMessage: errors.of('month') }))}
${govukTable({
  caption: 'The last twelve months',
  captionClasses: 'govuk-table__caption--m',
  head: [{ text: 'Month' }, { text: 'Run' }, { text: 'Councils done', format: 'numeric' }, { text: 'Documents issued', format: 'numeric' }],
  rows: runs.map(({ month: m, run }) => [
    { html: run ? html`<a class="govuk-link" href="${ctx.href(`/finance/runs/${m}`)}">${monthInWords(m)}</a>` : html`${monthInWords(m)}` },
    { html: statusTag(run) },
    { text: run ? `${run.councils.done} of ${run.councils.expected}` : '', format: 'numeric' },
    { text: run ? run.documentsIssued : '', format: 'numeric' },
  ]),
})}`,
  });
}

export const runsListPage: ConsolePage = {
  path: '/finance/runs',
  roles: FINANCE_PAGES,
  async get(ctx) {
    const months = lastMonths(londonDateAt(ctx.clock.nowMs()), 12);
    const runs = await Promise.all(months.map(async (month) => ({ month, run: await progressOf(ctx, month) })));
    return runsPage(ctx, runs, months[0], new FormErrors());
  },
  async post(ctx, form) {
    const month = field(form, 'month');
    const errors = new FormErrors();
    if (!month || !MonthPattern.test(month)) errors.add('month', 'Choose the month to invoice');
    else {
      try {
        await ctx.api.post('/api/invoicing/runs', z.object({ month: z.string() }), { month });
        return respond(redirect(ctx.href(`/finance/runs/${month}?started=1`)));
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.status >= 500 || error.status === 403) throw error;
        apiErrorsOnForm(error, { month: { id: 'month', label: 'the month' } }, 'month', errors);
      }
    }
    const months = lastMonths(londonDateAt(ctx.clock.nowMs()), 12);
    const runs = await Promise.all(months.map(async (m) => ({ month: m, run: await progressOf(ctx, m) })));
    return runsPage(ctx, runs, month, errors);
  },
};

/**
 * A finance page whose path has one parameter of a known form (a month, a document number): any
 * other value, a mistyped address, is the 404 page and never reaches the API.
 */
function pageWithParam(spec: { path: string; pattern: RegExp; get(ctx: PageContext, value: string): Promise<PageOutcome> }): ConsolePage {
  const name = /\{(\w+)\}/.exec(spec.path)![1]!;
  return {
    path: spec.path,
    roles: FINANCE_PAGES,
    async get(ctx) {
      const value = ctx.params[name]!;
      if (!spec.pattern.test(value)) return page({ title: 'Page not found', body: html`<h1 class="govuk-heading-l">Page not found</h1>` }, 404);
      return spec.get(ctx, value);
    },
  };
}

export const runPage = pageWithParam({
  path: '/finance/runs/{month}',
  pattern: MonthPattern,
  async get(ctx, month) {
    // The documents beside the progress, shown once the run is complete (before, none is issued).
    const [run, issued] = await Promise.all([progressOf(ctx, month), runDocuments(ctx, month)]);
    const documents = run?.status === 'complete' ? issued : [];
    const byCouncil = new Map<string, { name: string; documents: Summary[]; grossPence: number }>();
    for (const d of documents) {
      const entry = byCouncil.get(d.placingAuthority.laNumber) ?? { name: d.placingAuthority.name, documents: [], grossPence: 0 };
      entry.documents.push(d);
      entry.grossPence += d.kind === 'credit-note' ? -d.grossPence : d.grossPence;
      byCouncil.set(d.placingAuthority.laNumber, entry);
    }
    return page({
      title: `Invoicing run for ${monthInWords(month)}`,
      backHref: ctx.href('/finance/runs'),
      body: html`${ctx.request.query.started ? govukNotificationBanner({ type: 'success', text: `The run for ${monthInWords(month)} is queued.` }) : ''}
<span class="govuk-caption-l">Invoicing run</span><h1 class="govuk-heading-l">${monthInWords(month)}</h1>
${
  run
    ? govukSummaryList({
        rows: [
          { key: { text: 'Status' }, value: { html: statusTag(run) } },
          { key: { text: 'Started' }, value: { text: whenInWords(run.startedAt) } },
          ...(run.completedAt ? [{ key: { text: 'Completed' }, value: { text: whenInWords(run.completedAt) } }] : []),
          { key: { text: 'Councils' }, value: { text: `${run.councils.done} done, ${run.councils.staged} drafted, of ${run.councils.expected}` } },
          { key: { text: 'Documents issued' }, value: { text: String(run.documentsIssued) } },
        ],
      })
    : html`<p class="govuk-body">The run has been asked for and has not started yet.</p>`
}
${run?.status === 'complete' ? '' : govukButton({ text: 'Refresh', href: ctx.href(`/finance/runs/${month}`), classes: 'govuk-button--secondary' })}
${
  byCouncil.size > 0
    ? govukTable({
        caption: 'What each council was charged',
        captionClasses: 'govuk-table__caption--m',
        head: [{ text: 'Council' }, { text: 'Documents' }, { text: 'Total, credits taken off', format: 'numeric' }],
        rows: [...byCouncil].map(([la, c]) => [
          { text: `${c.name} (${la})` },
          {
            html: html`<ul class="govuk-list">${c.documents.map(
              (d) => html`<li><a class="govuk-link" href="${ctx.href(`/finance/invoices/${d.number}`)}">${d.number}</a>: ${KIND_NAMES[d.kind]} for ${monthInWords(d.month)}, ${money(d.grossPence)}</li>`,
            )}</ul>`,
          },
          { text: money(c.grossPence), format: 'numeric' },
        ]),
      })
    : run?.status === 'complete'
      ? html`<p class="govuk-body">Nothing was charged for ${monthInWords(month)}.</p>`
      : ''
}`,
    });
  },
});

export const invoicesPage: ConsolePage = {
  path: '/finance/invoices',
  roles: FINANCE_PAGES,
  async get(ctx) {
    const council = COUNCILS.find((c) => c.la === ctx.request.query.council)?.la;
    const month = ctx.request.query.month && MonthPattern.test(ctx.request.query.month) ? ctx.request.query.month : previousMonth(monthOf(londonDateAt(ctx.clock.nowMs())));
    const found = await ctx.api.get('/api/invoices', Summaries, { month, council, limit: 100 });
    const months = lastMonths(londonDateAt(ctx.clock.nowMs()), 24);
    return page({
      title: 'Invoices and credit notes',
      body: html`<h1 class="govuk-heading-l">Invoices and credit notes</h1>
<form method="get" action="${ctx.href('/finance/invoices')}">
<div class="govuk-grid-row"><div class="govuk-grid-column-one-third">${govukSelect({ name: 'month', label: { text: 'Issued by the run for' }, items: months.map((m) => ({ value: m, text: monthInWords(m) })), value: month })}</div>
<div class="govuk-grid-column-one-third">${govukSelect({ name: 'council', label: { text: 'Council' }, items: [{ value: '', text: 'Every council' }, ...COUNCILS.map((c) => ({ value: c.la, text: c.name }))], value: council ?? '' })}</div></div>
${govukButton({ text: 'Show', classes: 'govuk-button--secondary' })}
</form>
${
  found.items.length === 0
    ? html`<p class="govuk-body">No documents were issued by the run for ${monthInWords(month)}${council ? ' to that council' : ''}.</p>`
    : govukTable({
        caption: `Issued by the run for ${monthInWords(month)}`,
        captionClasses: 'govuk-table__caption--m',
        head: [{ text: 'Number' }, { text: 'Kind' }, { text: 'Council' }, { text: 'For' }, { text: 'Issued' }, { text: 'Gross', format: 'numeric' }],
        rows: found.items.map((d) => [
          { html: html`<a class="govuk-link" href="${ctx.href(`/finance/invoices/${d.number}`)}">${d.number}</a>` },
          { text: KIND_NAMES[d.kind] },
          { text: d.placingAuthority.name },
          { text: monthInWords(d.month) },
          { text: dateInWords(d.issueDate) },
          { text: money(d.grossPence), format: 'numeric' },
        ]),
      })
}`,
    });
  },
};

export const invoicePage = pageWithParam({
  path: '/finance/invoices/{number}',
  pattern: NumberPattern,
  async get(ctx, number) {
    const d = await ctx.api.get(`/api/invoices/${number}`, DocumentView);
    const base = `/finance/invoices/${number}`;
    return page({
      title: `${KIND_NAMES[d.kind]} ${d.number}`,
      backHref: ctx.href(`/finance/invoices${queryString({ month: d.runMonth })}`),
      fullWidth: true,
      body: html`<span class="govuk-caption-l">${KIND_NAMES[d.kind]} to ${d.placingAuthority.name} (${d.placingAuthority.laNumber})</span><h1 class="govuk-heading-l">${d.number}</h1>
<div class="govuk-button-group">
${govukButton({ text: 'Print', href: ctx.href(`${base}/print`), classes: 'govuk-button--secondary' })}
${govukButton({ text: 'Download PDF', href: ctx.href(`${base}/pdf`), classes: 'govuk-button--secondary' })}
${govukButton({ text: 'Download CSV', href: ctx.href(`${base}/csv`), classes: 'govuk-button--secondary' })}
</div>
<div class="govuk-grid-row"><div class="govuk-grid-column-one-half">
${govukSummaryList({
  rows: [
    { key: { text: 'For' }, value: { text: monthInWords(d.month) } },
    { key: { text: 'Issued' }, value: { text: dateInWords(d.issueDate) } },
    { key: { text: 'Due' }, value: { text: dateInWords(d.dueDate) } },
    { key: { text: 'Purchase orders' }, value: { text: d.purchaseOrders.join(', ') } },
    ...(d.corrects ? [{ key: { text: 'Corrects' }, value: { html: html`<a class="govuk-link" href="${ctx.href(`/finance/invoices/${d.corrects}`)}">${d.corrects}</a>` } }] : []),
    { key: { text: 'Net' }, value: { text: money(d.netPence) } },
    { key: { text: 'VAT' }, value: { text: money(d.vatPence) } },
    { key: { text: 'Total' }, value: { html: html`<strong>${money(d.grossPence)}</strong>` } },
  ],
})}
</div></div>
${govukTable({
  caption: 'Lines',
  captionClasses: 'govuk-table__caption--m',
  head: [{ text: 'What' }, { text: 'Child’s reference' }, { text: 'Nights' }, { text: 'Weekly', format: 'numeric' }, { text: 'Net', format: 'numeric' }, { text: 'VAT', format: 'numeric' }, { text: 'Order' }],
  rows: d.lines.map((l) => [
    { text: `${l.description}${l.adjusts ? `; adjusts ${l.adjusts}` : ''}` },
    { text: l.childReference ?? '' },
    { text: l.nights === undefined ? '' : `${l.nights}${l.firstNight && l.lastNight ? `: ${dateInWords(l.firstNight)} to ${dateInWords(l.lastNight)}` : ''}` },
    { text: l.weeklyPence === undefined ? '' : money(l.weeklyPence), format: 'numeric' },
    { text: money(l.netPence), format: 'numeric' },
    { text: `${money(l.vatPence)} (${l.vatCode})`, format: 'numeric' },
    { text: l.purchaseOrder },
  ]),
})}`,
    });
  },
});

/** The document drawn by the API as printable HTML, PDF or CSV. */
function renderingPage(format: 'print' | 'pdf' | 'csv'): ConsolePage {
  return pageWithParam({
    path: `/finance/invoices/{number}/${format}`,
    pattern: NumberPattern,
    async get(ctx, number) {
      const answer = await ctx.api.raw('GET', `/api/invoices/${number}`, { format: format === 'print' ? 'html' : format });
      if (format === 'print') {
        // The API's own printable page, with its own policy: its inline styles allowed by hash, nothing else.
        return respond({ status: 200, headers: { 'content-type': answer.contentType, 'content-security-policy': htmlContentSecurityPolicy(answer.body) }, cookies: [], body: answer.body });
      }
      return respond(download(answer.contentType, `${number}.${format}`, answer.body, { isBase64Encoded: answer.isBase64Encoded }));
    },
  });
}

export const invoicePrintPage = renderingPage('print');
export const invoicePdfPage = renderingPage('pdf');
export const invoiceCsvPage = renderingPage('csv');

// --- the ledger ------------------------------------------------------------------------------

const TrialBalance = z.object({
  asAt: z.string(),
  accounts: z.array(z.object({ account: z.string(), name: z.string(), type: z.string(), debitPence: z.int(), creditPence: z.int(), balancePence: z.int() })),
  totalDebitPence: z.int(),
  totalCreditPence: z.int(),
  balanced: z.boolean(),
});

export const ledgerPage: ConsolePage = {
  path: '/finance/ledger',
  roles: FINANCE_PAGES,
  async get(ctx) {
    const today = londonDateAt(ctx.clock.nowMs());
    const given = dateFieldOf({ 'asAt-day': [ctx.request.query['asAt-day'] ?? ''], 'asAt-month': [ctx.request.query['asAt-month'] ?? ''], 'asAt-year': [ctx.request.query['asAt-year'] ?? ''] }, 'asAt');
    const errors = new FormErrors();
    const parsed = given.day || given.month || given.year ? parseDate(given, 'date') : { iso: today };
    if ('error' in parsed) errors.add('asAt-day', parsed.error);
    const asAt = 'iso' in parsed ? parsed.iso : today;
    const months = lastMonths(today, 24);
    if (ctx.request.query.download === 'trial-balance') {
      const csv = await ctx.api.raw('GET', '/api/ledger/trial-balance', { query: { asAt }, format: 'csv' });
      return respond(download(csv.contentType, `trial-balance-${asAt}.csv`, csv.body));
    }
    const period = ctx.request.query.period;
    if (ctx.request.query.download === 'gl' && period && MonthPattern.test(period)) {
      const csv = await ctx.api.raw('GET', '/api/ledger/gl-export', { query: { period } });
      return respond(download(csv.contentType, `gl-export-${period}.csv`, csv.body));
    }
    const tb = await ctx.api.get('/api/ledger/trial-balance', TrialBalance, { asAt });
    return page({
      title: 'Ledger',
      errors: errors.summary(),
      body: html`<h1 class="govuk-heading-l">Ledger</h1>
<h2 class="govuk-heading-m">Trial balance</h2>
<form method="get" action="${ctx.href('/finance/ledger')}">
${govukDateInput({ id: 'asAt', namePrefix: 'asAt', values: 'iso' in parsed ? dateFieldFrom(asAt) : given, fieldset: { legend: { text: 'As at the end of' } }, errorMessage: errors.of('asAt-day') })}
${govukButton({ text: 'Show', classes: 'govuk-button--secondary' })}
</form>
${govukTable({
  caption: `Trial balance as at ${dateInWords(tb.asAt)}`,
  captionClasses: 'govuk-table__caption--s',
  head: [{ text: 'Account' }, { text: 'Type' }, { text: 'Debits', format: 'numeric' }, { text: 'Credits', format: 'numeric' }, { text: 'Balance', format: 'numeric' }],
  rows: [
    ...tb.accounts.map((a) => [
      { text: `${a.account} ${a.name}` },
      { text: words(a.type) },
      { text: money(a.debitPence), format: 'numeric' as const },
      { text: money(a.creditPence), format: 'numeric' as const },
      { text: `${money(Math.abs(a.balancePence))} ${a.balancePence < 0 ? 'Cr' : 'Dr'}`, format: 'numeric' as const },
    ]),
    [{ html: html`<strong>Total</strong>` }, { text: '' }, { html: html`<strong>${money(tb.totalDebitPence)}</strong>`, format: 'numeric' as const }, { html: html`<strong>${money(tb.totalCreditPence)}</strong>`, format: 'numeric' as const }, { text: '' }],
  ],
  firstCellIsHeader: true,
})}
<p class="govuk-body">${tb.balanced ? 'Debits equal credits.' : 'Debits and credits differ: tell the service desk.'} <a class="govuk-link" href="${ctx.href(`/finance/ledger${queryString({ download: 'trial-balance', 'asAt-day': String(Number(asAt.slice(8))), 'asAt-month': String(Number(asAt.slice(5, 7))), 'asAt-year': asAt.slice(0, 4) })}`)}" download>Download the trial balance (CSV)</a></p>
<h2 class="govuk-heading-m">GL export</h2>
<p class="govuk-body">Every journal of a month, for the council’s finance system.</p>
<form method="get" action="${ctx.href('/finance/ledger')}">
<input type="hidden" name="download" value="gl">
${govukSelect({ name: 'period', label: { text: 'Month' }, items: months.map((m) => ({ value: m, text: monthInWords(m) })), value: months[0] })}
${govukButton({ text: 'Download the GL export (CSV)', classes: 'govuk-button--secondary' })}
</form>`,
    });
  },
};
