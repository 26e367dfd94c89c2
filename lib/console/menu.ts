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

/** The menu, in the order shown; each person sees the entries of their roles. */
export const MENU: readonly MenuItem[] = [
  { text: 'Estate board', path: '/estate', roles: ESTATE_PAGES },
  { text: 'Void beds', path: '/void-beds', roles: ESTATE_PAGES },
  { text: 'Referrals', path: '/referrals', roles: PLACEMENT_PAGES },
  { text: 'Apply for support', path: '/section17/apply', roles: SECTION17_APPLY_PAGES },
  { text: 'My applications', path: '/section17/mine', roles: SECTION17_APPLY_PAGES },
  { text: 'Waiting for me', path: '/section17/waiting', roles: SECTION17_DECIDE_PAGES },
  { text: 'Section 17 reports', path: '/section17/reports', roles: SECTION17_REPORT_PAGES },
  { text: 'Invoicing', path: '/finance/runs', roles: FINANCE_PAGES },
  { text: 'Invoices', path: '/finance/invoices', roles: FINANCE_PAGES },
  { text: 'Ledger', path: '/finance/ledger', roles: FINANCE_PAGES },
  { text: 'Overrides', path: '/overrides', roles: OVERRIDES_PAGES },
  { text: 'KPIs', path: '/kpis', roles: KPI_PAGES },
];

export function menuFor(roles: readonly Role[]): MenuItem[] {
  return MENU.filter((item) => item.roles.some((role) => roles.includes(role)));
}
