import { KpiReport, OCCUPANCY_TARGET_PERCENT, TARGET_NIGHTS_PER_BED_YEAR } from '#lib/kpis';
import { voidNights } from '#lib/placements';
import { CHART } from '#lib/ledger';
import type { Home } from '#lib/estate';
import type { Stay } from '#lib/time/bed-history';
import { KPI_PAGES } from '#lib/console/access';
import { TtlCache } from '#lib/console/cache';
import { barChart, lineChart } from '#lib/console/charts';
import { govukSummaryList, govukTable } from '#lib/console/components/content';
import { govukButton, govukSelect } from '#lib/console/components/form';
import { dateInWords, money, monthInWords, whenInWords } from '#lib/console/format';
import { html, type Html } from '#lib/console/html';
import { download } from '#lib/console/http';
import { page, respond, type ConsolePage, type PageContext } from '#lib/console/page';
import { addDays, daysBetween, financialYearOf, londonDateAt, monthOf, nextMonth } from '#lib/time/calendar';

/**
 * The council's KPIs for the financial year so far: the API's report (placements agreed,
 * occupancy against the 80% target per home, planned and unplanned endings, income by council,
 * Section 17 spend against budget and baseline), and occupancy over time, month by month,
 * overall and per bed, from the beds' histories of stays counted by the placements domain's
 * voidNights. Every chart has its table.
 *
 * The report reads every bed's placements for the year: it is kept five minutes per role view,
 * and the page says when it was worked out.
 */

const REPORT_CACHE = new TtlCache<KpiReport>(5 * 60_000);
const MONTHS_CACHE = new TtlCache<MonthFigures[]>(5 * 60_000, 4);

interface MonthFigures {
  month: string;
  occupied: number;
  sellable: number;
}

/** Occupied and sellable nights of the sellable beds, month by month of the period. */
function monthlyOccupancy(homes: readonly Home[], stays: ReadonlyMap<string, readonly Stay[]>, from: string, to: string): MonthFigures[] {
  const months: MonthFigures[] = [];
  for (let m = monthOf(from); `${m}-01` < to; m = nextMonth(m)) {
    const start = `${m}-01` < from ? from : `${m}-01`;
    const end = `${nextMonth(m)}-01` > to ? to : `${nextMonth(m)}-01`;
    let occupied = 0;
    let sellable = 0;
    for (const home of homes) {
      for (const bed of home.beds.filter((b) => b.sellable)) {
        const n = voidNights(bed, stays.get(bed.id) ?? [], { from: start, to: end });
        occupied += n.occupiedNights;
        sellable += n.occupiedNights + n.voidNights;
      }
    }
    months.push({ month: m, occupied, sellable });
  }
  return months;
}

const percentOf = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part * 10_000) / whole) / 100);
const percentText = (value: number | null) => (value === null ? 'no sellable nights' : `${value.toFixed(1)}%`);

function bedTable(home: Home, stays: ReadonlyMap<string, readonly Stay[]>, from: string, to: string): Html {
  const nights = daysBetween(from, to);
  const target = Math.round((TARGET_NIGHTS_PER_BED_YEAR * nights) / 365);
  return govukTable({
    caption: `${home.name}: each bed against ${TARGET_NIGHTS_PER_BED_YEAR} of 365 nights (${target} of the ${nights} nights so far)`,
    captionClasses: 'govuk-table__caption--m',
    head: [{ text: 'Bed' }, { text: 'Nights occupied', format: 'numeric' }, { text: 'Void', format: 'numeric' }, { text: 'Out of use', format: 'numeric' }, { text: 'Against target', format: 'numeric' }],
    rows: home.beds.map((bed) => {
      if (!bed.sellable) return [{ text: bed.id }, { text: 'Kept for our own children', colspan: 4 }];
      const n = voidNights(bed, stays.get(bed.id) ?? [], { from, to });
      const diff = n.occupiedNights - target;
      return [{ text: bed.id }, { text: n.occupiedNights, format: 'numeric' }, { text: n.voidNights, format: 'numeric' }, { text: n.outOfUseNights, format: 'numeric' }, { text: `${diff >= 0 ? '+' : ''}${diff}`, format: 'numeric' }];
    }),
  });
}

