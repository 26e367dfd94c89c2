import * as z from '#lib/validation';
import { whenValid } from '#lib/validation';
import { KpiReport, kpisCsv, MAX_KPI_PERIOD_NIGHTS } from '#lib/kpis';
import { IsoDate } from '#lib/time/iso-date';
import { daysBetween } from '#lib/time/calendar';
import { READ_KPIS } from '#lib/api/access';
import { apiRoute } from '#lib/api/services';

/**
 * The council's KPIs for a period: `from` … `to` (exclusive, like every
 * period of nights here: `to` is the first day after it), as JSON or, with
 * `?format=csv`, one row per figure. Aggregates only: no child's data.
 */
export const kpiRoutes = [
  apiRoute({
    method: 'GET',
    path: '/api/kpis',
    roles: READ_KPIS,
    query: z.object({ from: IsoDate, to: IsoDate }).check(
      z.refine((q) => q.to > q.from, { ...whenValid, message: 'to must be after from (it is the first day after the period)', path: ['to'] }),
      z.refine((q) => daysBetween(q.from, q.to) <= MAX_KPI_PERIOD_NIGHTS, { ...whenValid, message: `at most ${MAX_KPI_PERIOD_NIGHTS} nights`, path: ['to'] }),
    ),
    response: KpiReport,
    renderAs: { csv: kpisCsv },
    handle: ({ query }, { kpis }) => kpis.kpis(query),
  }),
];
