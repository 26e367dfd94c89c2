import type { Bed, Home } from '#lib/estate';
import { addDays, ageOn, fromEpochDay, toEpochDay } from '#lib/time/calendar';
import { isLive, type HomeCalendar } from '#lib/time/home-calendar';
import { sharesNight, type Period } from '#lib/time/period';

/**
 * Who is in which bed on a night, and a bed's void nights over a period.
 * A night is the date it starts on: a stay from A to E occupies A … E−1.
 * A sellable bed is void on a night it is not occupied and not out of use;
 * a bed kept for the council's own children is never void.
 */

const night = (date: string): Period => ({ from: date, to: addDays(date, 1) });

export interface BedOnNight {
  bedId: string;
  sellable: boolean;
  outOfUse?: { from: string; to?: string; reason: string };
  occupant?: { placementId: string; referralId?: string; placedBy: string; sex: 'F' | 'M'; age: number };
  /** An offer (live, accepted or not) holding the bed that night. */
  offer?: { offerId: string; referralId?: string; expiresAt?: string };
}

export interface HomeOnNight {
  homeId: string;
  name: string;
  beds: BedOnNight[];
}

export function occupancyOn(date: string, homes: readonly Home[], calendars: ReadonlyMap<string, HomeCalendar>, nowMs: number): HomeOnNight[] {
  const tonight = night(date);
  return homes.map((home) => {
    const holds = (calendars.get(home.id)?.holds ?? []).filter((h) => isLive(h, nowMs) && sharesNight(h, tonight));
    return {
      homeId: home.id,
      name: home.name,
      beds: home.beds.map((bed): BedOnNight => {
        const outOfUse = bed.outOfUse.find((p) => sharesNight(p, tonight));
        const placement = holds.find((h) => h.bedId === bed.id && h.kind === 'placement');
        const offer = holds.find((h) => h.bedId === bed.id && h.kind === 'offer');
        return {
          bedId: bed.id,
          sellable: bed.sellable,
          ...(outOfUse ? { outOfUse } : {}),
          ...(placement
            ? {
                occupant: {
                  placementId: placement.id,
                  ...(placement.resident.referralId ? { referralId: placement.resident.referralId } : {}),
                  placedBy: placement.resident.placedBy,
                  sex: placement.resident.sex,
                  age: ageOn(placement.resident.dateOfBirth, date),
                },
              }
            : {}),
          ...(offer
            ? {
                offer: {
                  offerId: offer.id,
                  ...(offer.resident.referralId ? { referralId: offer.resident.referralId } : {}),
                  ...(offer.expiresAt ? { expiresAt: offer.expiresAt } : {}),
                },
              }
            : {}),
        };
      }),
    };
  });
}

/** Longest period a void-night count covers: three years. */
export const MAX_VOID_PERIOD_NIGHTS = 1_096;

export interface VoidNights {
  nights: number;
  occupiedNights: number;
  outOfUseNights: number;
  /** Unoccupied nights of a bed kept for the council's own children: not void, not sellable. */
  keptBackNights: number;
  voidNights: number;
  /** The void nights as runs of consecutive nights (`to` exclusive). */
  voidPeriods: { from: string; to: string }[];
}

/**
 * Counts a bed's nights from `period.from` up to (not including) `period.to`.
 * @param stays the bed's placements, each from its start to its end (exclusive; none = still there)
 */
export function voidNights(bed: Bed, stays: readonly Period[], period: { from: string; to: string }): VoidNights {
  const count: VoidNights = { nights: 0, occupiedNights: 0, outOfUseNights: 0, keptBackNights: 0, voidNights: 0, voidPeriods: [] };
  // On days since 1970 rather than date strings: a year of nights over every bed of an estate is
  // hundreds of thousands of nights, and the board and the KPIs count them on a request.
  const holds = (periods: readonly Period[]) => periods.map((p) => ({ from: toEpochDay(p.from), to: p.to === undefined ? Infinity : toEpochDay(p.to) }));
  const occupied = holds(stays);
  const outOfUse = holds(bed.outOfUse);
  const first = toEpochDay(period.from);
  const end = toEpochDay(period.to);
  const runs: Array<{ from: number; to: number }> = [];
  for (let day = first; day < end; day++) {
    count.nights += 1;
    if (occupied.some((s) => s.from <= day && day < s.to)) count.occupiedNights += 1;
    else if (outOfUse.some((p) => p.from <= day && day < p.to)) count.outOfUseNights += 1;
    else if (!bed.sellable) count.keptBackNights += 1;
    else {
      count.voidNights += 1;
      const last = runs.at(-1);
      if (last && last.to === day) last.to = day + 1;
      else runs.push({ from: day, to: day + 1 });
    }
  }
  count.voidPeriods = runs.map((r) => ({ from: fromEpochDay(r.from), to: fromEpochDay(r.to) }));
  return count;
}
