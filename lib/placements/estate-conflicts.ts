import type { Home, OutOfUse } from '#lib/estate';
import type { BedHistory } from '#lib/time/bed-history';
import type { Moment } from './bed-rules';
import { isLive, type HomeCalendar } from '#lib/time/home-calendar';
import { sharesNight } from '#lib/time/period';
import { DecisionConflict } from './decision-errors';

/**
 * An estate change must not contradict the offers and placements running on
 * its beds: a bed someone is held in cannot be removed or kept back for the
 * council's own children, and cannot be out of use over a night someone was,
 * is or will be in it (occupancy and KPIs would otherwise silently drop those
 * nights). A refusal names each offer or placement in the way.
 *
 * The calendar has every live offer and every stay not ended before its
 * horizon; earlier stays are in each bed's history (bed-history.ts), read for
 * the beds that gain an out-of-use spell, the only change that reaches that
 * far back. Every write to a history also writes its home's calendar, whose
 * version the change is conditioned on, so neither can move underneath it.
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

/** The beds that gain an out-of-use spell: whose histories the change must be checked against. */
export function bedsGainingOutOfUse(existing: Home | undefined, next: Home): string[] {
  return [...new Set(addedOutOfUse(existing, next).map((a) => a.bedId))];
}

export interface EstateChange {
  existing: Home | undefined;
  next: Home;
  calendar: HomeCalendar;
  /** The histories of the beds in `bedsGainingOutOfUse`. */
  histories: readonly BedHistory[];
}

/** Every holding of the home's beds: the calendar's live holds, and the stays it no longer keeps. */
function holdings(calendar: HomeCalendar, histories: readonly BedHistory[], moment: Moment): Holding[] {
  const live: Holding[] = calendar.holds
    .filter((h) => isLive(h, moment.nowMs))
    .map((h) => ({ kind: h.kind, id: h.id, bedId: h.bedId, from: h.from, ...(h.to !== undefined ? { to: h.to } : {}) }));
  const known = new Set(live.map((h) => h.id));
  const past: Holding[] = histories.flatMap((h) =>
    h.stays.filter((s) => !known.has(s.id)).map((s): Holding => ({ kind: 'placement', id: s.id, bedId: h.bedId, from: s.from, ...(s.to !== undefined ? { to: s.to } : {}) })),
  );
  return [...live, ...past];
}

export function estateConflicts(change: EstateChange, moment: Moment): BedConflict[] {
  const { existing, next } = change;
  const all = holdings(change.calendar, change.histories, moment);
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
