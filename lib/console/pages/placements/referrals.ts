import { PLACEMENT_PAGES } from '#lib/console/access';
import { govukDetails, govukNotificationBanner, govukPagination, govukSummaryList, govukTable, govukTag } from '#lib/console/components/content';
import { govukButton, govukSelect } from '#lib/console/components/form';
import { code903, dateInWords, money, whenInWords, words } from '#lib/console/format';
import { html, type Html } from '#lib/console/html';
import { field, queryString, redirect } from '#lib/console/http';
import { ApiProblem } from '#lib/console/in-process-api';
import { page, respond, type ConsolePage, type PageContext } from '#lib/console/page';
import { ageOn, londonDateAt } from '#lib/time/calendar';
import { OfferOnPage, offerTag, ReferralList, ReferralOnPage, ReferralStatus, referralTag, RULE_NAMES, type Candidate } from './views';

/**
 * The placements officer's referral queue, and one referral with its proposal (every candidate
 * bed with the reason behind each part of its score, every excluded home with its rule), its
 * offers (record the placing council's answer, admit) and its placements. Each action is a form
 * posting to the API's route for it; its refusal (a bed held meanwhile, a rule of the Statement
 * of Purpose) comes back as the API words it.
 */

const STATUS_NAMES: Record<ReferralStatus, string> = { open: 'Open', offered: 'Bed offered', accepted: 'Offer accepted', placed: 'Placed', withdrawn: 'Withdrawn' };

export const referralQueuePage: ConsolePage = {
  path: '/referrals',
  roles: PLACEMENT_PAGES,
  async get(ctx) {
    const status = ReferralStatus.safeParse(ctx.request.query.status).data ?? 'open';
    const cursor = ctx.request.query.cursor;
    const list = await ctx.api.get('/api/referrals', ReferralList, { status, limit: 25, cursor });
    return page({
      title: 'Referrals',
      body: html`<h1 class="govuk-heading-l">Referrals</h1>
<form method="get" action="${ctx.href('/referrals')}">
${govukSelect({ name: 'status', label: { text: 'Show referrals that are' }, items: ReferralStatus.options.map((s) => ({ value: s, text: STATUS_NAMES[s] })), value: status })}
${govukButton({ text: 'Show', classes: 'govuk-button--secondary' })}
</form>
${
  list.items.length === 0
    ? html`<p class="govuk-body">No referrals are ${STATUS_NAMES[status].toLowerCase()}.</p>`
    : govukTable({
        caption: `${STATUS_NAMES[status]} referrals`,
        captionClasses: 'govuk-table__caption--m',
        head: [{ text: 'Referral' }, { text: 'Placing council' }, { text: 'Placement sought' }, { text: 'Needed from' }, { text: 'Weeks', format: 'numeric' }, { text: 'Status' }],
        rows: list.items.map((r) => [
          { html: html`<a class="govuk-link" href="${ctx.href(`/referrals/${encodeURIComponent(r.referralId)}`)}">${r.referralId}</a>` },
          { text: r.placingAuthority?.name ?? '' },
          { text: r.sought ? `${r.sought.placementType}, ${words(r.sought.kind)}` : '' },
          { text: r.sought ? `${dateInWords(r.sought.neededFrom)} (${r.sought.neededBy})` : '' },
          { text: r.sought?.expectedWeeks ?? '', format: 'numeric' },
          { html: referralTag(r.status) },
        ]),
      })
}
${govukPagination({ ...(list.cursor ? { next: { href: ctx.href(`/referrals${queryString({ status, cursor: list.cursor })}`) } } : {}), ...(cursor ? { previous: { href: ctx.href(`/referrals${queryString({ status })}`) } } : {}) })}`,
    });
  },
};

const referralPath = (id: string) => `/referrals/${encodeURIComponent(id)}`;

/** Candidates shown before "show all": a large estate ranks hundreds of beds. */
const CANDIDATES_SHOWN = 20;

