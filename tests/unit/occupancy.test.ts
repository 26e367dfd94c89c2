import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bed, Home } from '#lib/estate/schema';
import { sampleEstate } from '#lib/estate/seed';
import type { HomeCalendar, Hold } from '#lib/time/home-calendar';
import { sharesNight } from '#lib/time/period';
import { occupancyOn, voidNights } from '#lib/placements/occupancy';
import { addDays, daysBetween } from '#lib/time/calendar';

/** Worked examples of who is in which bed on a night, and of counting a bed's void nights. */

const resident = { referralId: 'R-9', dateOfBirth: '2011-03-14', sex: 'M' as const, risks: [], placedBy: '390' };
const bed = (overrides: Partial<Bed> = {}): Bed => ({ id: 'hv-3', sellable: true, outOfUse: [], ...overrides });

describe('void nights of a bed', () => {
  it('counts a sellable bed over November 2026: occupied 1–10, out of use 20–22, void the rest', () => {
    // A stay from 1 to 11 November occupies the nights of the 1st to the 10th (the leaving day is not a night).
    const result = voidNights(bed({ outOfUse: [{ from: '2026-11-20', to: '2026-11-23', reason: 'boiler' }] }), [{ from: '2026-10-15', to: '2026-11-11' }], {
      from: '2026-11-01',
      to: '2026-12-01',
    });
    expect(result).toEqual({
      nights: 30,
      occupiedNights: 10,
      outOfUseNights: 3,
      keptBackNights: 0,
      voidNights: 17,
      voidPeriods: [
        { from: '2026-11-11', to: '2026-11-20' },
        { from: '2026-11-23', to: '2026-12-01' },
      ],
    });
  });

  it('counts an open stay as occupying every night from its start, and a same-day stay as none', () => {
    const result = voidNights(bed(), [{ from: '2026-11-05' }, { from: '2026-11-02', to: '2026-11-02' }], { from: '2026-11-01', to: '2026-11-08' });
    expect(result).toMatchObject({ nights: 7, occupiedNights: 3, voidNights: 4, voidPeriods: [{ from: '2026-11-01', to: '2026-11-05' }] });
  });

  it('counts back-to-back stays (one leaves the day the next arrives) as no void night between them', () => {
    const result = voidNights(bed(), [{ from: '2026-11-01', to: '2026-11-04' }, { from: '2026-11-04', to: '2026-11-06' }], { from: '2026-11-01', to: '2026-11-06' });
    expect(result).toMatchObject({ occupiedNights: 5, voidNights: 0, voidPeriods: [] });
  });

  it('never counts a bed kept for the council’s own children as void', () => {
    const result = voidNights(bed({ sellable: false }), [{ from: '2026-11-03', to: '2026-11-04' }], { from: '2026-11-01', to: '2026-11-08' });
    expect(result).toMatchObject({ nights: 7, occupiedNights: 1, keptBackNights: 6, voidNights: 0 });
  });

  it('counts every night as a night-by-night reading of the stays and out-of-use periods would, whatever they are', () => {
    const day = fc.integer({ min: 0, max: 120 }).map((n) => addDays('2026-09-01', n));
    const period = fc.tuple(day, fc.option(day, { nil: undefined })).map(([a, b]) => (b === undefined ? { from: a } : a <= b ? { from: a, to: b } : { from: b, to: a }));
    fc.assert(
      fc.property(fc.array(period, { maxLength: 6 }), fc.array(period, { maxLength: 3 }), fc.boolean(), day, fc.integer({ min: 0, max: 90 }), (stays, outOfUse, sellable, from, length) => {
        const theBed = bed({ sellable, outOfUse: outOfUse.map((p) => ({ ...p, reason: 'works' })) });
        const to = addDays(from, length);
        const expected = { nights: 0, occupiedNights: 0, outOfUseNights: 0, keptBackNights: 0, voidNights: 0, voidDates: [] as string[] };
        for (let i = 0; i < daysBetween(from, to); i++) {
          const night = { from: addDays(from, i), to: addDays(from, i + 1) };
          expected.nights += 1;
          if (stays.some((s) => sharesNight(s, night))) expected.occupiedNights += 1;
          else if (theBed.outOfUse.some((p) => sharesNight(p, night))) expected.outOfUseNights += 1;
          else if (!sellable) expected.keptBackNights += 1;
          else (expected.voidNights += 1), expected.voidDates.push(night.from);
        }
        const { voidPeriods, ...counts } = voidNights(theBed, stays, { from, to });
        const { voidDates, ...expectedCounts } = expected;
        expect(counts).toEqual(expectedCounts);
        expect(voidPeriods.flatMap((p) => Array.from({ length: daysBetween(p.from, p.to) }, (_, i) => addDays(p.from, i)))).toEqual(voidDates);
        // Runs are maximal: two never touch.
        expect(voidPeriods.every((p, i) => i === 0 || voidPeriods[i - 1]!.to < p.from)).toBe(true);
      }),
    );
  });

  it('counts across the October clock change as calendar nights, not 24-hour spans', () => {
    const result = voidNights(bed(), [], { from: '2026-10-24', to: '2026-10-27' });
    expect(result).toMatchObject({ nights: 3, voidNights: 3, voidPeriods: [{ from: '2026-10-24', to: '2026-10-27' }] });
  });
});

