/**
 * The Section 17 context's front door: applications and decisions as submitted, awards, the
 * guidance, the spend reports, and the service. What it needs is in ports.ts.
 */
export { ApplicationRequest, DecisionRequest } from './application';
export type { Award, AwardStatus } from './award';
export { APPROVER_LADDER, ApproverRole, Category, DEFAULT_GUIDANCE, Guidance, categoryOf } from './guidance';
export { budgetReport, section17Spend, spendReport } from './ledger-reports';
export { DECIDED_STATUSES, SECTION17_ACCOUNTS, againstBudgetAndBaseline, againstBudgetFromSpend, decisionStats, spendLines, sumBy, type AgainstBudget, type DecisionStats, type Dimension, type SpendLine } from './report';
export { Section17Service } from './section17-service';
