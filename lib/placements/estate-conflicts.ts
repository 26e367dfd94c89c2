import type { Home, OutOfUse } from '#lib/estate/schema';
import type { Moment } from './bed-rules';
import { isLive, sharesNight, type HomeCalendar, type Period } from './calendar';
import { DecisionConflict } from './decision-errors';
import type { Placement } from './schema';

/**
 * An estate change must not contradict the offers and placements running on
 * its beds: a bed someone is held in cannot be removed or kept back for the
 * council's own children, and cannot be out of use over a night someone was,
 * is or will be in it (occupancy and KPIs would otherwise silently drop those
 * nights). A refusal names each offer or placement in the way.
 *
 * The calendar has every live offer and every placement not ended before its
 * lookback; placements that ended earlier are read from the placements table
 * (by bed) for the beds that gain an out-of-use spell, the only change that
 * can reach that far back.
 */

/** An offer or placement on a bed, as far as an estate change is concerned. */
export interface Holding {
  kind: 'offer' | 'placement';
  id: string;
  bedId: string;
  from: string;
  to?: string;
}

export interface BedConflict {
  bedId: string;
  /** The field of the home that contradicts the holding, e.g. `beds.2.outOfUse.0`. */
  field: string;
  holding: Holding;
}

const samePeriod = (a: OutOfUse, b: OutOfUse) => a.from === b.from && a.to === b.to;

/** The out-of-use spells the change adds (or whose dates it changes), bed by bed: only these are checked against past stays. */
export function addedOutOfUse(existing: Home | undefined, next: Home): { bedId: string; bedIndex: number; index: number; period: OutOfUse }[] {
  return next.beds.flatMap((bed, bedIndex) => {
    const before = existing?.beds.find((b) => b.id === bed.id)?.outOfUse ?? [];
    return bed.outOfUse.flatMap((period, index) => (before.some((p) => samePeriod(p, period)) ? [] : [{ bedId: bed.id, bedIndex, index, period }]));
  });
}

/** The span of each bed's added out-of-use spells: where to look for placements the calendar no longer keeps. */
export function spansToLookBack(existing: Home | undefined, next: Home): { bedId: string; from: string; to?: string }[] {
  const spans = new Map<string, Period>();
  for (const { bedId, period } of addedOutOfUse(existing, next)) {
    const span = spans.get(bedId);
    spans.set(
      bedId,
      span === undefined
        ? { from: period.from, to: period.to }
        : { from: span.from < period.from ? span.from : period.from, to: span.to === undefined || period.to === undefined ? undefined : span.to > period.to ? span.to : period.to },
    );
  }
  return [...spans].map(([bedId, { from, to }]) => ({ bedId, from, ...(to !== undefined ? { to } : {}) }));
}

export interface EstateChange {
  existing: Home | undefined;
  next: Home;
  calendar: HomeCalendar;
  /** Placements of the beds in `spansToLookBack`, over those spans (ended ones too). */
  pastPlacements: readonly Placement[];
}

/** Every holding of the home's beds: the calendar's live holds, and placements it no longer keeps. */
function holdings(calendar: HomeCalendar, pastPlacements: readonly Placement[], moment: Moment): Holding[] {
  const live: Holding[] = calendar.holds
    .filter((h) => isLive(h, moment.nowMs))
    .map((h) => ({ kind: h.kind, id: h.id, bedId: h.bedId, from: h.from, ...(h.to !== undefined ? { to: h.to } : {}) }));
  const known = new Set(live.map((h) => h.id));
  const past: Holding[] = pastPlacements
    .filter((p) => !known.has(p.placementId))
    .map((p) => ({ kind: 'placement', id: p.placementId, bedId: p.bedId, from: p.startDate, ...(p.ending ? { to: p.ending.endDate } : {}) }));
  return [...live, ...past];
}

export function estateConflicts(change: EstateChange, moment: Moment): BedConflict[] {
  const { existing, next } = change;
  const all = holdings(change.calendar, change.pastPlacements, moment);
  const fromToday = { from: moment.today };
  const conflicts: BedConflict[] = [];

  for (const bed of existing?.beds ?? []) {
    if (next.beds.some((b) => b.id === bed.id)) continue;
    for (const holding of all.filter((h) => h.bedId === bed.id && sharesNight(h, fromToday))) conflicts.push({ bedId: bed.id, field: 'beds', holding });
  }
  next.beds.forEach((bed, bedIndex) => {
    const wasSellable = existing?.beds.find((b) => b.id === bed.id)?.sellable ?? false;
    if (wasSellable && !bed.sellable) {
      for (const holding of all.filter((h) => h.bedId === bed.id && sharesNight(h, fromToday))) {
        conflicts.push({ bedId: bed.id, field: `beds.${bedIndex}.sellable`, holding });
      }
    }
  });
  for (const { bedId, bedIndex, index, period } of addedOutOfUse(existing, next)) {
    for (const holding of all.filter((h) => h.bedId === bedId && sharesNight(h, period))) {
      conflicts.push({ bedId, field: `beds.${bedIndex}.outOfUse.${index}`, holding });
    }
  }
  return conflicts;
}

const stay = (h: Holding) => `from ${h.from}${h.to ? ` to ${h.to}` : ' (open-ended)'}`;

/** Names the bed by the field that changes it (a bed id may be the one in the request's path), or, removed, by its stored id. */
function described({ bedId, field, holding }: BedConflict): string {
  const what =
    field === 'beds'
      ? `bed ${bedId} cannot be removed`
      : field.endsWith('.sellable')
        ? `${field}: the bed cannot be kept for the council's own children`
        : `${field}: the bed cannot be out of use then`;
  return `${what}: ${holding.kind} ${holding.id} holds it ${stay(holding)}`;
}

/** 409 `bed-in-use` naming each offer and placement the change would contradict. */
export function ensureEstateKeepsHolds(change: EstateChange, moment: Moment): void {
  const conflicts = estateConflicts(change, moment);
  if (conflicts.length === 0) return;
  throw new DecisionConflict('bed-in-use', conflicts.map(described).join('; '), {
    holds: conflicts.map(({ field, holding }) => ({ field, kind: holding.kind, id: holding.id, from: holding.from, ...(holding.to ? { to: holding.to } : {}) })),
  });
}
