import * as z from '#lib/validation';
import { HomeView } from '#lib/api';
import { ESTATE_PAGES } from '#lib/console/access';
import { BOARD_NIGHTS, estateBoard, incomeLostByBed, type BoardHome, type IncomeLost, type NightState, type Run } from '#lib/console/board';
import { TtlCache } from '#lib/console/cache';
import { govukPagination, govukSummaryList, govukTable, govukTag } from '#lib/console/components/content';
import { dateInWords, money, monthInWords, sentence, shortDateInWords, whenInWords, words } from '#lib/console/format';
import { html, type Html } from '#lib/console/html';
import { queryString } from '#lib/console/http';
import { page, type ConsolePage, type PageContext } from '#lib/console/page';
import { describeThreshold } from '#lib/void-beds';
import type { SentAlert } from '#lib/void-beds/ports';
import { addDays, financialYearOf, londonDateAt, monthOf, previousMonth } from '#lib/time/calendar';
import { PlacementOnPage } from './placements/views';

/**
 * The residential managers' pages: the estate board (every bed for the next 8 weeks, and the
 * income lost to voids this year), one home (beds, residents by reference, its Statement of
 * Purpose and prices), and the void-bed alerts with the referrals that fit.
 */

const STATE_NAMES: Record<NightState, string> = { occupied: 'Occupied', offered: 'Offered', void: 'Void', 'out-of-use': 'Out of use', kept: 'Kept for our own children' };
const SHORT_NAMES: Record<NightState, string> = { occupied: 'Occ', offered: 'Off', void: 'Void', 'out-of-use': 'OOU', kept: 'Own' };

const HOMES_PER_PAGE = 20;

/** The income lost this year, bed by bed: kept five minutes in the container (the page says when it was worked out). */
const INCOME_LOST_CACHE = new TtlCache<Map<string, IncomeLost>>(5 * 60_000, 4);

function key(): Html {
  return html`<ul class="app-key govuk-body-s" aria-label="Key">${(Object.keys(STATE_NAMES) as NightState[]).map(
    (s) => html`<li class="app-key__item"><span class="app-key__swatch app-board__cell--${s}" aria-hidden="true"></span>${SHORT_NAMES[s]}: ${STATE_NAMES[s]}</li>`,
  )}</ul>`;
}

function cell(run: Run): Html {
  const until = addDays(run.from, run.nights - 1);
  const when = run.nights === 1 ? `the night of ${shortDateInWords(run.from)}` : `nights of ${shortDateInWords(run.from)} to ${shortDateInWords(until)}`;
  return html`<td class="app-board__cell--${run.state}" colspan="${run.nights}"><span aria-hidden="true">${run.nights >= 3 ? SHORT_NAMES[run.state] : ''}</span><span class="govuk-visually-hidden">${STATE_NAMES[run.state]}, ${when}</span></td>`;
}

function boardTable(ctx: PageContext, homes: readonly BoardHome[], today: string): Html {
  const weeks = Array.from({ length: BOARD_NIGHTS / 7 }, (_, i) => addDays(today, i * 7));
  return html`<table class="govuk-table app-board"><caption class="govuk-table__caption govuk-table__caption--m">Beds for the next 8 weeks, from tonight (${dateInWords(today)})</caption>
<colgroup><col class="app-board__bed">${Array.from({ length: BOARD_NIGHTS }, () => html`<col>`)}</colgroup>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header app-board__bed">Bed</th>${weeks.map(
    (w) => html`<th scope="colgroup" colspan="7" class="govuk-table__header app-board__week">w/c ${shortDateInWords(w)}</th>`,
  )}</tr></thead>
${homes.map(
  (home) => html`<tbody class="govuk-table__body"><tr class="govuk-table__row"><th scope="rowgroup" colspan="${BOARD_NIGHTS + 1}" class="govuk-table__header app-board__home"><a class="govuk-link" href="${ctx.href(`/homes/${encodeURIComponent(home.homeId)}`)}">${home.name}</a>${
    home.incomeLostPence > 0 ? html` <span class="govuk-body-s">(${money(home.incomeLostPence)} lost to voids this year)</span>` : ''
  }</th></tr>${home.beds.map(
    (bed) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header app-board__bed">${bed.bedId}</th>${bed.runs.map(cell)}</tr>`,
  )}</tbody>`,
)}</table>`;
}

