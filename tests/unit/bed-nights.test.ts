import { describe, expect, it } from 'vitest';
import type { Home } from '#lib/estate/schema';
import { bedNights, occupancy, plannedStay } from '#lib/kpis/occupancy';
import { byBed, kpiHomes, placementOf } from '#tests/support/kpi-world';

/**
 * Bed-night counting at its edges (lib/kpis/occupancy.ts), beside the year's worked example in
 * kpis.test.ts: homes in id order, out-of-use nights summed, a stay on another bed ignored, an empty
 * estate's percentages, and when an end counts as known at the period's start.
 */
const NOVEMBER = { from: '2026-11-01', to: '2026-12-01' };
const hv = { homeId: 'harbour-view' };

function harbourAndNorthfield(): Home[] {
  const list = kpiHomes();
  // hv-3 out of use 1–10 November (10 nights), nf-1 out of use 21–30 November (10 nights).
  list.find((h) => h.id === 'harbour-view')!.beds.find((b) => b.id === 'hv-3')!.outOfUse = [{ from: '2026-11-01', to: '2026-11-11', reason: 'repairs' }];
  list.find((h) => h.id === 'northfield')!.beds.find((b) => b.id === 'nf-1')!.outOfUse = [{ from: '2026-11-21', reason: 'refit' }];
  return list;
}

describe('bed nights over a period', () => {
  it('lists homes in id order whatever order they come in, and sums out-of-use nights across them', () => {
    const homes = harbourAndNorthfield();
    const { overall, homes: perHome } = occupancy([...homes].reverse(), new Map(), NOVEMBER);
    expect(perHome.map((h) => h.homeId)).toEqual(['harbour-view', 'northfield']);
    expect(perHome.map((h) => h.outOfUseBedNights)).toEqual([10, 10]);
    expect(overall.outOfUseBedNights).toBe(20);
    // Four sellable beds × 30 nights, less the 20 out of use.
    expect(overall.sellableBedNights).toBe(100);
  });

  it('counts only the placements of the bed it is asked about', () => {
    const bed = kpiHomes().find((h) => h.id === 'harbour-view')!.beds.find((b) => b.id === 'hv-4')!;
    const elsewhere = placementOf({ id: 'X', bedId: 'hv-3', ...hv, start: '2026-10-01', admittedOn: '2026-09-01' });
    expect(bedNights(bed, [elsewhere], NOVEMBER)).toEqual({ sellable: 30, outOfUse: 0, occupied: 0, planned: 0 });
    const here = placementOf({ id: 'Y', bedId: 'hv-4', ...hv, start: '2026-10-01', admittedOn: '2026-09-01' });
    expect(bedNights(bed, [elsewhere, here], NOVEMBER)).toEqual({ sellable: 30, outOfUse: 0, occupied: 30, planned: 30 });
  });

  it('has no percentage (null, not 0 or NaN) where there are no sellable nights', () => {
    const { overall } = occupancy([], new Map(), NOVEMBER);
    expect(overall).toMatchObject({ beds: 0, sellableBedNights: 0, occupiedPercent: null, plannedPercent: null });
  });

  it('a stay ending the day the period starts has no night in it', () => {
    const bed = kpiHomes().find((h) => h.id === 'harbour-view')!.beds.find((b) => b.id === 'hv-4')!;
    const leftOnTheFirst = placementOf({ id: 'Z', bedId: 'hv-4', ...hv, start: '2026-10-01', admittedOn: '2026-09-01', end: '2026-11-01', endRecordedOn: '2026-10-20' });
    expect(bedNights(bed, byBed([leftOnTheFirst]).get('hv-4')!, NOVEMBER)).toEqual({ sellable: 30, outOfUse: 0, occupied: 0, planned: 0 });
  });

  it('a period with no night (empty, or ending before it starts) counts nothing, whatever the bed holds', () => {
    const bed = kpiHomes().find((h) => h.id === 'harbour-view')!.beds.find((b) => b.id === 'hv-4')!;
    const here = placementOf({ id: 'Y', bedId: 'hv-4', ...hv, start: '2026-10-01', admittedOn: '2026-09-01' });
    const none = { sellable: 0, outOfUse: 0, occupied: 0, planned: 0 };
    expect(bedNights(bed, [here], { from: '2026-11-01', to: '2026-11-01' })).toEqual(none);
    expect(bedNights(bed, [here], { from: '2026-12-01', to: '2026-11-01' })).toEqual(none);
  });

  it('an end recorded on the period’s first day was not known at its start: the stay was planned open-ended', () => {
    const recordedOnTheFirst = placementOf({ id: 'W', bedId: 'hv-4', ...hv, start: '2026-10-01', admittedOn: '2026-09-01', end: '2026-11-15', endRecordedOn: '2026-11-01' });
    expect(plannedStay(recordedOnTheFirst, NOVEMBER.from)).toEqual({ from: '2026-10-01' });
    const recordedTheDayBefore = placementOf({ id: 'V', bedId: 'hv-4', ...hv, start: '2026-10-01', admittedOn: '2026-09-01', end: '2026-11-15', endRecordedOn: '2026-10-31' });
    expect(plannedStay(recordedTheDayBefore, NOVEMBER.from)).toEqual({ from: '2026-10-01', to: '2026-11-15' });
  });
});