async function report(ctx: PageContext, period: { from: string; to: string }): Promise<{ value: KpiReport; atMs: number }> {
  const key = `${period.from}/${period.to}/${[...ctx.caller.roles].sort().join('+')}`;
  return REPORT_CACHE.get(key, ctx.clock.nowMs(), () => ctx.api.get('/api/kpis', KpiReport, period));
}

const accountName = (code: string) => (CHART.get(code)?.name ?? code).replace(/^Section 17 /, '').replace(/ \(.*\)$/, '');

export const kpiPage: ConsolePage = {
  path: '/kpis',
  roles: KPI_PAGES,
  async get(ctx) {
    const today = londonDateAt(ctx.clock.nowMs());
    const year = financialYearOf(today);
    const period = { from: `${year}-04-01`, to: today > `${year}-04-01` ? today : addDays(today, 1) };
    if (ctx.request.query.download === 'csv') {
      const csv = await ctx.api.raw('GET', '/api/kpis', { query: period, format: 'csv' });
      return respond(download(csv.contentType, `kpis-${period.from}-to-${period.to}.csv`, csv.body));
    }
    const [{ value: kpis, atMs }, estate] = await Promise.all([report(ctx, period), ctx.reads.estate()]);
    const sellableBeds = (homes: readonly Home[]) => homes.flatMap((h) => h.beds.filter((b) => b.sellable).map((b) => ({ homeId: h.id, bedId: b.id })));
    const chosenHome = estate.homes.find((h) => h.id === ctx.request.query.home) ?? estate.homes[0];
    const [{ value: months }, stays] = await Promise.all([
      // Every sellable bed's history over the year, month by month: kept as long as the figures beside it.
      MONTHS_CACHE.get(`${period.from}/${period.to}`, ctx.clock.nowMs(), async () => monthlyOccupancy(estate.homes, await ctx.reads.stays(sellableBeds(estate.homes)), period.from, period.to)),
      ctx.reads.stays(sellableBeds(chosenHome ? [chosenHome] : [])),
    ]);
    const occ = kpis.occupancy.overall;
    const fy = kpis.section17.financialYears.find((f) => f.financialYear === year) ?? kpis.section17.financialYears.at(-1);
    const yearName = `${year}/${String(year + 1).slice(2)}`;
    return page({
      title: 'KPIs',
      fullWidth: true,
      body: html`<h1 class="govuk-heading-l">KPIs, ${yearName} so far</h1>
<p class="govuk-body">From ${dateInWords(period.from)} to last night (${kpis.period.nights} nights). Figures worked out ${whenInWords(new Date(atMs).toISOString())}; they are kept for five minutes. <a class="govuk-link" href="${ctx.href('/kpis?download=csv')}" download>Download every figure (CSV)</a></p>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
${govukSummaryList({
  rows: [
    { key: { text: 'Placements agreed' }, value: { text: `${kpis.placementsAgreed.count} (target ${kpis.placementsAgreed.yearlyTarget} a year)` } },
    { key: { text: 'Occupancy' }, value: { text: `${percentText(occ.occupiedPercent)} of sellable bed nights, against a target of ${OCCUPANCY_TARGET_PERCENT}% (${occ.occupiedBedNights} of ${occ.sellableBedNights}; planned ${percentText(occ.plannedPercent)})` } },
    { key: { text: 'Against target' }, value: { text: `${occ.againstTargetBedNights >= 0 ? '+' : ''}${occ.againstTargetBedNights} bed nights` } },
    { key: { text: 'Move-ons' }, value: { text: `${kpis.endings.plannedMoveOns} planned, ${kpis.endings.breakdowns} unplanned (breakdowns), of ${kpis.endings.total} endings; target ${kpis.endings.yearlyPlannedMoveOnsTarget} planned a year` } },
    { key: { text: 'Income invoiced' }, value: { text: kpis.income.available ? money(kpis.income.total.grossPence) : `not available: ${kpis.income.reason}` } },
    ...(fy ? [{ key: { text: 'Section 17 saved against baseline' }, value: { text: `${money(fy.savingsTarget.achievedPence)} of the ${money(fy.savingsTarget.pence)} target` } }] : []),
  ],
})}
</div></div>
<h2 class="govuk-heading-l">Occupancy</h2>
${lineChart({
  id: 'occupancy-over-time',
  title: 'Occupancy month by month, against the 80% target',
  description: `The share of sellable bed nights occupied in each month of ${yearName} so far, with the ${OCCUPANCY_TARGET_PERCENT}% target (${TARGET_NIGHTS_PER_BED_YEAR} of 365 nights a bed).`,
  labels: months.map((m) => monthInWords(m.month).replace(/ \d{4}$/, '')),
  labelsHeading: 'Month',
  series: [{ name: 'Occupied', className: '', values: months.map((m) => percentOf(m.occupied, m.sellable)) }],
  target: { name: `Target ${OCCUPANCY_TARGET_PERCENT}%`, value: OCCUPANCY_TARGET_PERCENT },
  format: (n) => `${n.toFixed(0)}%`,
  max: 100,
})}
${govukTable({
  caption: 'Each home',
  captionClasses: 'govuk-table__caption--m',
  head: [{ text: 'Home' }, { text: 'Sellable beds', format: 'numeric' }, { text: 'Occupied', format: 'numeric' }, { text: 'Planned', format: 'numeric' }, { text: 'Against target (bed nights)', format: 'numeric' }],
  rows: kpis.occupancy.homes.map((h) => [
    { text: h.name },
    { text: h.beds, format: 'numeric' },
    { text: percentText(h.occupiedPercent), format: 'numeric' },
    { text: percentText(h.plannedPercent), format: 'numeric' },
    { text: `${h.againstTargetBedNights >= 0 ? '+' : ''}${h.againstTargetBedNights}`, format: 'numeric' },
  ]),
  firstCellIsHeader: true,
})}
<form method="get" action="${ctx.href('/kpis')}" class="govuk-!-margin-bottom-4">
${govukSelect({ name: 'home', label: { text: 'Show the beds of' }, items: estate.homes.map((h) => ({ value: h.id, text: h.name })), value: chosenHome?.id })}
${govukButton({ text: 'Show', classes: 'govuk-button--secondary' })}
</form>
${chosenHome ? bedTable(chosenHome, stays, period.from, period.to) : ''}
<h2 class="govuk-heading-l">Move-ons</h2>
${barChart({
  id: 'move-ons',
  title: 'Planned and unplanned endings',
  description: `Placements that ended in ${yearName} so far: planned move-ons and unplanned endings (breakdowns).`,
  categories: ['Planned move-ons', 'Unplanned (breakdowns)'],
  categoriesHeading: 'Ending',
  series: [{ name: 'Endings', className: 'app-chart__bar', values: [kpis.endings.plannedMoveOns, kpis.endings.breakdowns] }],
  format: (n) => String(Math.round(n)),
})}
${
  kpis.income.available
    ? html`<h2 class="govuk-heading-l">Income by council</h2>${barChart({
        id: 'income-by-council',
        title: 'Income invoiced, by placing council',
        description: `Invoices less credit notes issued in ${yearName} so far, by placing council.`,
        categories: kpis.income.byPlacingAuthority.map((c) => c.name),
        categoriesHeading: 'Placing council',
        series: [{ name: 'Invoiced (gross)', className: 'app-chart__bar--alt', values: kpis.income.byPlacingAuthority.map((c) => c.grossPence) }],
        format: money,
      })}`
    : ''
}
${
  fy
    ? html`<h2 class="govuk-heading-l">Section 17 spend</h2>${barChart({
        id: 's17-against-baseline',
        title: 'Section 17 spend against the 2016/17 baseline',
        description: `Spend to ${dateInWords(fy.asAt)} on each Section 17 account beside the 2016/17 baseline pro rata to date.`,
        categories: fy.accounts.map((a) => accountName(a.account)),
        categoriesHeading: 'Account',
        series: [
          { name: 'Spend to date', className: 'app-chart__bar', values: fy.accounts.map((a) => a.spendPence) },
          { name: 'Baseline to date', className: 'app-chart__bar--baseline', values: fy.accounts.map((a) => a.baselineToDatePence) },
        ],
        format: money,
      })}`
    : ''
}`,
    });
  },
};
