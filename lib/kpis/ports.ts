import type { Home } from '#lib/estate';
import type { Journal } from '#lib/ledger';
import type { KpiPlacement } from '#lib/placements';
import type { Month } from '#lib/time/calendar';
import type { DocumentHeader } from './income';

/** What the KPIs need from outside: the homes, their placements' KPI books, the ledger's Section 17 spends (or journals) and the runs' documents. */
export interface KpiSources {
  listHomes(): Promise<Home[]>;
  /** What the KPIs need of every placement ever made in these homes (their KPI books). */
  placementsOfHomes(homeIds: readonly string[]): Promise<KpiPlacement[]>;
  /** Each Section 17 account's debits less credits dated between two days (both included), from the ledger's balances… */
  section17SpendBetween?: (account: string, from: string, to: string) => Promise<number>;
  /** … or, where there are no balances to read, a month's journals. */
  journalsInMonth?: (month: Month) => Promise<Journal[]>;
  /** The documents a month's invoicing run issued; absent where invoicing is not deployed. */
  documentsOfRun?: (runMonth: Month) => Promise<DocumentHeader[]>;
}
