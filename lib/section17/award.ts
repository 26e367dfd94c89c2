import { Conflict, Refused } from '#lib/errors';
import { addDays, londonDateAt } from '#lib/time/calendar';
import { ACCOUNTS, contraOf, Journal, total } from '#lib/ledger';
import type { ApplicationRequest, DecisionRequest } from './application';
import { categoryOf, type ApproverRole, type Category, type Guidance } from './guidance';
import { approvalPeriod, checkGuidance, mayAuthorise, requiredRole, seniorRole, weeklyPayments, type RefusalRule } from './rules';

/** Who did something, from their token: never from a request body. */
export interface Actor {
  subject: string;
  name: string;
  roles: string[];
}

export type AwardStatus = 'refused' | 'awaiting-approval' | 'approved' | 'awaiting-reapproval' | 'cancelled';

export interface Decision {
  decision: 'approve' | 'refuse' | 'cancel' | 'reduce';
  by: Actor;
  /** The role the decision was taken in. */
  role: ApproverRole | 'applicant' | 'guidance';
  at: string;
  reason: string;
  guidanceVersion: string;
  period?: { from: string; until: string; valuePence: number };
}

export interface Posting {
  journal: Journal;
  /** The payments it commits: the journal's amount is their sum. */
  payments: { date: string; amountPence: number }[];
  /** The contra journal that reversed it, if any. */
  reversedBy?: string;
}

export interface Award {
  applicationId: string;
  request: ApplicationRequest;
  applicant: Actor;
  submittedAt: string;
  status: AwardStatus;
  refusal?: { rule: RefusalRule | 'refused-by-approver'; detail: string };
  /** The approval period awaiting a decision, or last approved. */
  period: { index: number; from: string; until: string; valuePence: number; requiredRole: ApproverRole };
  decisions: Decision[];
  postings: Posting[];
}

/** The caller may decide Section 17 applications, but not this one. */
export class AwardForbidden extends Refused {
  constructor(
    readonly code: 'self-approval' | 'insufficient-role' | 'not-applicant-or-approver',
    message: string,
  ) {
    super(code, message);
  }
}

export class AwardConflict extends Conflict {
  constructor(message: string, reason = 'award-conflict') {
    super(reason, message);
  }
}

/** Submission: the guidance is applied at once. A refused application is kept (for reporting) and posts nothing. */
export function submit(applicationId: string, request: ApplicationRequest, applicant: Actor, guidance: Guidance, childSpendInYearPence: number, at: string): Award {
  const check = checkGuidance(request, guidance, childSpendInYearPence);
  const base = { applicationId, request, applicant, submittedAt: at, decisions: [], postings: [] };
  if (!check.ok) {
    return {
      ...base,
      status: 'refused',
      refusal: { rule: check.rule, detail: check.detail },
      period: { index: 0, from: request.startDate, until: request.startDate, valuePence: 0, requiredRole: 'team-manager' },
      decisions: [{ decision: 'refuse', by: applicant, role: 'guidance', at, reason: check.detail, guidanceVersion: guidance.version }],
    };
  }
  return {
    ...base,
    status: 'awaiting-approval',
    period: { index: 1, from: request.startDate, until: check.approvedUntil, valuePence: check.periodValuePence, requiredRole: check.requiredRole },
  };
}

/** The journal an approved period posts: debit the category's account, credit creditors (a supplier) or bank. */
export function journalFor(award: Award, category: Category, date: string): Journal {
  const analysis = { team: award.request.team, category: category.code, child: award.request.childReference, payee: award.request.payee.type };
  const value = award.period.valuePence;
  return Journal.parse({
    idempotencyKey: `s17:${award.applicationId}:${award.period.index}`,
    date,
    description: `Section 17 ${category.code} award ${award.applicationId}, period ${award.period.index} (${award.period.from} to ${award.period.until})`,
    source: { type: 'section17-award', id: award.applicationId },
    lines: [
      { account: category.account, debitPence: value, analysis },
      { account: award.request.payee.type === 'supplier' ? ACCOUNTS.creditorsControl : ACCOUNTS.bank, creditPence: value, analysis },
    ],
  });
}

/**
 * An approver's decision on the period awaiting one. Roles come from the
 * caller's token; the applicant can never decide their own application.
 */
export function decide(award: Award, by: Actor, request: DecisionRequest, guidance: Guidance, at: string): { award: Award; journal?: Journal } {
  if (award.status !== 'awaiting-approval' && award.status !== 'awaiting-reapproval') {
    throw new AwardConflict(`the application is ${award.status}: there is nothing to decide`);
  }
  if (by.subject === award.applicant.subject) {
    throw new AwardForbidden('self-approval', 'an applicant cannot decide their own application');
  }
  if (!mayAuthorise(by.roles, award.period.requiredRole)) {
    throw new AwardForbidden('insufficient-role', `this decision needs a ${award.period.requiredRole} or more senior`);
  }
  const decision: Decision = {
    decision: request.decision,
    by,
    role: seniorRole(by.roles)!,
    at,
    reason: request.reason,
    guidanceVersion: guidance.version,
    period: { from: award.period.from, until: award.period.until, valuePence: award.period.valuePence },
  };
  if (request.decision === 'refuse') {
    return { award: { ...award, status: 'refused', refusal: { rule: 'refused-by-approver', detail: request.reason }, decisions: [...award.decisions, decision] } };
  }
  const category = categoryOf(guidance, award.request.category);
  if (!category) throw new AwardConflict(`guidance ${guidance.version} no longer allows ${award.request.category}`);
  const approved: Award = { ...award, status: 'approved', decisions: [...award.decisions, decision] };
  const journal = journalFor(approved, category, londonDateAt(Date.parse(at)));
  const dates = award.request.basis === 'one-off' ? [award.period.from] : weeklyPayments(award.period.from, award.period.until);
  const posting: Posting = { journal, payments: dates.map((date) => ({ date, amountPence: award.request.amountPence })) };
  return { award: { ...approved, postings: [...approved.postings, posting] }, journal };
}

