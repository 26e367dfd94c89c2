import { ALL_ROLES, type Role } from '#lib/auth';
import { DECIDE_PLACEMENTS, READ_KPIS, READ_OVERRIDES, RUN_INVOICING } from '#lib/api';

/**
 * Which roles each group of console pages is for. A page may be opened only
 * by these roles (anyone else gets the 403 page), and its menu entry shows
 * only to them. They never widen the API's own access (lib/api/access.ts):
 * every page reaches the domain through the API's routes, which check again.
 */

/** The estate board, homes and void-bed alerts: the managers who run homes and the placements team. */
export const ESTATE_PAGES: readonly Role[] = ['residential-manager', 'placements-officer', 'service-manager', 'head-of-service'];

/** Referrals, proposals and placement decisions. */
export const PLACEMENT_PAGES: readonly Role[] = DECIDE_PLACEMENTS;

/** Applying for Section 17 support and following one's own applications. */
export const SECTION17_APPLY_PAGES: readonly Role[] = ['social-worker'];

/** Deciding Section 17 applications at one's tier of the ladder. */
export const SECTION17_DECIDE_PAGES: readonly Role[] = ['team-manager', 'service-manager', 'head-of-service'];

/** Section 17 spend against budget and the 2016/17 baseline. */
export const SECTION17_REPORT_PAGES: readonly Role[] = ['team-manager', 'service-manager', 'head-of-service', 'finance'];

/** Invoicing runs, invoices and credit notes, the trial balance and the GL export. */
export const FINANCE_PAGES: readonly Role[] = RUN_INVOICING;

/** The KPIs: aggregates only, for every role the API shows them to. */
export const KPI_PAGES: readonly Role[] = READ_KPIS;

/** The report of the hard rules overridden: the head of service, who alone gives overrides. */
export const OVERRIDES_PAGES: readonly Role[] = READ_OVERRIDES;

/** The home page: anyone signed in with one of our roles. */
export const EVERY_ROLE: readonly Role[] = ALL_ROLES;
