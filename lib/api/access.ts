import type { Role } from '#lib/auth/roles';

/**
 * Who may call what. Placement decisions are for the managers who run homes
 * and the placements team; estate changes for those who run homes; finance
 * reads the estate, occupancy and the confirmations that carry prices, but
 * not children's referrals. Social workers work on our own children's
 * Section 17 support and have no part here.
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

/** Ask for a month's invoicing run. */
export const RUN_INVOICING: readonly Role[] = ['finance'];

/** Journals, the trial balance and the GL export. */
export const READ_LEDGER: readonly Role[] = ['finance', 'service-manager', 'head-of-service'];
