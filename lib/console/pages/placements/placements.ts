import * as z from '#lib/validation';
import { PlacementConfirmation } from '#lib/api';
import { PLACEMENT_PAGES } from '#lib/console/access';
import { govukNotificationBanner, govukSummaryList, govukTag } from '#lib/console/components/content';
import { govukButton, govukDateInput, govukInput, govukSelect } from '#lib/console/components/form';
import { code903, dateInWords, EPISODE_CEASED_REASONS, money, PLACEMENT_CHANGE_REASONS, reasonCeasedInWords, reasonChangeInWords, whenInWords, words } from '#lib/console/format';
import { apiErrorsOnForm, dateFieldFrom, dateFieldOf, FormErrors, parseDate, parsePounds, postForm, radioQuestion, type DateField } from '#lib/console/forms';
import { html, type Html } from '#lib/console/html';
import { field, redirect, type FormData } from '#lib/console/http';
import { ApiProblem } from '#lib/console/in-process-api';
import { page, respond, type ConsolePage, type PageContext, type PageOutcome } from '#lib/console/page';
import { londonDateAt } from '#lib/time/calendar';
import { PlacementOnPage, ReferralOnPage } from './views';

/**
 * Admitting a child on an accepted offer, a placement's page, ending it (the SSDA903 reason in
 * words) and moving the child, and the confirmation the placing council needs for its own 903
 * return, to print.
 */

const placementPath = (id: string) => `/placements/${encodeURIComponent(id)}`;
const today = (ctx: PageContext) => londonDateAt(ctx.clock.nowMs());

/** An expected refusal (bad input, a clash, a rule): said on the form. Anything else is the page's error. */
function expected(error: unknown): error is ApiProblem {
  return error instanceof ApiProblem && error.status < 500 && error.status !== 404 && !(error.status === 403 && error.kind === 'forbidden');
}

// --- admission ---------------------------------------------------------------------------

const EXTRAS = [
  { kind: 'education-place', label: 'Education place' },
  { kind: 'additional-staffing', label: 'Additional staffing' },
  { kind: 'transport', label: 'Transport' },
] as const;

interface AdmissionAnswers {
  start: DateField;
  extras: Record<string, string | undefined>;
}

function admissionForm(ctx: PageContext, referral: ReferralOnPage, answers: AdmissionAnswers, errors: FormErrors): Html {
  const offer = referral.offers.find((o) => o.status === 'accepted');
  return html`<span class="govuk-caption-l">Referral ${referral.referralId}</span><h1 class="govuk-heading-l">Admit ${referral.referral?.child.reference ?? 'the child'}</h1>
${offer ? html`<p class="govuk-body">On the accepted offer of ${offer.homeId}, bed ${offer.bedId}, at ${money(offer.weeklyPricePence)} a week. The agreed price is fixed now, at admission.</p>` : ''}
${postForm(ctx, `/referrals/${encodeURIComponent(referral.referralId)}/admission`, { text: 'Admit' }, html`${govukDateInput({ id: 'start', namePrefix: 'start', values: answers.start, fieldset: { legend: { text: 'Date of admission', classes: 'govuk-fieldset__legend--m' } }, hint: { text: 'The child’s first night is the night of this date.' }, errorMessage: errors.of('start-day') })}
<h2 class="govuk-heading-m">Extras charged to the placing council</h2>
<p class="govuk-body">Weekly amounts, where the placement has them. Leave empty otherwise.</p>
${EXTRAS.map((e) =>
  govukInput({ name: `extra-${e.kind}`, label: { text: `${e.label}, a week` }, prefix: { text: '£' }, value: answers.extras[e.kind], classes: 'govuk-input--width-10', inputmode: 'decimal', spellcheck: false, errorMessage: errors.of(`extra-${e.kind}`) }),
)}`)}`;
}

const ADMISSION_PLACES = { startDate: { id: 'start-day', label: 'the date of admission' }, bedId: { id: 'start-day', label: 'the bed' }, extras: { id: 'extra-education-place', label: 'the extras' } };

