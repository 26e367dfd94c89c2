import { addDays, monthOf, nextMonth, previousMonth, type Month } from '#lib/time/calendar';
import type { DocumentHeader } from './income';
import { computeKpis, type KpiReport } from './kpi-report';
import type { ClosedPeriod } from '#lib/time/period';
import { mattersTo, type KpiPlacement } from '#lib/placements';
import { section17JournalsFrom } from './section17';
import { inPool } from '#lib/pool';
import type { KpiSources } from './ports';

export type { KpiSources } from './ports';

/**
 * Reads what the KPIs need, by key or through indexes (never a scan), and
 * works them out: every home (estate byKind), every home's KPI book (one
 * item per home, lib/placements/kpi-book.ts: the placements, by key), the documents of the
 * invoicing runs that issue in the period (invoices byRun) and the journals
 * of the months from the start of the period's financial year (ledger
 * byPeriod), telling `onProgress` as they go.
 */

export interface KpiProgress {
  step: 'homes' | 'placements' | 'invoices' | 'journals';
  done: number;
  total: number;
}

/** Months whose run issues documents in the period: a run for month m issues them on the 1st of m + 1. */
export function runMonthsIssuingIn(period: ClosedPeriod): Month[] {
  const months: Month[] = [];
  for (let m = previousMonth(monthOf(period.from)); `${nextMonth(m)}-01` < period.to; m = nextMonth(m)) {
    if (`${nextMonth(m)}-01` >= period.from) months.push(m);
  }
  return months;
}

/** Months of journals read at once (a year's KPIs read twelve). */
const MONTHS_AT_ONCE = 12;

function monthsFrom(first: string, lastDay: string): Month[] {
  const months: Month[] = [];
  for (let m = monthOf(first); m <= monthOf(lastDay); m = nextMonth(m)) months.push(m);
  return months;
}

export class KpiService {
  constructor(private readonly sources: KpiSources) {}

  async kpis(period: ClosedPeriod, onProgress: (progress: KpiProgress) => void = () => undefined): Promise<KpiReport> {
    onProgress({ step: 'homes', done: 0, total: 1 });
    const homes = await this.sources.listHomes();
    onProgress({ step: 'homes', done: 1, total: 1 });

    // The books, the documents and the journals at once: none needs another.
    const placementsRead = (async () => {
      onProgress({ step: 'placements', done: 0, total: 1 });
      const placements = await this.sources.placementsOfHomes(homes.map((h) => h.id));
      onProgress({ step: 'placements', done: 1, total: 1 });
      return placements;
    })();
    const { documentsOfRun } = this.sources;
    const runs = runMonthsIssuingIn(period);
    const documentsRead: Promise<DocumentHeader[] | { unavailable: string }> = documentsOfRun
      ? inPool(runs, 4, documentsOfRun, (done) => onProgress({ step: 'invoices', done, total: runs.length })).then((d) => d.flat())
      : Promise.resolve({ unavailable: 'invoicing is not deployed with this stack: no invoices table to read' });
    const months = monthsFrom(section17JournalsFrom(period), addDays(period.to, -1));
    const journalsRead = inPool(months, MONTHS_AT_ONCE, (m) => this.sources.journalsInMonth(m), (done) => onProgress({ step: 'journals', done, total: months.length }));
    const [placements, documents, journals] = await Promise.all([placementsRead, documentsRead, journalsRead]);

    const placementsByBed = new Map(homes.flatMap((h) => h.beds.filter((b) => b.sellable).map((b): [string, KpiPlacement[]] => [b.id, []])));
    for (const p of placements) if (mattersTo(p, period)) placementsByBed.get(p.bedId)?.push(p);
    return computeKpis({ period, homes, placementsByBed, documents, journals: journals.flat() });
  }
}