describe('who is in which bed on a night', () => {
  const harbour = sampleEstate().find((h) => h.id === 'harbour-view')!;
  const home: Home = { ...harbour, beds: harbour.beds.map((b) => (b.id === 'hv-4' ? { ...b, outOfUse: [{ from: '2026-11-01', reason: 'refit' }] } : b)) };
  const holds: Hold[] = [
    { id: 'p-1', bedId: 'hv-3', kind: 'placement', from: '2026-11-01', to: '2026-11-24', resident },
    { id: 'o-1', bedId: 'hv-3', kind: 'offer', from: '2026-11-24', to: '2027-01-01', expiresAt: '2026-11-25T12:00:00.000Z', resident: { ...resident, referralId: 'R-10' } },
    { id: 'o-2', bedId: 'hv-2', kind: 'offer', from: '2026-11-20', to: '2027-01-01', expiresAt: '2026-11-22T12:00:00.000Z', resident },
  ];
  const calendars = new Map<string, HomeCalendar>([['harbour-view', { homeId: 'harbour-view', version: 4, holds }]]);
  const nowMs = Date.parse('2026-11-23T09:00:00.000Z');
  const bedsOn = (date: string) => occupancyOn(date, [home], calendars, nowMs)[0]!.beds;

  it('shows the child in hv-3 on the night of the 23rd (age that night, placing council; no name), hv-4 out of use', () => {
    const beds = bedsOn('2026-11-23');
    expect(beds.find((b) => b.bedId === 'hv-3')).toEqual({
      bedId: 'hv-3',
      sellable: true,
      occupant: { placementId: 'p-1', referralId: 'R-9', placedBy: '390', sex: 'M', age: 15 },
    });
    expect(beds.find((b) => b.bedId === 'hv-4')?.outOfUse).toEqual({ from: '2026-11-01', reason: 'refit' });
  });

  it('shows hv-3 empty but held by a live offer on the 24th (the leaving day is not a night), and ignores a lapsed offer', () => {
    const beds = bedsOn('2026-11-24');
    expect(beds.find((b) => b.bedId === 'hv-3')).toEqual({ bedId: 'hv-3', sellable: true, offer: { offerId: 'o-1', referralId: 'R-10', expiresAt: '2026-11-25T12:00:00.000Z' } });
    expect(beds.find((b) => b.bedId === 'hv-2')).toEqual({ bedId: 'hv-2', sellable: false });
  });

  it('lists homes without a calendar with every bed empty', () => {
    const northfield = sampleEstate().find((h) => h.id === 'northfield')!;
    expect(occupancyOn('2026-11-23', [northfield], calendars, nowMs)[0]!.beds.map((b) => b.occupant ?? b.offer ?? 'empty')).toEqual(['empty', 'empty']);
  });
});