export const admissionPage: ConsolePage = {
  path: '/referrals/{referralId}/admission',
  roles: PLACEMENT_PAGES,
  async get(ctx) {
    const referral = await ctx.api.get(`/api/referrals/${encodeURIComponent(ctx.params.referralId!)}`, ReferralOnPage);
    return page({ title: 'Admit', backHref: ctx.href(`/referrals/${encodeURIComponent(referral.referralId)}`), body: admissionForm(ctx, referral, { start: dateFieldFrom(today(ctx)), extras: {} }, new FormErrors()) });
  },
  async post(ctx, form) {
    const id = encodeURIComponent(ctx.params.referralId!);
    const answers: AdmissionAnswers = { start: dateFieldOf(form, 'start'), extras: Object.fromEntries(EXTRAS.map((e) => [e.kind, field(form, `extra-${e.kind}`)])) };
    const errors = new FormErrors();
    const start = parseDate(answers.start, 'date of admission');
    if ('error' in start) errors.add('start-day', start.error);
    const extras = EXTRAS.flatMap((e) => {
      const text = answers.extras[e.kind];
      if (text === undefined) return [];
      const amountPence = parsePounds(text);
      if (amountPence === undefined || amountPence === 0) {
        errors.add(`extra-${e.kind}`, `Enter the ${e.label.toLowerCase()} as pounds and pence, like 120.00, or leave it empty`);
        return [];
      }
      return [{ kind: e.kind, basis: 'weekly' as const, amountPence }];
    });
    if (!errors.any && 'iso' in start) {
      try {
        const placement = await ctx.api.post(`/api/referrals/${id}/admission`, PlacementOnPage, { startDate: start.iso, extras });
        return respond(redirect(ctx.href(`${placementPath(placement.placementId)}?done=admitted`)));
      } catch (error) {
        if (!expected(error)) throw error;
        apiErrorsOnForm(error, ADMISSION_PLACES, 'start-day', errors);
      }
    }
    const referral = await ctx.api.get(`/api/referrals/${id}`, ReferralOnPage);
    return page({ title: 'Admit', backHref: ctx.href(`/referrals/${id}`), body: admissionForm(ctx, referral, answers, errors), errors: errors.summary() });
  },
};

// --- a placement ---------------------------------------------------------------------------

const DONE: Record<string, string> = {
  admitted: 'The child is admitted. The placing council gets the confirmation below.',
  ended: 'The end of the placement is recorded. The bed is checked for a void at once.',
};

function placementSummary(p: PlacementOnPage): Html {
  return govukSummaryList({
    rows: [
      { key: { text: 'Status' }, value: { html: p.ending ? govukTag({ text: `Ends ${dateInWords(p.ending.endDate)}`, colour: 'grey' }) : govukTag({ text: 'Living there', colour: 'green' }) } },
      { key: { text: 'Child’s reference' }, value: { text: p.childReference } },
      { key: { text: 'Placing council' }, value: { text: `${p.placingAuthorityName} (${p.placingLa})` } },
      { key: { text: 'Home and bed' }, value: { text: `${p.homeId}, bed ${p.bedId}` } },
      { key: { text: 'Placement type' }, value: { text: code903('placementType', p.placementType) } },
      { key: { text: 'From' }, value: { text: dateInWords(p.startDate) } },
      { key: { text: 'Agreed weekly price' }, value: { text: money(p.agreedWeeklyPricePence) } },
      ...(p.extras.length > 0 ? [{ key: { text: 'Extras' }, value: { text: p.extras.map((e) => `${words(e.kind)}: ${money(e.amountPence)} ${e.basis === 'weekly' ? 'a week' : 'once'}`).join('; ') } }] : []),
      { key: { text: 'Admitted' }, value: { text: `by ${p.admitted.by.name}, ${whenInWords(p.admitted.at)}` } },
      ...(p.ending
        ? [
            {
              key: { text: 'Ending' },
              value: {
                text: [
                  `${dateInWords(p.ending.endDate)}`,
                  p.ending.reasonPlacementChange ? `${p.ending.reasonPlacementChange}: ${reasonChangeInWords(p.ending.reasonPlacementChange)}` : undefined,
                  p.ending.planned === undefined ? undefined : p.ending.planned ? 'planned' : 'unplanned',
                  p.ending.reasonEpisodeCeased ? `left care: ${reasonCeasedInWords(p.ending.reasonEpisodeCeased)}` : undefined,
                  `recorded by ${p.ending.decision.by.name}`,
                ]
                  .filter(Boolean)
                  .join('; '),
              },
            },
          ]
        : []),
    ],
  });
}

