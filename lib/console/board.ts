import { weeklyPricePence, type Bed, type Home } from '#lib/estate';
import { proRataPence } from '#lib/money';
import type { Stay } from '#lib/time/bed-history';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { occupancyOn, voidNights, type BedOnNight } from '#lib/placements';
import { addDays } from '#lib/time/calendar';

/**
 * The estate board, worked out from the placements domain's own functions: what each bed is on
 * each night (occupancyOn over the homes' calendars), and the income not earned on void nights
 * so far this financial year (voidNights over each bed's history of stays, priced as the void-bed
 * alerts price it: the bed's weekly price pro rata, rounded once). Pure.
 */

export type NightState = 'occupied' | 'offered' | 'void' | 'out-of-use' | 'kept';

/** A run of consecutive nights in one state: the board's cells. */
export interface Run {
  state: NightState;
  from: string;
  nights: number;
}

export interface BoardBed {
  bedId: string;
  sellable: boolean;
  runs: Run[];
  /** Void nights this financial year to last night, and the income not earned on them. */
  voidNightsThisYear: number;
  incomeLostPence: number;
}

export interface BoardHome {
  homeId: string;
  name: string;
  beds: BoardBed[];
  incomeLostPence: number;
}

export const BOARD_NIGHTS = 56;

/** What a bed is on a night, from the occupancy view of it. */
export function nightState(bed: BedOnNight): NightState {
  if (bed.occupant) return 'occupied';
  if (bed.outOfUse) return 'out-of-use';
  if (bed.offer) return 'offered';
  return bed.sellable ? 'void' : 'kept';
}

/** Consecutive nights in the same state, as runs. */
export function runsOf(states: readonly NightState[], from: string): Run[] {
  const runs: Run[] = [];
  states.forEach((state, i) => {
    const last = runs.at(-1);
    if (last && last.state === state) last.nights += 1;
    else runs.push({ state, from: addDays(from, i), nights: 1 });
  });
  return runs;
}

export interface BoardInput {
  homes: readonly Home[];
  calendars: ReadonlyMap<string, HomeCalendar>;
  /** Each bed's stays, ended ones too, by bed id: for the income lost, unless `lost` gives it. */
  stays: ReadonlyMap<string, readonly Stay[]>;
  /** The income lost so far this year by bed id, worked out before (incomeLostByBed). */
  lost?: ReadonlyMap<string, IncomeLost>;
  /** Tonight. */
  today: string;
  /** The first day of the financial year. */
  yearStart: string;
  nowMs: number;
}

export interface IncomeLost {
  nights: number;
  pence: number;
}

function incomeLost(home: Home, bed: Bed, stays: readonly Stay[], yearStart: string, today: string): IncomeLost {
  if (!bed.sellable || today <= yearStart) return { nights: 0, pence: 0 };
  const { voidNights: nights } = voidNights(bed, stays, { from: yearStart, to: today });
  return { nights, pence: proRataPence(weeklyPricePence(home, bed), nights) };
}

/** Each bed's void nights this financial year to last night, and the income not earned on them. */
export function incomeLostByBed(homes: readonly Home[], stays: ReadonlyMap<string, readonly Stay[]>, yearStart: string, today: string): Map<string, IncomeLost> {
  return new Map(homes.flatMap((home) => home.beds.map((bed) => [bed.id, incomeLost(home, bed, stays.get(bed.id) ?? [], yearStart, today)] as const)));
}

export function estateBoard(input: BoardInput, nights = BOARD_NIGHTS): BoardHome[] {
  const dates = Array.from({ length: nights }, (_, i) => addDays(input.today, i));
  const byNight = dates.map((date) => occupancyOn(date, input.homes, input.calendars, input.nowMs));
  return input.homes.map((home, h) => {
    const beds = home.beds.map((bed, b) => {
      const states = byNight.map((night) => nightState(night[h]!.beds[b]!));
      const lost = input.lost?.get(bed.id) ?? incomeLost(home, bed, input.stays.get(bed.id) ?? [], input.yearStart, input.today);
      return { bedId: bed.id, sellable: bed.sellable, runs: runsOf(states, input.today), voidNightsThisYear: lost.nights, incomeLostPence: lost.pence };
    });
    return { homeId: home.id, name: home.name, beds, incomeLostPence: beds.reduce((sum, bed) => sum + bed.incomeLostPence, 0) };
  });
}
