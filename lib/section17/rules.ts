import { addDays, daysBetween, financialYearOf } from '#lib/time/calendar';
import { formatPence } from '#lib/money';
import type { ApplicationRequest } from './application';
import { APPROVER_LADDER, categoryOf, type ApproverRole, type Category, type Guidance } from './guidance';

/** The guidance rules an application can break, in the order they are checked. */
export type RefusalRule = 'category-not-allowed' | 'missing-evidence' | 'over-award-cap' | 'over-child-yearly-cap';

export type GuidanceCheck =
  | { ok: true; category: Category; periodValuePence: number; inYearPence: number; financialYear: number; requiredRole: ApproverRole; approvedUntil: string }
  | { ok: false; rule: RefusalRule; detail: string };

/** Payment dates of a weekly award from `from` to `to` inclusive. */
export function weeklyPayments(from: string, to: string): string[] {
  const count = Math.floor(daysBetween(from, to) / 7) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => addDays(from, i * 7));
}

/**
 * The stretch of an award one approval covers: a one-off is its one payment;
 * a recurring award runs `reapprovalWeeks` at a time until its end date.
 */
export function approvalPeriod(app: Pick<ApplicationRequest, 'basis' | 'endDate'>, from: string, guidance: Guidance) {
  if (app.basis === 'one-off') return { payments: [from], until: from };
  const periodEnd = addDays(from, guidance.reapprovalWeeks * 7 - 1);
  const until = app.endDate! < periodEnd ? app.endDate! : periodEnd;
  return { payments: weeklyPayments(from, until), until };
}

/** The role the guidance requires to authorise `valuePence` of a category. */
export function requiredRole(valuePence: number, category: Category, guidance: Guidance): ApproverRole {
  if (category.alwaysHeadOfService) return 'head-of-service';
  const tier = guidance.authorisation.find((t) => t.upToPence === null || valuePence <= t.upToPence);
  return tier!.role;
}

/** The most senior approver role a caller holds, if any. */
export function seniorRole(roles: readonly string[]): ApproverRole | undefined {
  return [...APPROVER_LADDER].reverse().find((r) => roles.includes(r));
}

export function mayAuthorise(roles: readonly string[], required: ApproverRole): boolean {
  const senior = seniorRole(roles);
  return senior !== undefined && APPROVER_LADDER.indexOf(senior) >= APPROVER_LADDER.indexOf(required);
}

/**
 * Applies the guidance to an application the moment it is submitted.
 * `childSpendInYearPence` is what the child has already been awarded in the
 * financial year of the first payment (approved or awaiting approval).
 */
export function checkGuidance(app: ApplicationRequest, guidance: Guidance, childSpendInYearPence: number): GuidanceCheck {
  const category = categoryOf(guidance, app.category);
  if (!category) {
    return { ok: false, rule: 'category-not-allowed', detail: `${app.category} is not a category guidance ${guidance.version} allows` };
  }
  const provided = new Set(app.evidence.map((e) => e.type));
  const missing = category.evidence.filter((type) => !provided.has(type));
  if (missing.length > 0) {
    return { ok: false, rule: 'missing-evidence', detail: `${category.code} needs evidence: ${missing.join(', ')}` };
  }
  if (app.amountPence > category.capPerAwardPence) {
    return {
      ok: false,
      rule: 'over-award-cap',
      detail: `${formatPence(app.amountPence)} is over the ${category.code} cap of ${formatPence(category.capPerAwardPence)} per award`,
    };
  }
  const { payments, until } = approvalPeriod(app, app.startDate, guidance);
  const year = financialYearOf(app.startDate);
  const inYear = payments.filter((d) => financialYearOf(d) === year).length * app.amountPence;
  if (category.capPerChildPerYearPence !== undefined && childSpendInYearPence + inYear > category.capPerChildPerYearPence) {
    return {
      ok: false,
      rule: 'over-child-yearly-cap',
      detail: `with ${formatPence(childSpendInYearPence)} already awarded this year, ${formatPence(inYear)} more is over the ${category.code} cap of ${formatPence(category.capPerChildPerYearPence)} per child per year`,
    };
  }
  const periodValuePence = payments.length * app.amountPence;
  return { ok: true, category, periodValuePence, inYearPence: inYear, financialYear: year, requiredRole: requiredRole(periodValuePence, category, guidance), approvedUntil: until };
}
