import type { Role } from '#lib/auth';

/**
 * Who may call what (docs/roles-and-fields.md is generated from the routes
 * that use these). Placement decisions are for the managers who run homes
 * and the placements team; estate changes for those who run homes; finance
 * reads the estate, occupancy and the confirmations that carry prices, but
 * not children's referrals. Social workers work on our own children's
 * Section 17 support: they apply, and see the applications they made.
 */

/** Offer, accept, decline, admit, end, move. */
export const DECIDE_PLACEMENTS: readonly Role[] = ['residential-manager', 'placements-officer', 'service-manager', 'head-of-service'];

/** Create and change homes, beds and out-of-use periods. */
export const EDIT_ESTATE: readonly Role[] = ['residential-manager', 'service-manager', 'head-of-service'];

/** Referrals and their proposals: children's details. */
export const READ_REFERRALS: readonly Role[] = [...DECIDE_PLACEMENTS, 'team-manager'];

/** Homes, prices, occupancy and void nights. */
export const READ_ESTATE: readonly Role[] = [...DECIDE_PLACEMENTS, 'team-manager', 'finance'];

/** Placements and the 903 confirmation (agreed prices, purchase orders). */
export const READ_PLACEMENTS: readonly Role[] = [...DECIDE_PLACEMENTS, 'finance'];

/** The council's KPIs (aggregates only): the managers and finance. */
export const READ_KPIS: readonly Role[] = ['residential-manager', 'team-manager', 'service-manager', 'head-of-service', 'finance'];

/** Invoices and credit notes: the same people who see agreed prices and purchase orders. */
export const READ_INVOICES: readonly Role[] = READ_PLACEMENTS;

/** Load the estate and its placements at go-live (the import sets prices that invoices charge). */
export const IMPORT_ESTATE: readonly Role[] = ['finance'];

/** Ask for a month's invoicing run. */
export const RUN_INVOICING: readonly Role[] = ['finance'];

/** Journals, the trial balance and the GL export. */
export const READ_LEDGER: readonly Role[] = ['finance', 'service-manager', 'head-of-service'];

/** Section 17: apply for support (and ask for a recurring award's next period). */
export const APPLY_SECTION17: readonly Role[] = ['social-worker', 'team-manager', 'service-manager', 'head-of-service'];

/** Section 17: decide, cancel and reduce awards, by the authorisation ladder. */
export const DECIDE_SECTION17: readonly Role[] = ['team-manager', 'service-manager', 'head-of-service'];

/** Section 17 applications: applicants (social workers see only their own), approvers and finance. */
export const READ_SECTION17: readonly Role[] = [...APPLY_SECTION17, 'finance'];

/** Section 17 spend, budget and decision reports. */
export const REPORT_SECTION17: readonly Role[] = [...DECIDE_SECTION17, 'finance'];

/** Roles that see every Section 17 application; anyone else (a social worker) sees only the ones they made. */
export const SEE_ALL_SECTION17: readonly Role[] = [...DECIDE_SECTION17, 'finance'];

/** Which records of a list or read a role sees, where that is less than all (the routes enforce it; the docs list it). */
export const ROW_RULES: readonly { routes: readonly string[]; roles?: readonly Role[]; rule: string }[] = [
  {
    routes: ['GET /api/section17/applications', 'GET /api/section17/applications/{applicationId}'],
    roles: ['social-worker'],
    rule: 'a social worker (without an approver or finance role) sees only the applications they made; another\'s answers 404',
  },
  {
    routes: ['POST /api/section17/applications/{applicationId}/reapproval'],
    rule: 'only the applicant or someone who may approve the next period asks for it, and only in the 7 days before the approved period runs out',
  },
];

/** Overrides of the matcher's hard rules, by rule, person and month: the head of service, who alone may give them. */
export const READ_OVERRIDES: readonly Role[] = ['head-of-service'];
/** Re-send a document; record remittances and allocate them; import bank files. */
export const MANAGE_RECEIVABLES: readonly Role[] = ['finance'];
