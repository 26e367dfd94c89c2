import targets from '#data/targets.json' with { type: 'json' };
import { divideHalfUp } from '#lib/money';
import type { Bed, Home } from '#lib/estate';
import type { KpiPlacement } from '#lib/placements';
import { daysBetween, londonDateAt, toEpochDay } from '#lib/time/calendar';
import type { ClosedPeriod } from '#lib/time/period';

/**
 * Occupancy of the council's sellable beds over a period, in bed nights, to
 * the night. Pure.
 *
 * - A **sellable bed night** is a night of a bed that is sellable (not kept
 *   for the council's own children) and not out of use. Kept-back beds are
 *   left out entirely; out-of-use nights are left out of the denominator.
 * - An **actual** (occupied) bed night is a sellable bed night on which a
 *   placement occupied the bed (a stay from A to E occupies A … E−1).
 * - A **planned** bed night is a sellable bed night the book showed as
 *   occupied at the start of the period: placements admitted before its first
 *   day (the London date of the admission decision), each to the end date
 *   recorded before that day, or to the end of the period if none was. It is
 *   what the council expected to sell on the morning the period began; the
 *   difference to actual is placements that ended early or were extended,
 *   less the beds sold during the period.
 * - The **target** is 80% of sellable bed nights (the business case's 292 of
 *   365 nights per bed), rounded half-up to the night.
 *
 * Percentages are kept as basis points (integer hundredths of a percent),
 * rounded half-up once, and shown with two decimals.
 */

export const OCCUPANCY_TARGET_PERCENT: number = targets.kpis.occupancyTargetPercent;
export const TARGET_NIGHTS_PER_BED_YEAR: number = targets.kpis.occupancyTargetBedNightsPerBedYear;
const NIGHTS_PER_YEAR = 365;

export interface OccupancyFigures {
  /** Sellable beds (kept-back beds are not counted). */
  beds: number;
  sellableBedNights: number;
  outOfUseBedNights: number;
  occupiedBedNights: number;
  plannedBedNights: number;
  targetBedNights: number;
  /** Occupied ÷ sellable, two decimals; null with no sellable night. */
  occupiedPercent: number | null;
  plannedPercent: number | null;
  /** Occupied less target: negative is a shortfall. */
  againstTargetBedNights: number;
  /** Occupied less planned. */
  againstPlanBedNights: number;
}

export interface HomeOccupancy extends OccupancyFigures {
  homeId: string;
  name: string;
  keptBackBeds: number;
}

/** A bed's nights in the period: what each was (bitmaps, one byte per night). */
interface BedNights {
  sellable: number;
  outOfUse: number;
  occupied: number;
  planned: number;
}

/** The period as epoch days, worked out once for all its beds. */
interface Nights {
  first: number;
  count: number;
}

/** The night indexes [start, end) of a stay or spell clipped to the period. */
function clip(period: Nights, from: string, to: string | undefined): [number, number] | undefined {
  const start = Math.max(0, toEpochDay(from) - period.first);
  const end = to === undefined ? period.count : Math.min(period.count, toEpochDay(to) - period.first);
  return start < end ? [start, end] : undefined;
}

/** The London date a decision was made on. */
const decidedOn = (at: string) => londonDateAt(Date.parse(at));

/** Where the book stood at the start of the period: the placement's stay as then known, if it was admitted by then. */
export function plannedStay(placement: KpiPlacement, periodStart: string): { from: string; to?: string } | undefined {
  if (decidedOn(placement.admitted.at) >= periodStart) return undefined;
  const { ending } = placement;
  const endKnown = ending !== undefined && decidedOn(ending.decision.at) < periodStart;
  return { from: placement.startDate, ...(endKnown ? { to: ending.endDate } : {}) };
}

export function bedNights(bed: Bed, placements: readonly KpiPlacement[], period: ClosedPeriod): BedNights {
  const nights = daysBetween(period.from, period.to);
  const span: Nights = { first: toEpochDay(period.from), count: nights };
  const counts: BedNights = { sellable: 0, outOfUse: 0, occupied: 0, planned: 0 };
  if (!bed.sellable || nights <= 0) return counts;
  const OUT = 1;
  const OCCUPIED = 2;
  const PLANNED = 4;
  const night = new Uint8Array(nights);
  const mark = (range: [number, number] | undefined, flag: number) => {
    if (range) for (let i = range[0]; i < range[1]; i++) night[i]! |= flag;
  };
  for (const spell of bed.outOfUse) mark(clip(span, spell.from, spell.to), OUT);
  for (const p of placements) {
    if (p.bedId !== bed.id) continue;
    mark(clip(span, p.startDate, p.ending?.endDate), OCCUPIED);
    const planned = plannedStay(p, period.from);
    if (planned) mark(clip(span, planned.from, planned.to), PLANNED);
  }
  for (const flags of night) {
    if (flags & OUT) {
      counts.outOfUse += 1;
      continue;
    }
    counts.sellable += 1;
    if (flags & OCCUPIED) counts.occupied += 1;
    if (flags & PLANNED) counts.planned += 1;
  }
  return counts;
}

const percentOf = (part: number, whole: number): number | null => (whole === 0 ? null : divideHalfUp(part * 10_000, whole) / 100);

function figures(beds: number, n: BedNights): OccupancyFigures {
  const targetBedNights = divideHalfUp(n.sellable * TARGET_NIGHTS_PER_BED_YEAR, NIGHTS_PER_YEAR);
  return {
    beds,
    sellableBedNights: n.sellable,
    outOfUseBedNights: n.outOfUse,
    occupiedBedNights: n.occupied,
    plannedBedNights: n.planned,
    targetBedNights,
    occupiedPercent: percentOf(n.occupied, n.sellable),
    plannedPercent: percentOf(n.planned, n.sellable),
    againstTargetBedNights: n.occupied - targetBedNights,
    againstPlanBedNights: n.occupied - n.planned,
  };
}

const add = (a: BedNights, b: BedNights): BedNights => ({
  sellable: a.sellable + b.sellable,
  outOfUse: a.outOfUse + b.outOfUse,
  occupied: a.occupied + b.occupied,
  planned: a.planned + b.planned,
});
const NONE: BedNights = { sellable: 0, outOfUse: 0, occupied: 0, planned: 0 };

/**
 * Occupancy per home and overall.
 * @param placementsByBed every placement of each bed that shares a night with the period (ended ones too)
 */
export function occupancy(homes: readonly Home[], placementsByBed: ReadonlyMap<string, readonly KpiPlacement[]>, period: ClosedPeriod): { overall: OccupancyFigures; homes: HomeOccupancy[] } {
  let overall = NONE;
  let sellableBeds = 0;
  const perHome = [...homes]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((home): HomeOccupancy => {
      const sellable = home.beds.filter((b) => b.sellable);
      const total = sellable.reduce((sum, bed) => add(sum, bedNights(bed, placementsByBed.get(bed.id) ?? [], period)), NONE);
      overall = add(overall, total);
      sellableBeds += sellable.length;
      return { homeId: home.id, name: home.name, keptBackBeds: home.beds.length - sellable.length, ...figures(sellable.length, total) };
    });
  return { overall: figures(sellableBeds, overall), homes: perHome };
}