export const boardPage: ConsolePage = {
  path: '/estate',
  roles: ESTATE_PAGES,
  async get(ctx) {
    const nowMs = ctx.clock.nowMs();
    const today = londonDateAt(nowMs);
    const yearStart = `${financialYearOf(today)}-04-01`;
    const { homes, calendars } = await ctx.reads.estate();
    const [{ value: lost, atMs }, alerts] = await Promise.all([
      // Every bed's history over the year: kept a few minutes, as it changes only with a backdated record.
      INCOME_LOST_CACHE.get(`${yearStart}/${today}`, nowMs, async () =>
        incomeLostByBed(homes, await ctx.reads.stays(homes.flatMap((h) => h.beds.map((b) => ({ homeId: h.id, bedId: b.id })))), yearStart, today),
      ),
      ctx.reads.sentAlerts([monthOf(today), previousMonth(monthOf(today))], 5),
    ]);
    // Tonight and the income lost over every home; the eight weeks for this page's homes only.
    const board = estateBoard({ homes, calendars, stays: new Map(), lost, today, yearStart, nowMs }, 1);
    const pageCount = Math.max(1, Math.ceil(board.length / HOMES_PER_PAGE));
    const pageNumber = Math.min(pageCount, Math.max(1, Number.parseInt(ctx.request.query.page ?? '1', 10) || 1));
    const shown = estateBoard({ homes: homes.slice((pageNumber - 1) * HOMES_PER_PAGE, pageNumber * HOMES_PER_PAGE), calendars, stays: new Map(), lost, today, yearStart, nowMs });
    const beds = board.flatMap((h) => h.beds);
    const tonight = (state: NightState) => beds.filter((b) => b.runs[0]?.state === state).length;
    const lostPence = board.reduce((sum, h) => sum + h.incomeLostPence, 0);
    return page({
      title: 'Estate board',
      fullWidth: true,
      body: html`<h1 class="govuk-heading-l">Estate board</h1>
<div class="govuk-grid-row"><div class="govuk-grid-column-one-half">
${govukSummaryList({
  rows: [
    { key: { text: 'Homes' }, value: { text: `${homes.length} homes, ${beds.length} beds` } },
    { key: { text: 'Tonight' }, value: { text: `${tonight('occupied')} occupied, ${tonight('offered')} offered, ${tonight('void')} void, ${tonight('out-of-use')} out of use, ${tonight('kept')} kept for our own children` } },
    { key: { text: 'Income lost to voids this year' }, value: { html: html`<strong>${money(lostPence)}</strong> since ${dateInWords(yearStart)} (${beds.reduce((s, b) => s + b.voidNightsThisYear, 0)} void nights; worked out ${whenInWords(new Date(atMs).toISOString())})` } },
  ],
})}
</div><div class="govuk-grid-column-one-half">${alertsList(ctx, alerts, 'Latest void-bed alerts')}</div></div>
${key()}
${boardTable(ctx, shown, today)}
${govukPagination({
  ...(pageNumber > 1 ? { previous: { href: ctx.href(`/estate${queryString({ page: pageNumber - 1 })}`) } } : {}),
  ...(pageNumber < pageCount ? { next: { href: ctx.href(`/estate${queryString({ page: pageNumber + 1 })}`) } } : {}),
})}
<p class="govuk-body">Homes ${(pageNumber - 1) * HOMES_PER_PAGE + 1} to ${(pageNumber - 1) * HOMES_PER_PAGE + shown.length} of ${board.length}.</p>`,
    });
  },
};

function alertsList(ctx: PageContext, alerts: readonly SentAlert[], caption: string): Html {
  if (alerts.length === 0) return html`<h2 class="govuk-heading-m">${caption}</h2><p class="govuk-body">No void-bed alerts this month or last.</p>`;
  return govukTable({
    caption,
    captionClasses: 'govuk-table__caption--m',
    head: [{ text: 'Bed' }, { text: 'Alert' }, { text: 'Not earned', format: 'numeric' }, { text: 'Referrals that fit' }],
    rows: alerts.map((a) => [
      { html: html`<a class="govuk-link" href="${ctx.href(`/homes/${encodeURIComponent(a.homeId)}`)}">${a.homeId}</a>, bed ${a.bedId}` },
      { text: `${sentence(describeThreshold(a.threshold))}, void since ${dateInWords(a.voidSince)} (sent ${whenInWords(a.sentAt)})` },
      { text: money(a.incomeNotEarnedPence), format: 'numeric' },
      {
        html:
          a.referralIds.length > 0
            ? html`<ul class="govuk-list">${a.referralIds.map((id) => html`<li><a class="govuk-link" href="${ctx.href(`/referrals/${encodeURIComponent(id)}`)}">${id}</a></li>`)}</ul>`
            : html`None open fits`,
      },
    ]),
  });
}

export const voidBedsPage: ConsolePage = {
  path: '/void-beds',
  roles: ESTATE_PAGES,
  async get(ctx) {
    const month = monthOf(londonDateAt(ctx.clock.nowMs()));
    const alerts = await ctx.reads.sentAlerts([month, previousMonth(month)], 100);
    return page({
      title: 'Void beds',
      fullWidth: true,
      body: html`<h1 class="govuk-heading-l">Void-bed alerts</h1>
<p class="govuk-body">The alerts sent to managers in ${monthInWords(previousMonth(month))} and ${monthInWords(month)}, newest first: when a bed became void, after 7, 14 and 28 void nights, and 14 days before a planned end leaves one void. Each names the open referrals that fit the bed best, ranked by the matcher’s own rules.</p>
${alertsList(ctx, alerts, `${alerts.length} alerts`)}`,
    });
  },
};

