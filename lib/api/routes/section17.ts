import { randomUUID } from 'node:crypto';
import { toCsv as csv } from '#lib/csv';
import * as z from '#lib/validation';
import { whenValid } from '#lib/validation';
import { hasAnyRole, type Caller } from '#lib/auth';
import { NotFound } from '#lib/errors';
import { ApplicationRequest, DECIDED_STATUSES, DecisionRequest, budgetReport, decisionStats, spendReport, type Award } from '#lib/section17';
import { monthsBetween } from '#lib/time/calendar';
import { MonthSchema } from '#lib/invoicing';
import { IsoDate } from '#lib/time/iso-date';
import { APPLY_SECTION17, DECIDE_SECTION17, READ_SECTION17, REPORT_SECTION17, SEE_ALL_SECTION17 } from '#lib/api/access';
import { apiRoute } from '#lib/api/services';
import { Cursor, Limit, pageOf, QueryInt } from '#lib/api/paging';
import { decodeCursor, encodeCursor } from '#lib/http';

/** Social workers apply; managers decide by the ladder; finance reads and reports. */
const APPLY = APPLY_SECTION17;
const DECIDE = DECIDE_SECTION17;
const READ = READ_SECTION17;
const REPORT = REPORT_SECTION17;

const AwardId = z.object({ applicationId: z.uuid() });
const ActorView = z.object({ subject: z.string(), name: z.string(), roles: z.array(z.string()) });

export const AwardView = z.object({
  applicationId: z.string(),
  status: z.enum(['refused', 'awaiting-approval', 'approved', 'awaiting-reapproval', 'cancelled']),
  request: z.object({
    childReference: z.string(),
    team: z.string(),
    category: z.string(),
    amountPence: z.int(),
    basis: z.enum(['one-off', 'recurring']),
    startDate: z.string(),
    endDate: z.optional(z.string()),
    payee: z.object({ type: z.string(), reference: z.string() }),
    evidence: z.array(z.object({ type: z.string(), reference: z.string() })),
    justification: z.string(),
  }),
  applicant: ActorView,
  submittedAt: z.string(),
  refusal: z.optional(z.object({ rule: z.string(), detail: z.string() })),
  period: z.object({ index: z.int(), from: z.string(), until: z.string(), valuePence: z.int(), requiredRole: z.string() }),
  decisions: z.array(
    z.object({ decision: z.string(), by: ActorView, role: z.string(), at: z.string(), reason: z.string(), guidanceVersion: z.string() }),
  ),
  postings: z.array(z.object({ journal: z.string(), pence: z.int(), reversedBy: z.optional(z.string()) })),
});

/**
 * An award as finance sees it: who is paid what, when, from which budget,
 * and who decided; not the social worker's justification, the evidence
 * references, nor the reasons given for decisions and refusals.
 */
const FinanceAwardView = z.extend(z.pick(AwardView, { applicationId: true, status: true, applicant: true, submittedAt: true, period: true, postings: true }), {
  request: z.pick(AwardView.shape.request, { childReference: true, team: true, category: true, amountPence: true, basis: true, startDate: true, endDate: true, payee: true }),
  refusal: z.optional(z.pick(AwardView.shape.refusal.def.innerType, { rule: true })),
  decisions: z.array(z.pick(AwardView.shape.decisions.def.element, { decision: true, by: true, role: true, at: true, guidanceVersion: true })),
});
const AWARD_NARROWER = [{ name: 'finance', roles: ['finance'], schema: FinanceAwardView }] as const;

/** Social workers see the applications they made; approvers and finance see all. */
const seesAll = (caller: Caller) => hasAnyRole(caller, SEE_ALL_SECTION17);

function awardView(award: Award): z.input<typeof AwardView> {
  return {
    ...award,
    decisions: award.decisions.map(({ decision, by, role, at, reason, guidanceVersion }) => ({ decision, by, role, at, reason, guidanceVersion })),
    postings: award.postings.map((p) => ({
      journal: p.journal.idempotencyKey,
      pence: p.journal.lines.reduce((s, l) => s + l.debitPence, 0),
      ...(p.reversedBy ? { reversedBy: p.reversedBy } : {}),
    })),
  };
}

const SpendReport = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(['account', 'category', 'team', 'child', 'month']),
  rows: z.array(z.object({ key: z.string(), pence: z.int() })),
  totalPence: z.int(),
});

