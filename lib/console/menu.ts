import type { Role } from '#lib/auth';
import {
  ESTATE_PAGES,
  FINANCE_PAGES,
  KPI_PAGES,
  OVERRIDES_PAGES,
  PLACEMENT_PAGES,
  SECTION17_APPLY_PAGES,
  SECTION17_DECIDE_PAGES,
  SECTION17_REPORT_PAGES,
} from './access';

/** One entry of the menu: a console path and who it is for. */
export interface MenuItem {
  text: string;
  path: string;
  roles: readonly Role[];
}

/** The menu, in the order shown, in groups by who they are for: each entry's text and path. */
const GROUPS: ReadonlyArray<readonly [roles: readonly Role[], entries: Readonly<Record<string, string>>]> = [
  [ESTATE_PAGES, { 'Estate board': '/estate', 'Void beds': '/void-beds' }],
  [PLACEMENT_PAGES, { Referrals: '/referrals' }],
  [SECTION17_APPLY_PAGES, { 'Apply for support': '/section17/apply', 'My applications': '/section17/mine' }],
  [SECTION17_DECIDE_PAGES, { 'Waiting for me': '/section17/waiting' }],
  [SECTION17_REPORT_PAGES, { 'Section 17 reports': '/section17/reports' }],
  [FINANCE_PAGES, { Invoicing: '/finance/runs', Invoices: '/finance/invoices', Ledger: '/finance/ledger' }],
  [OVERRIDES_PAGES, { Overrides: '/overrides' }],
  [KPI_PAGES, { KPIs: '/kpis' }],
];

/** The menu, in the order shown; each person sees the entries of their roles. */
export const MENU: readonly MenuItem[] = GROUPS.flatMap(([roles, entries]) => Object.entries(entries).map(([text, path]) => ({ text, path, roles })));

export function menuFor(roles: readonly Role[]): MenuItem[] {
  return MENU.filter((item) => item.roles.some((role) => roles.includes(role)));
}
