import type { Home } from '#lib/estate';
import type { Journal } from '#lib/ledger';
import type { KpiPlacement } from '#lib/placements';
import type { Month } from '#lib/time/calendar';
import type { DocumentHeader } from './income';

/** What the KPIs need from outside: the homes, their placements' KPI books, the ledger's journals and the runs' documents. */
export interface KpiSources {
  listHomes(): Promise<Home[]>;
  /** What the KPIs need of every placement ever made in these homes (their KPI books). */
  placementsOfHomes(homeIds: readonly string[]): Promise<KpiPlacement[]>;
  journalsInMonth(month: Month): Promise<Journal[]>;
  /** The documents a month's invoicing run issued; absent where invoicing is not deployed. */
  documentsOfRun?: (runMonth: Month) => Promise<DocumentHeader[]>;
}
