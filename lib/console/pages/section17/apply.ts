import { SECTION17_APPLY_PAGES } from '#lib/console/access';
import { govukDetails, govukInsetText, govukTable } from '#lib/console/components/content';
import { govukDateInput, govukFieldset, govukHint, govukInput, govukRadios, govukTextarea } from '#lib/console/components/form';
import { money } from '#lib/console/format';
import { apiErrorsOnForm, dateFieldOf, FormErrors, parseDate, parsePounds, postForm, radioQuestion, type DateField } from '#lib/console/forms';
import { html, type Html } from '#lib/console/html';
import { field, redirect, type FormData } from '#lib/console/http';
import { ApiProblem } from '#lib/console/in-process-api';
import { page, respond, type ConsolePage, type PageContext } from '#lib/console/page';
import { AwardOnPage, capsInWords, categoryName, evidenceName, guidance, ladderInWords } from './awards';

/**
 * A social worker applies for a Section 17 award with the guidance in front
 * of them: each category's caps and evidence, and who decides what. The API
 * applies the guidance when it receives the application (a refusal comes
 * back with its reason, which the next page shows).
 */

interface Answers {
  childReference?: string | undefined;
  team?: string | undefined;
  category?: string | undefined;
  amount?: string | undefined;
  basis?: string | undefined;
  start: DateField;
  end: DateField;
  payeeType?: string | undefined;
  payeeReference?: string | undefined;
  evidenceReferences: Record<string, string | undefined>;
  justification?: string | undefined;
}

const EVIDENCE_TYPES = [...new Set(guidance.categories.flatMap((c) => c.evidence))];

/** Where each field of the API's request sits on this form. */
const PLACES = {
  childReference: { id: 'childReference', label: 'the child’s reference' },
  team: { id: 'team', label: 'your team' },
  category: { id: 'category', label: 'what it is for' },
  amountPence: { id: 'amount', label: 'the amount' },
  basis: { id: 'basis', label: 'how often it is paid' },
  startDate: { id: 'start-day', label: 'the date of the payment' },
  endDate: { id: 'end-day', label: 'the last payment date' },
  'payee.type': { id: 'payeeType', label: 'who is paid' },
  'payee.reference': { id: 'payeeReference', label: 'the payee’s reference' },
  evidence: { id: `evidence-${EVIDENCE_TYPES[0]}`, label: 'the evidence' },
  'evidence.reference': { id: `evidence-${EVIDENCE_TYPES[0]}`, label: 'the evidence reference' },
  justification: { id: 'justification', label: 'why it is needed' },
};

function answersFrom(form: FormData): Answers {
  return {
    childReference: field(form, 'childReference'),
    team: field(form, 'team'),
    category: field(form, 'category'),
    amount: field(form, 'amount'),
    basis: field(form, 'basis'),
    start: dateFieldOf(form, 'start'),
    end: dateFieldOf(form, 'end'),
    payeeType: field(form, 'payeeType'),
    payeeReference: field(form, 'payeeReference'),
    evidenceReferences: Object.fromEntries(EVIDENCE_TYPES.map((type) => [type, field(form, `evidence-${type}`)])),
    justification: field(form, 'justification'),
  };
}

function guidancePanel(): Html {
  return govukDetails({
    summaryText: 'What can be awarded, and who decides',
    open: true,
    html: html`${govukTable({
      caption: `Section 17 guidance (version ${guidance.version})`,
      captionClasses: 'govuk-table__caption--s',
      head: [{ text: 'Category' }, { text: 'Up to, each award', format: 'numeric' }, { text: 'Up to, each child a year', format: 'numeric' }, { text: 'Evidence needed' }],
      rows: guidance.categories.map((c) => [
        { text: categoryName(c.code) },
        { text: money(c.capPerAwardPence), format: 'numeric' },
        { text: c.capPerChildPerYearPence === undefined ? 'no cap' : money(c.capPerChildPerYearPence), format: 'numeric' },
        { text: c.evidence.map(evidenceName).join('; ') },
      ]),
    })}${govukInsetText({
      html: html`<p class="govuk-body">Who decides:</p><ul class="govuk-list govuk-list--bullet">${ladderInWords().map((line) => html`<li>${line}</li>`)}</ul><p class="govuk-body">Nobody decides their own application.</p>`,
    })}`,
  });
}

