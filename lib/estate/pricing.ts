import type { Bed, Home } from './schema';

/**
 * Weekly prices, per design §3: cost of providing the bed (the bed's own cost
 * where it has one, else the home's) + a void allowance (a % of that cost, to
 * price voids in) + the premium. Integer pence throughout: the percentage is
 * taken as basis points so no fraction of a penny is ever held in a float.
 */

const BASIS_POINTS_PER_PERCENT = 100;
const BASIS_POINTS_WHOLE = 10_000;

/** A percentage with at most two decimals (12.5 → 1250 basis points). */
export function percentToBasisPoints(percent: number): number {
  const basisPoints = Math.round(percent * BASIS_POINTS_PER_PERCENT);
  if (Math.abs(percent * BASIS_POINTS_PER_PERCENT - basisPoints) > 1e-6) {
    throw new RangeError(`a percentage with at most two decimals, not ${percent}`);
  }
  return basisPoints;
}

/** `pence × percent`, rounded half-up to the penny with integer arithmetic only. */
export function percentOfPence(pence: number, percent: number): number {
  const basisPoints = percentToBasisPoints(percent);
  return Math.floor((pence * basisPoints + BASIS_POINTS_WHOLE / 2) / BASIS_POINTS_WHOLE);
}

export interface WeeklyPriceBreakdown {
  costPence: number;
  voidAllowancePence: number;
  premiumPence: number;
  weeklyPricePence: number;
}

export function weeklyPriceBreakdown(home: Home, bed: Bed): WeeklyPriceBreakdown {
  const costPence = bed.weeklyCostPence ?? home.weeklyCostPence;
  const voidAllowancePence = percentOfPence(costPence, home.voidAllowancePercent);
  const premiumPence = home.premiumWeeklyPence;
  return { costPence, voidAllowancePence, premiumPence, weeklyPricePence: costPence + voidAllowancePence + premiumPence };
}

/** The bed's weekly price to another council, in pence. */
export function weeklyPricePence(home: Home, bed: Bed): number {
  return weeklyPriceBreakdown(home, bed).weeklyPricePence;
}

/**
 * What a placing council pays each week for this bed: the price, plus the
 * home's education place where the child needs one and the home charges for it.
 */
export function weeklyChargePence(home: Home, bed: Bed, educationPlaceRequired: boolean): number {
  const education = educationPlaceRequired ? (home.educationPlaceWeeklyPence ?? 0) : 0;
  return weeklyPricePence(home, bed) + education;
}