function candidateRows(ctx: PageContext, referral: ReferralOnPage, candidates: readonly Candidate[]): Html {
  const canOffer = referral.status === 'open';
  const all = ctx.request.query.all === 'beds';
  const shown = all ? candidates : candidates.slice(0, CANDIDATES_SHOWN);
  const more =
    candidates.length > shown.length
      ? html`<p class="govuk-body"><a class="govuk-link" href="${ctx.href(`${referralPath(referral.referralId)}?all=beds#proposal`)}">Show all ${candidates.length} beds that fit</a></p>`
      : '';
  return html`${govukTable({
    caption: 'Beds that fit, best first',
    captionClasses: 'govuk-table__caption--m',
    head: [{ text: 'Rank', format: 'numeric' }, { text: 'Home and bed' }, { text: 'Score', format: 'numeric' }, { text: 'Why' }, { text: 'Weekly price', format: 'numeric' }, ...(canOffer ? [{ text: 'Offer' }] : [])],
    rows: shown.map((c, i) => [
      { text: i + 1, format: 'numeric' },
      { html: html`<a class="govuk-link" href="${ctx.href(`/homes/${encodeURIComponent(c.homeId)}`)}">${c.homeId}</a>, bed ${c.bedId}` },
      { text: c.score, format: 'numeric' },
      {
        html: html`<ul class="govuk-list govuk-!-font-size-16">${c.parts.map(
          (p) => html`<li><strong>${RULE_NAMES[p.rule] ?? words(p.rule)} (${p.points >= 0 ? '+' : ''}${p.points}):</strong> ${p.reason}</li>`,
        )}</ul>`,
      },
      { text: `${money(c.weeklyPricePence)}${c.educationPlaceWeeklyPence ? ` + ${money(c.educationPlaceWeeklyPence)} education` : ''}`, format: 'numeric' },
      // Once the referral is no longer open there is nothing to offer: no column, rather than one with an empty header.
      ...(canOffer
        ? [
            {
              html: html`<form method="post" action="${ctx.href(`${referralPath(referral.referralId)}/offers`)}">${ctx.csrf()}<input type="hidden" name="bedId" value="${c.bedId}">${govukButton({
                text: 'Offer',
                classes: 'govuk-button--secondary govuk-!-margin-bottom-0',
                preventDoubleClick: true,
                attributes: { 'aria-label': `Offer ${c.homeId} bed ${c.bedId}` },
              })}</form>`,
            },
          ]
        : []),
    ]),
  })}${more}`;
}

function offersSection(ctx: PageContext, referral: ReferralOnPage): Html {
  if (referral.offers.length === 0) return html``;
  const id = referral.referralId;
  return govukTable({
    caption: 'Offers',
    captionClasses: 'govuk-table__caption--m',
    head: [{ text: 'Bed' }, { text: 'Nights' }, { text: 'Weekly price', format: 'numeric' }, { text: 'Status' }, { text: 'Next' }],
    rows: referral.offers.map((o) => [
      { text: `${o.homeId}, bed ${o.bedId}` },
      { text: `${dateInWords(o.from)} to ${dateInWords(o.to)}` },
      { text: money(o.weeklyPricePence), format: 'numeric' },
      { html: html`${offerTag(o)}<br><span class="govuk-body-s">offered by ${o.offered.by.name}, ${whenInWords(o.offered.at)}${o.status === 'offered' && !o.expired ? `; held until ${whenInWords(o.expiresAt)}` : ''}</span>` },
      { html: offerActions(ctx, id, o) },
    ]),
  });
}

function offerActions(ctx: PageContext, referralId: string, offer: OfferOnPage): Html {
  const form = (action: string, text: string, classes: string) =>
    html`<form method="post" action="${ctx.href(`/offers/${offer.offerId}/${action}`)}" class="govuk-!-display-inline-block govuk-!-margin-right-2">${ctx.csrf()}<input type="hidden" name="referralId" value="${referralId}">${govukButton({
      text,
      classes: `${classes} govuk-!-margin-bottom-1`,
      preventDoubleClick: true,
    })}</form>`;
  if (offer.status === 'offered' && !offer.expired) {
    return html`${form('acceptance', 'Record acceptance', '')}${form('decline', 'Record decline', 'govuk-button--warning')}`;
  }
  if (offer.status === 'accepted') {
    return html`${govukButton({ text: 'Admit', href: ctx.href(`${referralPath(referralId)}/admission`), classes: 'govuk-!-margin-bottom-1' })}${form('decline', 'Record decline', 'govuk-button--warning')}`;
  }
  if (offer.admittedAs) return html`<a class="govuk-link" href="${ctx.href(`/placements/${offer.admittedAs}`)}">The placement</a>`;
  return html``;
}

function referralSummary(referral: ReferralOnPage, today: string): Html {
  const r = referral.referral;
  if (!r) return html`<p class="govuk-body">The referral was withdrawn before any details were received.</p>`;
  return govukSummaryList({
    rows: [
      { key: { text: 'Status' }, value: { html: referralTag(referral.status) } },
      { key: { text: 'Placing council' }, value: { text: `${r.placingAuthority.name} (${r.placingAuthority.laNumber})` } },
      { key: { text: 'Child’s reference' }, value: { text: r.child.reference } },
      ...(r.child.dateOfBirth ? [{ key: { text: 'Age' }, value: { text: `${ageOn(r.child.dateOfBirth, today)}` } }] : []),
      ...(r.child.legalStatus ? [{ key: { text: 'Legal status' }, value: { text: code903('legalStatus', r.child.legalStatus) } }] : []),
      { key: { text: 'Placement sought' }, value: { text: `${code903('placementType', r.sought.placementType)}; ${words(r.sought.kind)}` } },
      { key: { text: 'Needed from' }, value: { text: `${dateInWords(r.sought.neededFrom)} (${r.sought.neededBy}), for about ${r.sought.expectedWeeks} weeks` } },
      { key: { text: 'Budget' }, value: { text: `Up to ${money(r.sought.maxWeeklyBudgetPence)} a week${r.sought.educationPlaceRequired ? ', with an education place' : ''}` } },
      ...(r.needs && r.needs.length > 0 ? [{ key: { text: 'Needs' }, value: { text: r.needs.map(words).join(', ') } }] : []),
    ],
  });
}