export const placementPage: ConsolePage = {
  path: '/placements/{placementId}',
  roles: PLACEMENT_PAGES,
  async get(ctx) {
    const p = await getPlacement(ctx);
    const done = DONE[ctx.request.query.done ?? ''];
    return page({
      title: `Placement of ${p.childReference}`,
      backHref: p.referralId ? ctx.href(`/referrals/${encodeURIComponent(p.referralId)}`) : undefined,
      body: html`${done ? govukNotificationBanner({ type: 'success', text: done }) : ''}<span class="govuk-caption-l">Placement</span><h1 class="govuk-heading-l">${p.childReference} at ${p.homeId}</h1>
${placementSummary(p)}
<div class="govuk-button-group">
${govukButton({ text: 'Placement confirmation', href: ctx.href(`${placementPath(p.placementId)}/confirmation`), classes: 'govuk-button--secondary' })}
${p.ending ? '' : govukButton({ text: 'End the placement', href: ctx.href(`${placementPath(p.placementId)}/end`), classes: 'govuk-button--warning' })}
${p.ending ? '' : govukButton({ text: 'Move to another bed', href: ctx.href(`${placementPath(p.placementId)}/move`), classes: 'govuk-button--secondary' })}
</div>`,
    });
  },
};

// --- end ---------------------------------------------------------------------------------

interface EndAnswers {
  end: DateField;
  reason?: string | undefined;
  planned?: string | undefined;
  ceased?: string | undefined;
}

const reasonItems = (chosen: string | undefined) => [
  { value: '', text: 'Choose a reason', selected: chosen === undefined },
  ...PLACEMENT_CHANGE_REASONS.map((r) => ({ value: r.code, text: `${r.label}${r.planned === null ? '' : r.planned ? ' (planned)' : ' (unplanned)'}` })),
];

function endForm(ctx: PageContext, p: PlacementOnPage, answers: EndAnswers, errors: FormErrors): Html {
  return html`<span class="govuk-caption-l">${p.childReference} at ${p.homeId}, bed ${p.bedId}</span><h1 class="govuk-heading-l">End the placement</h1>
${postForm(ctx, `${placementPath(p.placementId)}/end`, { text: 'Record the end', classes: 'govuk-button--warning' }, html`${govukDateInput({ id: 'end', namePrefix: 'end', values: answers.end, fieldset: { legend: { text: 'Leaving date', classes: 'govuk-fieldset__legend--m' } }, hint: { text: 'The child’s last night is the night before this date.' }, errorMessage: errors.of('end-day') })}
${govukSelect({ name: 'reason', label: { text: 'Reason for the change of placement', classes: 'govuk-label--m' }, hint: { text: 'As the SSDA903 return records it.' }, items: reasonItems(answers.reason), value: answers.reason, errorMessage: errors.of('reason') })}
${radioQuestion({ name: 'planned', legend: 'Was it planned?', size: 'm', hint: 'Needed where the reason does not say (a local authority request, a change of placement, other).', choices: { yes: 'Planned', no: 'Unplanned' } }, answers.planned, errors)}
${govukSelect({
  name: 'ceased',
  label: { text: 'Is the child leaving care?', classes: 'govuk-label--m' },
  hint: { text: 'The reason the episode of care ceased, for the 903 return. Leave it as it is if the child stays in care.' },
  items: [{ value: '', text: 'No, the child stays in care' }, ...EPISODE_CEASED_REASONS.map((r) => ({ value: r.code, text: r.label }))],
  value: answers.ceased ?? '',
  errorMessage: errors.of('ceased'),
})}`)}`;
}

const END_PLACES = {
  endDate: { id: 'end-day', label: 'the leaving date' },
  reasonPlacementChange: { id: 'reason', label: 'the reason' },
  planned: { id: 'planned', label: 'whether it was planned' },
  reasonEpisodeCeased: { id: 'ceased', label: 'why the episode ceased' },
};

async function getPlacement(ctx: PageContext): Promise<PlacementOnPage> {
  return ctx.api.get(`/api/placements/${encodeURIComponent(ctx.params.placementId!)}`, PlacementOnPage);
}

