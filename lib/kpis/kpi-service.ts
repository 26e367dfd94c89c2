import type { Home } from '#lib/estate/schema';
import type { Journal } from '#lib/ledger/journal';
import type { Placement } from '#lib/placements/schema';
import { addDays, monthOf, nextMonth, previousMonth, type Month } from '#lib/time/calendar';
import type { DocumentHeader } from './income';
import { computeKpis, type KpiReport } from './kpi-report';
import type { ClosedPeriod } from '#lib/time/period';
import { section17JournalsFrom } from './section17';

/**
 * Reads what the KPIs need, by key or through indexes (never a scan), and
 * works them out: every home (estate byKind), each sellable bed's placements
 * sharing a night with the period (placements byBed), the documents of the
 * invoicing runs that issue in the period (invoices byRun) and the journals
 * of the months from the start of the period's financial year (ledger
 * byPeriod). Beds are read a few at a time, telling `onProgress` as they go.
 */

export interface KpiSources {
  listHomes(): Promise<Home[]>;
  /** A bed's placements that began before `to` and had not ended by `from`. */
  placementsOfBed(bedId: string, from: string, to: string): Promise<Placement[]>;
  journalsInMonth(month: Month): Promise<Journal[]>;
  /** The documents a month's invoicing run issued; absent where invoicing is not deployed. */
  documentsOfRun?: (runMonth: Month) => Promise<DocumentHeader[]>;
}

export interface KpiProgress {
  step: 'homes' | 'placements' | 'invoices' | 'journals';
  done: number;
  total: number;
}

/** Beds read at once. */
const CONCURRENCY = 16;

/** Months whose run issues documents in the period: a run for month m issues them on the 1st of m + 1. */
export function runMonthsIssuingIn(period: ClosedPeriod): Month[] {
  const months: Month[] = [];
  for (let m = previousMonth(monthOf(period.from)); `${nextMonth(m)}-01` < period.to; m = nextMonth(m)) {
    if (`${nextMonth(m)}-01` >= period.from) months.push(m);
  }
  return months;
}

function monthsFrom(first: string, lastDay: string): Month[] {
  const months: Month[] = [];
  for (let m = monthOf(first); m <= monthOf(lastDay); m = nextMonth(m)) months.push(m);
  return months;
}

async function inPool<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>, onDone: (done: number) => void): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
        onDone(++done);
      }
    }),
  );
  return results;
}

export class KpiService {
  constructor(private readonly sources: KpiSources) {}

  async kpis(period: ClosedPeriod, onProgress: (progress: KpiProgress) => void = () => undefined): Promise<KpiReport> {
    onProgress({ step: 'homes', done: 0, total: 1 });
    const homes = await this.sources.listHomes();
    onProgress({ step: 'homes', done: 1, total: 1 });

    const beds = homes.flatMap((h) => h.beds.filter((b) => b.sellable).map((b) => b.id));
    const placements = await inPool(beds, CONCURRENCY, (bedId) => this.sources.placementsOfBed(bedId, period.from, period.to), (done) =>
      onProgress({ step: 'placements', done, total: beds.length }),
    );
    const placementsByBed = new Map(beds.map((bedId, i) => [bedId, placements[i]!]));

    const { documentsOfRun } = this.sources;
    let documents: DocumentHeader[] | { unavailable: string };
    if (documentsOfRun) {
      const runs = runMonthsIssuingIn(period);
      documents = (await inPool(runs, 4, documentsOfRun, (done) => onProgress({ step: 'invoices', done, total: runs.length }))).flat();
    } else {
      documents = { unavailable: 'invoicing is not deployed with this stack: no invoices table to read' };
    }

    const months = monthsFrom(section17JournalsFrom(period), addDays(period.to, -1));
    const journals = (await inPool(months, 4, (m) => this.sources.journalsInMonth(m), (done) => onProgress({ step: 'journals', done, total: months.length }))).flat();

    return computeKpis({ period, homes, placementsByBed, documents, journals });
  }
}