const DONE: Record<string, string> = {
  offered: 'The bed is offered and held for the placing council’s answer.',
  accepted: 'The placing council’s acceptance is recorded. The bed is held until admission.',
  declined: 'The decline is recorded and the bed let go.',
};

export const referralPage: ConsolePage = {
  path: '/referrals/{referralId}',
  roles: PLACEMENT_PAGES,
  async get(ctx) {
    return showReferral(ctx);
  },
};

async function showReferral(ctx: PageContext, refusal?: string): Promise<ReturnType<typeof page>> {
  const referral = await ctx.api.get(`/api/referrals/${encodeURIComponent(ctx.params.referralId!)}`, ReferralOnPage);
  const today = londonDateAt(ctx.clock.nowMs());
  const proposal = referral.latestProposal;
  const done = DONE[ctx.request.query.done ?? ''];
  return page({
    title: `Referral ${referral.referralId}`,
    backHref: ctx.href('/referrals'),
    fullWidth: true,
    errors: refusal ? [{ text: refusal, href: '#proposal' }] : undefined,
    body: html`${done ? govukNotificationBanner({ type: 'success', text: done }) : ''}
<span class="govuk-caption-l">Referral</span><h1 class="govuk-heading-l">${referral.referralId}</h1>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${referralSummary(referral, today)}</div></div>
${offersSection(ctx, referral)}
${
  referral.placements.length > 0
    ? govukTable({
        caption: 'Placements',
        captionClasses: 'govuk-table__caption--m',
        head: [{ text: 'Placement' }, { text: 'Bed' }, { text: 'From' }, { text: 'Status' }],
        rows: referral.placements.map((p) => [
          { html: html`<a class="govuk-link" href="${ctx.href(`/placements/${p.placementId}`)}">${p.childReference} at ${p.homeId}</a>` },
          { text: p.bedId },
          { text: dateInWords(p.startDate) },
          { html: p.ending ? govukTag({ text: `Ended ${dateInWords(p.ending.endDate)}`, colour: 'grey' }) : govukTag({ text: 'Living there', colour: 'green' }) },
        ]),
      })
    : ''
}
<h2 class="govuk-heading-m" id="proposal">Proposal</h2>
${
  proposal === null
    ? html`<p class="govuk-body">The matcher has not ranked the estate for this referral yet. Reload the page in a moment.</p>`
    : html`<p class="govuk-body">Ranked for version ${proposal.referralVersion} of the referral, as things stood on ${whenInWords(proposal.asOf)}: ${proposal.candidates.length} beds fit, ${proposal.excluded.length} homes or beds were ruled out.</p>
${proposal.candidates.length > 0 ? candidateRows(ctx, referral, proposal.candidates) : html`<p class="govuk-body">No bed fits this referral.</p>`}
${govukDetails({
  summaryText: `Ruled out (${proposal.excluded.length}), with the first rule that ruled each out`,
  html: govukTable({
    caption: 'Ruled out',
    captionClasses: 'govuk-visually-hidden',
    head: [{ text: 'Home or bed' }, { text: 'Rule' }, { text: 'Why' }],
    rows: proposal.excluded.map((e) => [{ text: e.bedId ? `${e.homeId}, bed ${e.bedId}` : e.homeId }, { text: RULE_NAMES[e.rule] ?? words(e.rule) }, { text: e.reason }]),
  }),
})}`
}`,
  });
}

export const offerBedPage: ConsolePage = {
  path: '/referrals/{referralId}/offers',
  roles: PLACEMENT_PAGES,
  async post(ctx, form) {
    const id = ctx.params.referralId!;
    try {
      await ctx.api.post(`/api/referrals/${encodeURIComponent(id)}/offers`, OfferOnPage, { bedId: field(form, 'bedId') ?? '' });
      return respond(redirect(ctx.href(`${referralPath(id)}?done=offered`)));
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status >= 500 || error.status === 403 || error.status === 404) throw error;
      return showReferral(ctx, `The bed could not be offered: ${error.message}`);
    }
  },
};

/** The placing council's answer to an offer, recorded by the placements officer. */
function answerPage(action: 'acceptance' | 'decline', done: string): ConsolePage {
  return {
    path: `/offers/{offerId}/${action}`,
    roles: PLACEMENT_PAGES,
    async post(ctx, form) {
      const referralId = field(form, 'referralId') ?? '';
      try {
        await ctx.api.post(`/api/offers/${encodeURIComponent(ctx.params.offerId!)}/${action}`, OfferOnPage, {});
        return respond(redirect(ctx.href(`${referralPath(referralId)}?done=${done}`)));
      } catch (error) {
        if (!(error instanceof ApiProblem) || error.status >= 500 || error.status === 403 || error.status === 404) throw error;
        return showReferral({ ...ctx, params: { referralId } }, `The ${action === 'acceptance' ? 'acceptance' : 'decline'} could not be recorded: ${error.message}`);
      }
    },
  };
}

export const acceptOfferPage = answerPage('acceptance', 'accepted');
export const declineOfferPage = answerPage('decline', 'declined');