export const endPlacementPage: ConsolePage = {
  path: '/placements/{placementId}/end',
  roles: PLACEMENT_PAGES,
  async get(ctx) {
    const p = await getPlacement(ctx);
    return page({ title: 'End the placement', backHref: ctx.href(placementPath(p.placementId)), body: endForm(ctx, p, { end: {} }, new FormErrors()) });
  },
  async post(ctx, form) {
    const answers: EndAnswers = { end: dateFieldOf(form, 'end'), reason: field(form, 'reason'), planned: field(form, 'planned'), ceased: field(form, 'ceased') };
    const errors = new FormErrors();
    const end = parseDate(answers.end, 'leaving date');
    if ('error' in end) errors.add('end-day', end.error);
    if (!answers.reason) errors.add('reason', 'Choose the reason for the change of placement');
    if (!errors.any && 'iso' in end) {
      try {
        const ended = await ctx.api.post(`/api/placements/${encodeURIComponent(ctx.params.placementId!)}/end`, PlacementOnPage, {
          endDate: end.iso,
          reasonPlacementChange: answers.reason,
          ...(answers.planned ? { planned: answers.planned === 'yes' } : {}),
          ...(answers.ceased ? { reasonEpisodeCeased: answers.ceased } : {}),
        });
        return respond(redirect(ctx.href(`${placementPath(ended.placementId)}?done=ended`)));
      } catch (error) {
        if (!expected(error)) throw error;
        apiErrorsOnForm(error, END_PLACES, 'end-day', errors);
      }
    }
    const p = await getPlacement(ctx);
    return page({ title: 'End the placement', backHref: ctx.href(placementPath(p.placementId)), body: endForm(ctx, p, answers, errors), errors: errors.summary() });
  },
};

// --- move ----------------------------------------------------------------------------------

const Moved = z.object({ ended: PlacementOnPage, continued: PlacementOnPage });

interface MoveAnswers {
  bed?: string | undefined;
  date: DateField;
  reason?: string | undefined;
  planned?: string | undefined;
}

function moveForm(ctx: PageContext, p: PlacementOnPage, answers: MoveAnswers, errors: FormErrors): Html {
  return html`<span class="govuk-caption-l">${p.childReference} at ${p.homeId}, bed ${p.bedId}</span><h1 class="govuk-heading-l">Move to another bed</h1>
${postForm(ctx, `${placementPath(p.placementId)}/move`, { text: 'Record the move' }, html`${govukInput({ name: 'bed', label: { text: 'The bed to move to', classes: 'govuk-label--m' }, hint: { text: 'Its id, as the estate board shows it (for example hv-2).' }, value: answers.bed, classes: 'govuk-input--width-20', spellcheck: false, errorMessage: errors.of('bed') })}
${govukDateInput({ id: 'date', namePrefix: 'date', values: answers.date, fieldset: { legend: { text: 'Date of the move', classes: 'govuk-fieldset__legend--m' } }, hint: { text: 'The first night in the new bed.' }, errorMessage: errors.of('date-day') })}
${govukSelect({ name: 'reason', label: { text: 'Reason, for a move to another home', classes: 'govuk-label--m' }, hint: { text: 'A move within the same home is not a change of placement in the 903 return.' }, items: reasonItems(answers.reason), value: answers.reason, errorMessage: errors.of('reason') })}
${radioQuestion({ name: 'planned', legend: 'Was it planned?', size: 'm', choices: { yes: 'Planned', no: 'Unplanned' } }, answers.planned, errors)}`)}`;
}

const MOVE_PLACES = { toBedId: { id: 'bed', label: 'the bed' }, date: { id: 'date-day', label: 'the date of the move' }, reasonPlacementChange: { id: 'reason', label: 'the reason' }, planned: { id: 'planned', label: 'whether it was planned' } };