function form(ctx: PageContext, answers: Answers, errors: FormErrors): Html {
  return html`<h1 class="govuk-heading-l">Apply for Section 17 support</h1>
${guidancePanel()}
${postForm(ctx, '/section17/apply', { text: 'Submit application' }, html`${govukInput({ name: 'childReference', label: { text: 'Child’s reference', classes: 'govuk-label--s' }, hint: { text: 'The council’s reference for the child in need. Never a name.' }, value: answers.childReference, classes: 'govuk-input--width-20', spellcheck: false, errorMessage: errors.of('childReference') })}
${govukInput({ name: 'team', label: { text: 'Your team', classes: 'govuk-label--s' }, value: answers.team, classes: 'govuk-input--width-20', errorMessage: errors.of('team') })}
${govukRadios({
  name: 'category',
  fieldset: { legend: { text: 'What is it for?', classes: 'govuk-fieldset__legend--s' } },
  items: guidance.categories.map((c) => ({ value: c.code, text: categoryName(c.code), hint: { text: capsInWords(c) } })),
  value: answers.category,
  errorMessage: errors.of('category'),
})}
${govukInput({ name: 'amount', label: { text: 'Amount', classes: 'govuk-label--s' }, hint: { text: 'For weekly payments, the amount of each payment.' }, prefix: { text: '£' }, value: answers.amount, classes: 'govuk-input--width-10', inputmode: 'decimal', spellcheck: false, errorMessage: errors.of('amount') })}
${radioQuestion({ name: 'basis', legend: 'How often is it paid?', size: 's', choices: { 'one-off': 'Once', recurring: 'Every week' } }, answers.basis, errors)}
${govukDateInput({ id: 'start', namePrefix: 'start', values: answers.start, fieldset: { legend: { text: 'Date of the (first) payment', classes: 'govuk-fieldset__legend--s' } }, hint: { text: 'For example, 15 12 2026' }, errorMessage: errors.of('start-day') })}
${govukDateInput({ id: 'end', namePrefix: 'end', values: answers.end, fieldset: { legend: { text: 'Last payment date, for weekly payments', classes: 'govuk-fieldset__legend--s' } }, hint: { text: 'Leave it empty for a single payment. For example, 27 3 2027' }, errorMessage: errors.of('end-day') })}
${radioQuestion({ name: 'payeeType', legend: 'Who is paid?', size: 's', choices: { family: 'The family', supplier: 'A supplier', voucher: 'A voucher scheme' } }, answers.payeeType, errors)}
${govukInput({ name: 'payeeReference', label: { text: 'Payee’s reference', classes: 'govuk-label--s' }, hint: { text: 'The family’s payment reference, the supplier’s id or the voucher scheme. Never bank details.' }, value: answers.payeeReference, classes: 'govuk-input--width-20', spellcheck: false, errorMessage: errors.of('payeeReference') })}
${govukFieldset({
  legend: { text: 'Evidence', classes: 'govuk-fieldset__legend--s' },
  describedBy: 'evidence-hint',
  html: html`${govukHint({ id: 'evidence-hint', text: 'The reference in the case record of each document you have. The guidance above says which each category needs.' })}${EVIDENCE_TYPES.map((type) =>
    govukInput({ name: `evidence-${type}`, label: { text: evidenceName(type) }, value: answers.evidenceReferences[type], classes: 'govuk-input--width-20', spellcheck: false, errorMessage: errors.of(`evidence-${type}`) }),
  )}`,
})}
${govukTextarea({ name: 'justification', label: { text: 'Why is it needed?', classes: 'govuk-label--s' }, hint: { text: 'What the child needs and why Section 17 support is the right way to meet it.' }, value: answers.justification, errorMessage: errors.of('justification') })}`)}`;
}

export const applyPage: ConsolePage = {
  path: '/section17/apply',
  roles: SECTION17_APPLY_PAGES,
  async get(ctx) {
    return page({ title: 'Apply for Section 17 support', body: form(ctx, { start: {}, end: {}, evidenceReferences: {} }, new FormErrors()) });
  },
  async post(ctx, data) {
    const answers = answersFrom(data);
    const errors = new FormErrors();
    if (!answers.childReference) errors.add('childReference', 'Enter the child’s reference');
    if (!answers.team) errors.add('team', 'Enter your team');
    if (!answers.category) errors.add('category', 'Select what it is for');
    const amountPence = parsePounds(answers.amount);
    if (amountPence === undefined || amountPence === 0) errors.add('amount', answers.amount ? 'Enter the amount in pounds and pence, like 45.50' : 'Enter the amount');
    if (!answers.basis) errors.add('basis', 'Select how often it is paid');
    const start = parseDate(answers.start, 'date of the payment');
    if ('error' in start) errors.add('start-day', start.error);
    const end = answers.basis === 'recurring' || answers.end.day || answers.end.month || answers.end.year ? parseDate(answers.end, 'last payment date') : undefined;
    if (end && 'error' in end) errors.add('end-day', end.error);
    if (!answers.payeeType) errors.add('payeeType', 'Select who is paid');
    if (!answers.payeeReference) errors.add('payeeReference', 'Enter the payee’s reference');
    if (!answers.justification) errors.add('justification', 'Enter why it is needed');
    const again = () => page({ title: 'Apply for Section 17 support', body: form(ctx, answers, errors), errors: errors.summary() });
    if (errors.any) return again();

    const request = {
      childReference: answers.childReference,
      team: answers.team,
      category: answers.category,
      amountPence,
      basis: answers.basis,
      startDate: 'iso' in start ? start.iso : undefined,
      ...(end && 'iso' in end ? { endDate: end.iso } : {}),
      payee: { type: answers.payeeType, reference: answers.payeeReference },
      evidence: EVIDENCE_TYPES.flatMap((type) => (answers.evidenceReferences[type] ? [{ type, reference: answers.evidenceReferences[type] }] : [])),
      justification: answers.justification,
    };
    try {
      const award = await ctx.api.post('/api/section17/applications', AwardOnPage, request);
      return respond(redirect(ctx.href(`/section17/applications/${award.applicationId}?submitted=1`)));
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status >= 500 || error.status === 403) throw error;
      apiErrorsOnForm(error, PLACES, 'category', errors);
      return again();
    }
  },
};
