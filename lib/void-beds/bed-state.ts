import type { ReasonPlacementChange } from '#lib/codes/ssda903';
import type { Bed } from '#lib/estate';
import { sharesNight, type Period } from '#lib/time/period';
import type { Placement } from '#lib/placements';
import { addDays, daysBetween } from '#lib/time/calendar';

/**
 * Where one bed stands tonight, for void-bed alerts. Pure: dates in, state out.
 *
 * A sellable bed is void on a night it is not occupied by a placement and not
 * out of use (design §3). A night is the date it starts on; a stay from A to
 * E occupies A … E−1, so a bed is void on the very night its child leaves.
 * A bed kept for the council's own children is never void, and an offer does
 * not occupy a bed (it holds it; the child is not there, and nothing is earned).
 */

/** A placement in this bed, as the void check needs it: dates and how it ended. Never the child. */
export interface Stay {
  placementId: string;
  /** Admission date: its night is the first occupied. */
  from: string;
  /** The leaving day (not a night); absent = open-ended. */
  to?: string;
  /** SSDA903 reason for placement change, where recorded (a bed move within a home has none). */
  reasonPlacementChange?: ReasonPlacementChange;
  /** Planned or unplanned, where the ending says. */
  planned?: boolean;
  /** The placement the child moved on to, for a move. */
  movedTo?: string;
}

export function stayOf(placement: Placement): Stay {
  const { ending } = placement;
  return {
    placementId: placement.placementId,
    from: placement.startDate,
    ...(ending ? { to: ending.endDate } : {}),
    ...(ending?.reasonPlacementChange ? { reasonPlacementChange: ending.reasonPlacementChange } : {}),
    ...(ending?.planned !== undefined ? { planned: ending.planned } : {}),
    ...(ending?.movedTo ? { movedTo: ending.movedTo } : {}),
  };
}

/** Why a void spell began. */
export type VoidCause =
  /** A placement ended (or the child moved on) the day the spell began. */
  | { kind: 'placement-ended'; stay: Stay }
  /** An out-of-use period ended that day. */
  | { kind: 'back-in-use'; reason: string }
  /** Nothing recorded before: the bed has been sellable and empty since the monitor first saw it (or since it stopped being kept back). */
  | { kind: 'sellable-since' };

export type BedState =
  | { kind: 'kept-back' }
  | { kind: 'out-of-use'; from: string; to?: string; reason: string }
  | {
      kind: 'occupied';
      stay: Stay;
      /** The stay has a recorded end date after tonight, and the bed will be void the night it leaves. */
      leavesVoid?: { on: string; daysAhead: number };
    }
  | {
      kind: 'void';
      /** The first night of this void spell. */
      since: string;
      /** Void nights before tonight: 0 on the spell's first night. */
      nights: number;
      cause: VoidCause;
      /** The next placement booked into this bed, if one is. */
      nextStay?: Stay;
    };

export interface BedFacts {
  bed: Bed;
  /**
   * The bed's placements that matter tonight: at least the last one to start
   * on or before tonight, and every one starting after it (ended ones too).
   */
  stays: readonly Stay[];
  /**
   * No void spell is taken to start before this date: when the monitor first
   * saw the bed sellable (see SellableSince in void-bed-monitor.ts).
   */
  sellableSince: string;
}

const night = (date: string): Period => ({ from: date, to: addDays(date, 1) });

/** The stay occupying the bed on the night of `date`, if any. */
export function stayOn(stays: readonly Stay[], date: string): Stay | undefined {
  return stays.find((s) => sharesNight(s, night(date)));
}

function outOfUseOn(bed: Bed, date: string) {
  return bed.outOfUse.find((p) => sharesNight(p, night(date)));
}

/** Whether nobody is there and the bed is usable and sellable on the night of `date`. */
export function isVoidOn(bed: Bed, stays: readonly Stay[], date: string): boolean {
  return bed.sellable && outOfUseOn(bed, date) === undefined && stayOn(stays, date) === undefined;
}

/** The bed tonight (the night of `today`, a Europe/London date). */
export function bedStateOn(facts: BedFacts, today: string): BedState {
  const { bed, stays } = facts;
  if (!bed.sellable) return { kind: 'kept-back' };
  const outOfUse = outOfUseOn(bed, today);
  if (outOfUse) return { kind: 'out-of-use', from: outOfUse.from, ...(outOfUse.to ? { to: outOfUse.to } : {}), reason: outOfUse.reason };

  const stay = stayOn(stays, today);
  if (stay) {
    if (stay.to === undefined || !isVoidOn(bed, stays, stay.to)) return { kind: 'occupied', stay };
    return { kind: 'occupied', stay, leavesVoid: { on: stay.to, daysAhead: daysBetween(today, stay.to) } };
  }

  // Void tonight: the spell began at the latest of what last emptied or reopened the bed (a stay's end
  // before an out-of-use spell's on the same day), unless the bed has been sellable for less time than that.
  const ends: { date: string; cause: VoidCause }[] = [
    ...stays.flatMap((s) => (s.to !== undefined && s.to <= today ? [{ date: s.to, cause: { kind: 'placement-ended', stay: s } as const }] : [])),
    ...bed.outOfUse.flatMap((p) => (p.to !== undefined && p.to <= today ? [{ date: p.to, cause: { kind: 'back-in-use', reason: p.reason } as const }] : [])),
  ];
  const last = ends.reduce<(typeof ends)[number] | undefined>((best, e) => (best === undefined || e.date > best.date ? e : best), undefined);
  const sellableSince = facts.sellableSince > today ? today : facts.sellableSince;
  const { since, cause } = last && last.date >= sellableSince ? { since: last.date, cause: last.cause } : { since: sellableSince, cause: { kind: 'sellable-since' } as VoidCause };
  const nextStay = [...stays].filter((s) => s.from > today).sort((a, b) => (a.from < b.from ? -1 : 1))[0];
  return { kind: 'void', since, nights: daysBetween(since, today), cause, ...(nextStay ? { nextStay } : {}) };
}

/**
 * The date a bed's tracking starts when the monitor first sees it sellable:
 * the start of the void spell it is in if what ended before it is recorded,
 * else today (a bed with no history has been empty "since we know of it").
 */
export function firstSellableSince(bed: Bed, stays: readonly Stay[], today: string): string {
  const ends = [...stays.map((s) => s.to), ...bed.outOfUse.map((p) => p.to)].filter((d): d is string => d !== undefined && d <= today);
  return ends.length === 0 ? today : ends.sort().at(-1)!;
}
