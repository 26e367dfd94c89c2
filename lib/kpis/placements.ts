import targets from '#data/targets.json' with { type: 'json' };
import codes from '#data/ssda903.json' with { type: 'json' };
import type { ReasonPlacementChange } from '#lib/codes/ssda903';
import type { KpiPlacement } from '#lib/placements';
import type { ClosedPeriod } from '#lib/time/period';

/**
 * Placements agreed, and how placements ended, over a period. Pure.
 *
 * - **Placements agreed**: admissions whose start date falls in the period.
 *   A move to another bed continues a placement (same child, same agreed
 *   price): it is not a new agreement and is not counted.
 * - **Endings**: placements whose end date (the leaving day) falls in the
 *   period and that carry an SSDA903 reason for placement change. Planned
 *   ones (the reason's code says so, or the manager did for LAREQ, PLACE,
 *   OTHER) are **planned move-ons**; unplanned ones are **breakdowns**. A
 *   move between beds of one home has no 903 reason and is counted apart.
 */

/** The business case's yearly targets (2018/19), shown beside the figures. */
export const YEARLY_TARGETS = { placementsAgreed: targets.kpis.placementsAgreed, plannedMoveOns: targets.kpis.plannedMoveOns };

const inPeriod = (date: string, period: ClosedPeriod) => date >= period.from && date < period.to;

export interface PlacementsAgreed {
  count: number;
  byPlacingAuthority: { laNumber: string; name: string; count: number }[];
  yearlyTarget: number;
}

export function placementsAgreed(placements: readonly KpiPlacement[], period: ClosedPeriod): PlacementsAgreed {
  const agreed = placements.filter((p) => p.movedFrom === undefined && inPeriod(p.startDate, period));
  const byLa = new Map<string, { laNumber: string; name: string; count: number }>();
  for (const p of agreed) {
    const entry = byLa.get(p.placingLa) ?? { laNumber: p.placingLa, name: p.placingAuthorityName, count: 0 };
    entry.count += 1;
    byLa.set(p.placingLa, entry);
  }
  return {
    count: agreed.length,
    byPlacingAuthority: [...byLa.values()].sort((a, b) => (a.laNumber < b.laNumber ? -1 : 1)),
    yearlyTarget: YEARLY_TARGETS.placementsAgreed,
  };
}

export interface Endings {
  total: number;
  plannedMoveOns: number;
  breakdowns: number;
  /** Bed moves within a home: no 903 change of placement. */
  movesWithinHome: number;
  byReason: { code: ReasonPlacementChange; label: string; planned: boolean; count: number }[];
  yearlyPlannedMoveOnsTarget: number;
}

export function endings(placements: readonly KpiPlacement[], period: ClosedPeriod): Endings {
  const ended = placements.filter((p) => p.ending !== undefined && inPeriod(p.ending.endDate, period));
  const changes = ended.filter((p) => p.ending!.reasonPlacementChange !== undefined);
  const byReason = new Map<string, Endings['byReason'][number]>();
  for (const p of changes) {
    const code = p.ending!.reasonPlacementChange!;
    const planned = p.ending!.planned === true;
    const key = `${code}#${planned}`;
    const entry = byReason.get(key) ?? { code, label: codes.reasonPlacementChange[code].label, planned, count: 0 };
    entry.count += 1;
    byReason.set(key, entry);
  }
  const plannedMoveOns = changes.filter((p) => p.ending!.planned === true).length;
  return {
    total: changes.length,
    plannedMoveOns,
    breakdowns: changes.length - plannedMoveOns,
    movesWithinHome: ended.length - changes.length,
    byReason: [...byReason.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : Number(b.planned) - Number(a.planned))),
    yearlyPlannedMoveOnsTarget: YEARLY_TARGETS.plannedMoveOns,
  };
}
