import * as z from '#lib/validation';
import { AwardView, pageOf } from '#lib/api';
import { DEFAULT_GUIDANCE, type Category } from '#lib/section17';
import { govukSummaryList, govukTag, type SummaryRow, type TagColour } from '#lib/console/components/content';
import { dateInWords, money, whenInWords, words } from '#lib/console/format';
import { html, type Html } from '#lib/console/html';
import { roleName } from '#lib/console/layout';

/**
 * What the Section 17 pages show of an award: the API's view (lib/api/routes/section17.ts), with
 * the fields some roles are not given (finance: the justification, the evidence and the reasons)
 * optional, and simply not shown.
 */
const { request, refusal, decisions } = AwardView.shape;
export const AwardOnPage = z.extend(AwardView, {
  request: z.partial(request, { evidence: true, justification: true }),
  refusal: z.optional(z.partial(refusal.def.innerType, { detail: true })),
  decisions: z.array(z.partial(decisions.def.element, { reason: true })),
});
export type AwardOnPage = z.infer<typeof AwardOnPage>;

export const AwardStatus = AwardView.shape.status;
export type AwardStatus = z.infer<typeof AwardStatus>;

export const AwardPage = pageOf(AwardOnPage);

const STATUS_TAGS: Record<AwardStatus, { text: string; colour: TagColour }> = {
  'awaiting-approval': { text: 'Waiting for a decision', colour: 'blue' },
  'awaiting-reapproval': { text: 'Waiting for re-approval', colour: 'light-blue' },
  approved: { text: 'Approved', colour: 'green' },
  refused: { text: 'Refused', colour: 'red' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
};

export const statusTag = (status: AwardStatus): Html => govukTag(STATUS_TAGS[status]);

/** What each evidence type is called on the page. */
const EVIDENCE_NAMES: Record<string, string> = {
  'child-in-need-assessment': 'Child in need assessment',
  'contact-plan': 'Contact plan',
  'nrpf-assessment': 'No Recourse to Public Funds assessment',
  'written-justification': 'Written justification',
  'court-direction-or-care-plan': 'Court direction or care plan',
  'legal-services-referral': 'Referral from legal services',
};

export const evidenceName = (type: string): string => EVIDENCE_NAMES[type] ?? words(type);

const CATEGORY_NAMES: Record<string, string> = {
  CLOTHING: 'Clothing',
  UTILITIES: 'Utilities and meter top-ups',
  FOOD: 'Food',
  CONTACT_TRAVEL: 'Travel for family contact',
  NRPF_SUBSISTENCE: 'No Recourse to Public Funds: subsistence',
  NRPF_ACCOMMODATION: 'No Recourse to Public Funds: accommodation',
  OTHER_DISCRETIONARY: 'Other discretionary support',
  INDEPENDENT_SOCIAL_WORKER: 'Independent social worker',
  PSYCHIATRIST: 'Psychiatrist',
  PSYCHOLOGIST: 'Psychologist',
  TOXICOLOGY: 'Toxicology or hair-strand testing',
  COUNSEL: 'Counsel',
  OTHER_EXPERT: 'Other expert',
};

export const categoryName = (code: string): string => CATEGORY_NAMES[code] ?? words(code);

/** The guidance in force (lib/reference-data/section17-guidance.json): read, never restated. */
export const guidance = DEFAULT_GUIDANCE;

/** Who decides an amount, in words, from the guidance's authorisation ladder. */
export function ladderInWords(): string[] {
  let from = 0;
  return guidance.authorisation.map((tier) => {
    const who = roleName(tier.role);
    const text = tier.upToPence === null ? `${who}: above ${money(from)}, and all professional fees` : `${who}: up to ${money(tier.upToPence)}`;
    from = tier.upToPence ?? from;
    return text;
  });
}

export function capsInWords(category: Category): string {
  const perChild = category.capPerChildPerYearPence === undefined ? '' : `, ${money(category.capPerChildPerYearPence)} a child a year`;
  const evidence = category.evidence.length > 0 ? `. Evidence: ${category.evidence.map(evidenceName).join('; ')}` : '';
  return `Up to ${money(category.capPerAwardPence)} an award${perChild}${evidence}${category.alwaysHeadOfService ? '. Decided by the head of service' : ''}.`;
}

export function awardSummary(award: AwardOnPage): Html {
  const r = award.request;
  const rows: SummaryRow[] = [
    { key: { text: 'Status' }, value: { html: statusTag(award.status) } },
    { key: { text: 'Child’s reference' }, value: { text: r.childReference } },
    { key: { text: 'Team' }, value: { text: r.team } },
    { key: { text: 'Category' }, value: { text: categoryName(r.category) } },
    { key: { text: 'Amount' }, value: { text: `${money(r.amountPence)}${r.basis === 'recurring' ? ' a week' : ''}` } },
    {
      key: { text: 'When' },
      value: { text: r.basis === 'recurring' ? `Weekly from ${dateInWords(r.startDate)} to ${dateInWords(r.endDate ?? r.startDate)}` : `Once, on ${dateInWords(r.startDate)}` },
    },
    { key: { text: 'Paid to' }, value: { text: `${words(r.payee.type)}: ${r.payee.reference}` } },
  ];
  if (r.evidence) {
    rows.push({
      key: { text: 'Evidence' },
      value: r.evidence.length > 0 ? { html: html`<ul class="govuk-list">${r.evidence.map((e) => html`<li>${evidenceName(e.type)}: ${e.reference}</li>`)}</ul>` } : { text: 'None given' },
    });
  }
  if (r.justification !== undefined) rows.push({ key: { text: 'Why it is needed' }, value: { text: r.justification } });
  rows.push({ key: { text: 'Applied by' }, value: { text: `${award.applicant.name} on ${whenInWords(award.submittedAt)}` } });
  if (award.status === 'awaiting-approval' || award.status === 'awaiting-reapproval') {
    rows.push({ key: { text: 'To be decided by' }, value: { text: `${roleName(award.period.requiredRole)} (this period: ${money(award.period.valuePence)})` } });
  }
  return govukSummaryList({ rows });
}

export function decisionsList(award: AwardOnPage): Html {
  const refusal = award.refusal?.detail ? html`<h2 class="govuk-heading-m">Why it was refused</h2><p class="govuk-body">${award.refusal.detail}</p>` : '';
  if (award.decisions.length === 0) return html`${refusal}`;
  return html`${refusal}<h2 class="govuk-heading-m">Decisions</h2><ul class="govuk-list">${award.decisions.map(
    (d) =>
      html`<li class="govuk-!-margin-bottom-4"><strong>${d.decision === 'approve' ? 'Approved' : d.decision === 'refuse' ? 'Refused' : words(d.decision)}</strong> by ${d.by.name} (${roleName(
        d.role,
      )}) on ${whenInWords(d.at)}${d.reason === undefined ? '' : html`<br>Reason: ${d.reason}`}</li>`,
  )}</ul>`;
}