export const movePlacementPage: ConsolePage = {
  path: '/placements/{placementId}/move',
  roles: PLACEMENT_PAGES,
  async get(ctx) {
    const p = await getPlacement(ctx);
    return page({ title: 'Move to another bed', backHref: ctx.href(placementPath(p.placementId)), body: moveForm(ctx, p, { date: dateFieldFrom(today(ctx)) }, new FormErrors()) });
  },
  async post(ctx, form: FormData): Promise<PageOutcome> {
    const answers: MoveAnswers = { bed: field(form, 'bed'), date: dateFieldOf(form, 'date'), reason: field(form, 'reason'), planned: field(form, 'planned') };
    const errors = new FormErrors();
    if (!answers.bed) errors.add('bed', 'Enter the bed to move to');
    const date = parseDate(answers.date, 'date of the move');
    if ('error' in date) errors.add('date-day', date.error);
    if (!errors.any && 'iso' in date) {
      try {
        const moved = await ctx.api.post(`/api/placements/${encodeURIComponent(ctx.params.placementId!)}/move`, Moved, {
          toBedId: answers.bed,
          date: date.iso,
          ...(answers.reason ? { reasonPlacementChange: answers.reason } : {}),
          ...(answers.planned ? { planned: answers.planned === 'yes' } : {}),
        });
        return respond(redirect(ctx.href(placementPath(moved.continued.placementId))));
      } catch (error) {
        if (!expected(error)) throw error;
        apiErrorsOnForm(error, MOVE_PLACES, 'bed', errors);
      }
    }
    const p = await getPlacement(ctx);
    return page({ title: 'Move to another bed', backHref: ctx.href(placementPath(p.placementId)), body: moveForm(ctx, p, answers, errors), errors: errors.summary() });
  },
};

// --- the confirmation for the placing council ---------------------------------------------

export const confirmationPage: ConsolePage = {
  path: '/placements/{placementId}/confirmation',
  roles: PLACEMENT_PAGES,
  async get(ctx) {
    const c = await ctx.api.get(`/api/placements/${encodeURIComponent(ctx.params.placementId!)}/confirmation`, PlacementConfirmation);
    return page({
      title: `Placement confirmation for ${c.childReference}`,
      backHref: ctx.href(placementPath(c.placementId)),
      body: html`<span class="govuk-caption-l">To ${c.placingAuthority.name} (${c.placingAuthority.laNumber})</span><h1 class="govuk-heading-l">Placement confirmation</h1>
<p class="govuk-body">What you need for your own SSDA903 return about this placement.</p>
${govukSummaryList({
  rows: [
    { key: { text: 'Your reference for the child' }, value: { text: c.childReference } },
    { key: { text: 'Your purchase order' }, value: { text: c.purchaseOrder } },
    { key: { text: 'Placement type' }, value: { text: code903('placementType', c.placementType) } },
    { key: { text: 'Placement provider' }, value: { text: `${c.placementProvider} – other local authority provision` } },
    { key: { text: 'Ofsted URN of the home' }, value: { text: c.ofstedUrn } },
    { key: { text: 'Postcode of the home' }, value: { text: c.homePostcode } },
    { key: { text: 'Start date' }, value: { text: dateInWords(c.startDate) } },
    { key: { text: 'Agreed weekly price' }, value: { text: money(c.agreedWeeklyPricePence) } },
    ...(c.extras.length > 0 ? [{ key: { text: 'Extras' }, value: { text: c.extras.map((e) => `${words(e.kind)}: ${money(e.amountPence)} ${e.basis === 'weekly' ? 'a week' : 'once'}`).join('; ') } }] : []),
    ...(c.endDate ? [{ key: { text: 'End date' }, value: { text: dateInWords(c.endDate) } }] : []),
    ...(c.reasonPlacementChange ? [{ key: { text: 'Reason for placement change' }, value: { text: `${c.reasonPlacementChange} – ${reasonChangeInWords(c.reasonPlacementChange)}` } }] : []),
    ...(c.reasonEpisodeCeased ? [{ key: { text: 'Reason episode ceased' }, value: { text: `${c.reasonEpisodeCeased} – ${reasonCeasedInWords(c.reasonEpisodeCeased)}` } }] : []),
    ...(c.previousPlacementId ? [{ key: { text: 'Continues placement' }, value: { text: c.previousPlacementId } }] : []),
    { key: { text: 'Our placement id' }, value: { text: c.placementId } },
  ],
})}
<p class="govuk-body app-no-print">To print it, use your browser’s print (Ctrl and P): the menu and buttons are left off the paper.</p>`,
    });
  },
};
