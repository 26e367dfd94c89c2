import { addDays, monthOf, nextMonth, previousMonth, type Month } from '#lib/time/calendar';
import type { DocumentHeader } from './income';
import { computeKpis, type KpiInput, type KpiReport } from './kpi-report';
import type { ClosedPeriod } from '#lib/time/period';
import type { KpiPlacement } from '#lib/placements';
import { plannedStay } from './occupancy';
import { section17JournalsFrom, section17Ranges } from './section17';
import { SECTION17_ACCOUNTS } from '#lib/section17';
import { inPool } from '#lib/pool';
import type { KpiSources } from './ports';

export type { KpiSources } from './ports';

/**
 * Reads what the KPIs need, by key or through indexes (never a scan), and
 * works them out: every home (estate byKind), every home's KPI book (one
 * item per home, lib/placements/kpi-book.ts: the placements, by key), the documents of the
 * invoicing runs that issue in the period (invoices byRun) and the Section 17
 * accounts' spends from the ledger's month and day balances (or, given only
 * journals, the journals of the months from the start of the period's
 * financial year), telling `onProgress` as they go.
 */

export interface KpiProgress {
  step: 'homes' | 'placements' | 'invoices' | 'journals' | 'ledger';
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

/**
 * What the KPIs of a period count: a placement with a night in the period, one whose leaving day is in
 * it (one that leaves on the first day has no night but its ending counts), and one the book still
 * showed open on the period's first morning though it had ended before (its end recorded late): its
 * bed's nights were planned (occupancy.ts `plannedStay`).
 */
function mattersTo(p: KpiPlacement, period: ClosedPeriod): boolean {
  if (p.startDate >= period.to) return false;
  if (p.ending === undefined || p.ending.endDate >= period.from) return true;
  const planned = plannedStay(p, period.from);
  return planned !== undefined && planned.to === undefined;
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
    const [placements, documents, section17] = await Promise.all([placementsRead, documentsRead, this.section17(period, onProgress)]);

    const placementsByBed = new Map(homes.flatMap((h) => h.beds.filter((b) => b.sellable).map((b): [string, KpiPlacement[]] => [b.id, []])));
    for (const p of placements) if (mattersTo(p, period)) placementsByBed.get(p.bedId)?.push(p);
    return computeKpis({ period, homes, placementsByBed, documents, ...section17 });
  }

  /** The Section 17 spends the KPIs need, from the ledger's balances (a few short reads) or else from the months' journals. */
  private async section17(period: ClosedPeriod, onProgress: (progress: KpiProgress) => void): Promise<Pick<KpiInput, 'journals' | 'section17Spend'>> {
    const { section17SpendBetween, journalsInMonth } = this.sources;
    if (section17SpendBetween) {
      const { inPeriod, years } = section17Ranges(period);
      const wanted = SECTION17_ACCOUNTS.flatMap((account) => [inPeriod, ...years].map((r) => ({ account, ...r })));
      onProgress({ step: 'ledger', done: 0, total: 1 });
      const spends = await Promise.all(wanted.map(async (w) => [`${w.account} ${w.from} ${w.to}`, await section17SpendBetween(w.account, w.from, w.to)] as const));
      onProgress({ step: 'ledger', done: 1, total: 1 });
      const byRange = new Map<string, number>(spends);
      return {
        section17Spend: (account, from, to) => {
          const pence = byRange.get(`${account} ${from} ${to}`);
          if (pence === undefined) throw new Error(`Section 17 spend on ${account} from ${from} to ${to} was not read`);
          return pence;
        },
      };
    }
    const months = journalsInMonth ? monthsFrom(section17JournalsFrom(period), addDays(period.to, -1)) : [];
    const journals = await inPool(months, MONTHS_AT_ONCE, (m) => journalsInMonth!(m), (done) => onProgress({ step: 'journals', done, total: months.length }));
    return { journals: journals.flat() };
  }
}