/** A recurring award whose approved period has run out before its end date waits for re-approval. */
export function dueForReapproval(award: Award, today: string): boolean {
  return award.status === 'approved' && award.request.basis === 'recurring' && award.period.until < award.request.endDate! && today > addDays(award.period.until, -7);
}

/**
 * Opens the next approval period of a recurring award; its value sets the
 * role required again. Only the applicant or someone who approves Section 17
 * awards may ask, and only in the 7 days before the approved period runs out
 * (or after): weeks ahead, the need has not been looked at again.
 */
export function requestReapproval(award: Award, guidance: Guidance, by: Actor, today: string): Award {
  if (by.subject !== award.applicant.subject && seniorRole(by.roles) === undefined) {
    throw new AwardForbidden('not-applicant-or-approver', 'only the applicant or an approver may ask for the next period');
  }
  if (award.status !== 'approved' || award.request.basis !== 'recurring' || award.period.until >= award.request.endDate!) {
    throw new AwardConflict('the application has no further period to approve');
  }
  if (!dueForReapproval(award, today)) {
    throw new AwardConflict(`re-approval opens 7 days before the approved period ends: from ${addDays(award.period.until, -6)}`, 'reapproval-not-due');
  }
  const from = addDays(award.period.until, 1);
  const { payments, until } = approvalPeriod(award.request, from, guidance);
  const valuePence = payments.length * award.request.amountPence;
  const category = categoryOf(guidance, award.request.category)!;
  return {
    ...award,
    status: 'awaiting-reapproval',
    period: { index: award.period.index + 1, from, until, valuePence, requiredRole: requiredRole(valuePence, category, guidance) },
  };
}

/**
 * Restates a posting so that payments after `date` are worth `newAmountPence`
 * each (0 to cancel them): the posting is reversed by a contra journal and,
 * if anything was paid or is still owed, a replacement is posted. Journals
 * are never changed; payments already made are never unwound.
 */
function restate(award: Award, posting: Posting, newAmountPence: number, date: string, reason: string) {
  const payments = posting.payments.map((p) => (p.date <= date ? p : { ...p, amountPence: newAmountPence }));
  const value = payments.reduce((sum, p) => sum + p.amountPence, 0);
  if (posting.reversedBy || value === total(posting.journal.lines, 'debitPence')) return { posting, journals: [] as Journal[] };
  const contra = { ...contraOf(posting.journal, date, reason), source: { type: 'section17-adjustment' as const, id: award.applicationId } };
  const journals: Journal[] = [contra];
  let replacement: Posting | undefined;
  if (value > 0) {
    const lines = posting.journal.lines.map((l) => ({ ...l, debitPence: l.debitPence > 0 ? value : 0, creditPence: l.creditPence > 0 ? value : 0 }));
    const journal = Journal.parse({
      ...posting.journal,
      idempotencyKey: `${posting.journal.idempotencyKey}:restated:${date}`,
      date,
      description: `${posting.journal.description}, restated: ${reason}`.slice(0, 200),
      source: { type: 'section17-adjustment', id: award.applicationId },
      lines,
    });
    journals.push(journal);
    replacement = { journal, payments };
  }
  return { posting: { ...posting, reversedBy: contra.idempotencyKey }, replacement, journals };
}

function applyRestatement(award: Award, newAmountPence: number, at: string, reason: string) {
  const date = londonDateAt(Date.parse(at));
  const journals: Journal[] = [];
  const postings: Posting[] = [];
  for (const p of award.postings) {
    const result = restate(award, p, newAmountPence, date, reason);
    postings.push(result.posting);
    if (result.replacement) postings.push(result.replacement);
    journals.push(...result.journals);
  }
  return { postings, journals };
}

/** Cancelling stops every payment not yet made; what was paid stays paid. Nothing is deleted. */
export function cancel(award: Award, by: Actor, reason: string, guidanceVersion: string, at: string): { award: Award; journals: Journal[] } {
  if (award.status === 'cancelled' || award.status === 'refused') {
    throw new AwardConflict(`the application is already ${award.status}`);
  }
  const { postings, journals } = applyRestatement(award, 0, at, reason);
  const decision: Decision = { decision: 'cancel', by, role: seniorRole(by.roles) ?? 'applicant', at, reason, guidanceVersion };
  return { award: { ...award, status: 'cancelled', postings, decisions: [...award.decisions, decision] }, journals };
}

/** Reducing lowers every payment not yet made (this and later periods) to `amountPence`. */
export function reduce(award: Award, amountPence: number, by: Actor, reason: string, guidanceVersion: string, at: string): { award: Award; journals: Journal[] } {
  if (award.status !== 'approved' && award.status !== 'awaiting-reapproval') {
    throw new AwardConflict(`the application is ${award.status}: only an approved award can be reduced`);
  }
  if (amountPence <= 0 || amountPence >= award.request.amountPence) {
    throw new AwardConflict(`a reduction must be to less than ${award.request.amountPence} pence and more than 0; cancel to stop it`);
  }
  const { postings, journals } = applyRestatement(award, amountPence, at, reason);
  const decision: Decision = { decision: 'reduce', by, role: seniorRole(by.roles) ?? 'applicant', at, reason, guidanceVersion };
  return {
    award: { ...award, request: { ...award.request, amountPence }, postings, decisions: [...award.decisions, decision] },
    journals,
  };
}