export const section17Routes = [
  apiRoute({
    method: 'POST',
    path: '/api/section17/applications',
    roles: APPLY,
    status: 201,
    body: ApplicationRequest,
    response: AwardView,
    async handle({ body, caller }, { section17 }) {
      return awardView(await section17.apply(randomUUID(), body, caller));
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/section17/applications',
    roles: READ,
    query: z.strictObject({
      status: z._default(z.enum(['refused', 'awaiting-approval', 'approved', 'awaiting-reapproval', 'cancelled']), 'awaiting-approval'),
      financialYear: QueryInt(2000, 2099),
      limit: Limit,
      cursor: Cursor,
    }),
    response: pageOf(AwardView),
    narrower: [{ name: 'finance', roles: ['finance'], schema: pageOf(FinanceAwardView) }],
    async handle({ query, caller }, { section17 }) {
      const applicant = seesAll(caller) ? undefined : caller.subject;
      const scope = {
        keys: { pk: 'any', sk: 'any', gsi1pk: { equals: `STATUS#${query.status}` }, gsi1sk: { startsWith: `FY${query.financialYear}#` } },
        filter: { applicant },
      } as const;
      const page = await section17.list(query.status, query.financialYear, decodeCursor(query.cursor, scope), query.limit, applicant);
      const cursor = encodeCursor(page.cursor, scope);
      return { items: page.awards.map(awardView), ...(cursor ? { cursor } : {}) };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/section17/applications/{applicationId}',
    roles: READ,
    params: AwardId,
    response: AwardView,
    narrower: AWARD_NARROWER,
    async handle({ params, caller }, { section17 }) {
      const { award } = await section17.get(params.applicationId);
      if (!seesAll(caller) && award.applicant.subject !== caller.subject) throw new NotFound('application');
      return awardView(award);
    },
  }),
  apiRoute({
    method: 'POST',
    path: '/api/section17/applications/{applicationId}/decision',
    roles: DECIDE,
    params: AwardId,
    body: DecisionRequest,
    response: AwardView,
    async handle({ params, body, caller }, { section17 }) {
      return awardView(await section17.decide(params.applicationId, caller, body));
    },
  }),
  apiRoute({
    method: 'POST',
    path: '/api/section17/applications/{applicationId}/reapproval',
    roles: APPLY,
    params: AwardId,
    body: z.strictObject({}),
    response: AwardView,
    async handle({ params, caller }, { section17 }) {
      return awardView(await section17.reapproval(params.applicationId, caller));
    },
  }),
  apiRoute({
    method: 'POST',
    path: '/api/section17/applications/{applicationId}/cancellation',
    roles: DECIDE,
    params: AwardId,
    body: z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)) }),
    response: AwardView,
    async handle({ params, body, caller }, { section17 }) {
      return awardView(await section17.cancel(params.applicationId, caller, body.reason));
    },
  }),
  apiRoute({
    method: 'POST',
    path: '/api/section17/applications/{applicationId}/reduction',
    roles: DECIDE,
    params: AwardId,
    body: z.strictObject({ amountPence: z.int().check(z.gte(1)), reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)) }),
    response: AwardView,
    async handle({ params, body, caller }, { section17 }) {
      return awardView(await section17.reduce(params.applicationId, caller, body.amountPence, body.reason));
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/section17/reports/spend',
    roles: REPORT,
    query: z.strictObject({ from: MonthSchema, to: MonthSchema, by: z._default(z.enum(['account', 'category', 'team', 'child', 'month']), 'category') }).check(z.refine((q) => q.from <= q.to && monthsBetween(q.from, q.to) < 24, {
        ...whenValid,
        message: 'to must be on or after from, and at most 24 months later',
        path: ['to'],
      })),
    response: SpendReport,
    renderAs: { csv: (r) => csv([r.by, 'pence'], r.rows.map((row) => [row.key, row.pence])) },
    async handle({ query }, { ledger }) {
      return { ...query, ...(await spendReport(ledger, query.from, query.to, query.by)) };
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/section17/reports/budget',
    roles: REPORT,
    query: z.strictObject({ asAt: IsoDate }),
    response: z.object({
      financialYear: z.int(),
      asAt: z.string(),
      accounts: z.array(z.object({ account: z.string(), spendPence: z.int(), budgetPence: z.nullable(z.int()), baselineToDatePence: z.int(), savingsToDatePence: z.int() })),
      savingsTarget: z.object({ account: z.string(), pence: z.int(), achievedPence: z.int() }),
    }),
    renderAs: {
      csv: (r) => csv(['account', 'spend_pence', 'budget_pence', 'baseline_to_date_pence', 'savings_to_date_pence'], r.accounts.map((a) => [a.account, a.spendPence, a.budgetPence ?? '', a.baselineToDatePence, a.savingsToDatePence])),
    },
    async handle({ query }, { ledger }) {
      return budgetReport(ledger, query.asAt);
    },
  }),
  apiRoute({
    method: 'GET',
    path: '/api/section17/reports/decisions',
    roles: REPORT,
    query: z.strictObject({ financialYear: QueryInt(2000, 2099) }),
    response: z.object({
      financialYear: z.int(),
      refusedByRule: z.array(z.object({ rule: z.string(), count: z.int(), pence: z.int() })),
      approvedByRole: z.array(z.object({ role: z.string(), count: z.int(), pence: z.int() })),
    }),
    renderAs: {
      csv: (r) => csv(['kind', 'name', 'count', 'pence'], [...r.refusedByRule.map((x) => ['refused', x.rule, x.count, x.pence]), ...r.approvedByRole.map((x) => ['approved', x.role, x.count, x.pence])]),
    },
    async handle({ query }, { section17 }) {
      const awards = await section17.allInYear(DECIDED_STATUSES, query.financialYear);
      return { financialYear: query.financialYear, ...decisionStats(awards) };
    },
  }),
];
