import { describe, expect, it } from 'vitest';
import { percentOfPence, percentToBasisPoints, weeklyChargePence, weeklyPriceBreakdown, weeklyPricePence } from '#lib/estate/pricing';
import { Home } from '#lib/estate/schema';
import { sampleEstate } from '#lib/estate/seed';

const homes = new Map(sampleEstate().map((h) => [h.id, h]));
const home = (id: string) => homes.get(id)!;
const sellableBed = (id: string) => home(id).beds.find((b) => b.sellable)!;

describe('weekly price = cost + void allowance + premium (design §3), every sample home', () => {
  it.each([
    // home, cost, void %, allowance, premium, price
    ['elm-house', 95_000, 10, 9_500, 50_000, 154_500],
    ['mitford-gardens', 70_000, 8, 5_600, 50_000, 125_600],
    ['purley-close', 280_000, 12, 33_600, 50_000, 363_600],
    ['harbour-view', 320_000, 10, 32_000, 50_000, 402_000],
    ['northfield', 450_000, 15, 67_500, 50_000, 567_500],
  ])('%s', (id, cost, percent, allowance, premium, price) => {
    // Act
    const breakdown = weeklyPriceBreakdown(home(id), sellableBed(id));

    // Assess
    expect(home(id).voidAllowancePercent).toBe(percent);
    expect(breakdown).toEqual({ costPence: cost, voidAllowancePence: allowance, premiumPence: premium, weeklyPricePence: price });
    expect(weeklyPricePence(home(id), sellableBed(id))).toBe(price);
  });

  it('adds the education place only where the child needs one and the home charges for it', () => {
    expect(weeklyChargePence(home('harbour-view'), sellableBed('harbour-view'), true)).toBe(402_000 + 60_000);
    expect(weeklyChargePence(home('harbour-view'), sellableBed('harbour-view'), false)).toBe(402_000);
    expect(weeklyChargePence(home('northfield'), sellableBed('northfield'), true)).toBe(567_500 + 75_000);
    // Elm House charges no education place: the charge is the price.
    expect(weeklyChargePence(home('elm-house'), sellableBed('elm-house'), true)).toBe(154_500);
  });

  it("uses the bed's own cost where it has one, with the home's void allowance and premium", () => {
    // Prepare
    const harbour = home('harbour-view');
    const bigRoom = { ...sellableBed('harbour-view'), weeklyCostPence: 350_000 };

    // Assess: 350,000 + 10% 35,000 + 50,000
    expect(weeklyPricePence(harbour, bigRoom)).toBe(435_000);
  });

  it('takes the premium from the home where it sets one; the default is £500', () => {
    const raw = { ...home('elm-house') } as Record<string, unknown>;
    delete raw.premiumWeeklyPence;
    expect(Home.parse(raw).premiumWeeklyPence).toBe(50_000);
    const premium = Home.parse({ ...raw, premiumWeeklyPence: 75_000 });
    expect(weeklyPricePence(premium, premium.beds[4]!)).toBe(95_000 + 9_500 + 75_000);
  });
});

describe('void allowance in integer pence, rounded half-up to the penny', () => {
  it.each([
    [12_345, 12.5, 1_543], // 1,543.125 → down
    [12_348, 12.5, 1_544], // 1,543.5   → half goes up
    [333, 1.5, 5], // 4.995 → 5
    [1, 50, 1], // 0.5 → 1
    [99_999, 0.01, 10], // 9.9999 → 10
    [0, 15, 0],
    [100_000_000, 100, 100_000_000],
  ])('%i pence × %f%% = %i pence', (pence, percent, expected) => {
    expect(percentOfPence(pence, percent)).toBe(expected);
  });

  it('takes percentages to two decimals (basis points) and refuses finer ones', () => {
    expect(percentToBasisPoints(12.5)).toBe(1_250);
    expect(percentToBasisPoints(0.07)).toBe(7); // 0.07 × 100 is 7.000000000000001 in floating point
    expect(() => percentToBasisPoints(12.345)).toThrow(new RangeError('a percentage with at most two decimals, not 12.345'));
  });

  it('a home with a void allowance finer than basis points is refused at the boundary', () => {
    expect(Home.safeParse({ ...home('elm-house'), voidAllowancePercent: 10.005 }).success).toBe(false);
    expect(Home.safeParse({ ...home('elm-house'), voidAllowancePercent: 10.25 }).success).toBe(true);
  });
});