// --- one home --------------------------------------------------------------------------------

const SEXES: Record<string, string> = { F: 'girls', M: 'boys' };

export const homePage: ConsolePage = {
  path: '/homes/{homeId}',
  roles: ESTATE_PAGES,
  async get(ctx) {
    const homeId = ctx.params.homeId!;
    const [{ home, prices }, calendar] = await Promise.all([ctx.api.get(`/api/homes/${encodeURIComponent(homeId)}`, HomeView), ctx.reads.calendar(homeId)]);
    const nowMs = ctx.clock.nowMs();
    const today = londonDateAt(nowMs);
    // Residents tonight, from the calendar; each by the placing council's reference for the child (the API's view of the placement).
    const tonight = calendar.holds.filter((h) => h.kind === 'placement' && h.from <= today && (h.to === undefined || h.to > today));
    const residents = await Promise.all(tonight.map(async (hold) => ({ hold, placement: await ctx.api.get(`/api/placements/${encodeURIComponent(hold.id)}`, PlacementOnPage) })));
    const offers = calendar.holds.filter((h) => h.kind === 'offer' && (h.expiresAt === undefined || Date.parse(h.expiresAt) > nowMs));
    return page({
      title: home.name,
      backHref: ctx.href('/estate'),
      body: html`<span class="govuk-caption-l">Ofsted URN ${home.ofstedUrn}</span><h1 class="govuk-heading-l">${home.name}</h1>
<h2 class="govuk-heading-m">Beds</h2>
${govukTable({
  caption: 'Beds and their weekly prices',
  captionClasses: 'govuk-visually-hidden',
  head: [{ text: 'Bed' }, { text: 'Tonight' }, { text: 'Cost', format: 'numeric' }, { text: 'Void allowance', format: 'numeric' }, { text: 'Premium', format: 'numeric' }, { text: 'Weekly price', format: 'numeric' }],
  rows: home.beds.map((bed) => {
    const price = prices.find((p) => p.bedId === bed.id);
    const resident = residents.find((r) => r.hold.bedId === bed.id);
    const outOfUse = bed.outOfUse.find((p) => p.from <= today && (p.to === undefined || p.to > today));
    const offer = offers.find((o) => o.bedId === bed.id);
    const state = resident
      ? html`${govukTag({ text: 'Occupied', colour: 'green' })} <a class="govuk-link" href="${ctx.href(`/placements/${resident.placement.placementId}`)}">${resident.placement.childReference}</a> (${resident.placement.placingAuthorityName}, since ${dateInWords(resident.placement.startDate)})`
      : outOfUse
        ? html`${govukTag({ text: 'Out of use', colour: 'light-blue' })} ${outOfUse.reason}`
        : offer
          ? html`${govukTag({ text: 'Offered', colour: 'yellow' })}`
          : bed.sellable
            ? govukTag({ text: 'Void', colour: 'red' })
            : govukTag({ text: 'Kept for our own children', colour: 'grey' });
    return [
      { text: bed.id },
      { html: state },
      { text: price ? money(price.costPence) : '', format: 'numeric' },
      { text: price ? money(price.voidAllowancePence) : '', format: 'numeric' },
      { text: price ? money(price.premiumPence) : '', format: 'numeric' },
      { text: price ? money(price.weeklyPricePence) : '', format: 'numeric' },
    ];
  }),
})}
<h2 class="govuk-heading-m">Statement of Purpose</h2>
${govukSummaryList({
  rows: [
    { key: { text: 'Registration' }, value: { text: words(home.registration) } },
    { key: { text: 'Postcode' }, value: { text: home.postcode } },
    { key: { text: 'Placement types' }, value: { text: home.placementTypes.join(', ') } },
    { key: { text: 'Kinds of placement' }, value: { text: home.kinds.map(words).join(', ') } },
    { key: { text: 'Ages' }, value: { text: `${home.ageRange[0]} to ${home.ageRange[1]}` } },
    { key: { text: 'Takes' }, value: { text: home.sexes.map((s) => SEXES[s] ?? s).join(' and ') } },
    { key: { text: 'Residents at most' }, value: { text: `${home.maxResidents}${home.soloCapable ? ', can offer a solo placement' : ''}` } },
    { key: { text: 'Pets on site' }, value: { text: home.petsOnSite ? 'Yes' : 'No' } },
    { key: { text: 'Needs accepted' }, value: { text: home.needsAccepted.length > 0 ? home.needsAccepted.map(words).join(', ') : 'None listed' } },
    { key: { text: 'Risks it cannot manage' }, value: { text: home.risksExcluded.length > 0 ? home.risksExcluded.map(words).join(', ') : 'None listed' } },
  ],
})}`,
    });
  },
};
