import { describe, expect, it } from 'vitest';
import { estateBoard, incomeLostByBed, nightState, runsOf } from '#lib/console/board';
import { TtlCache } from '#lib/console/cache';
import { apiErrorsOnForm, parseDate, parsePounds } from '#lib/console/forms';
import { ApiProblem } from '#lib/console/in-process-api';
import type { Home } from '#lib/estate/schema';
import type { HomeCalendar } from '#lib/time/home-calendar';

/** The console's own small logic: the board's cells and income lost, reading forms, showing refusals. */

const home: Home = {
  id: 'hv',
  name: 'Harbour View',
  ofstedUrn: 'SC000001',
  postcode: 'NE30 1AA',
  registration: 'childrens-home',
  placementTypes: ['K2'],
  kinds: ['long-term'],
  ageRange: [12, 17],
  sexes: ['F', 'M'],
  maxResidents: 4,
  soloCapable: false,
  petsOnSite: false,
  needsAccepted: [],
  risksExcluded: [],
  weeklyCostPence: 300_000,
  voidAllowancePercent: 10,
  premiumWeeklyPence: 50_000,
  beds: [
    { id: 'hv-1', sellable: true, outOfUse: [] },
    { id: 'hv-2', sellable: true, outOfUse: [{ from: '2026-12-03', to: '2026-12-05', reason: 'repairs' }] },
    { id: 'hv-3', sellable: false, outOfUse: [] },
  ],
} as Home;

const resident = { referralId: 'R-1', dateOfBirth: '2011-03-14', sex: 'F' as const, risks: [], placedBy: '390' };

describe('the estate board', () => {
  it('shows each bed as runs of nights: occupied, offered, void, out of use, kept for our own children', () => {
    // Prepare: hv-1 lived in to 3 Dec, then offered from 5 Dec; hv-2 out of use 3-4 Dec
    const calendar: HomeCalendar = {
      homeId: 'hv',
      version: 3,
      holds: [
        { id: 'P-1', bedId: 'hv-1', kind: 'placement', from: '2026-11-01', to: '2026-12-03', resident },
        { id: 'O-1', bedId: 'hv-1', kind: 'offer', from: '2026-12-05', to: '2027-01-05', expiresAt: '2026-12-03T12:00:00Z', resident },
      ],
    };

    // Act
    const [board] = estateBoard({ homes: [home], calendars: new Map([['hv', calendar]]), stays: new Map(), today: '2026-12-01', yearStart: '2026-04-01', nowMs: Date.parse('2026-12-01T09:00:00Z') }, 7);

    // Assess
    expect(board!.beds.map((b) => b.runs.map((r) => `${r.state}×${r.nights}`))).toEqual([
      ['occupied×2', 'void×2', 'offered×3'],
      ['void×2', 'out-of-use×2', 'void×3'],
      ['kept×7'],
    ]);
  });

  it('prices the void nights this year as the alerts do: the weekly price pro rata, rounded once per bed', () => {
    // Prepare: £3,000 cost + 10% + £500 premium = £3,800 a week; hv-1 lived in from 1 April to 1 Nov, so void 1-30 Nov
    const stays = new Map([['hv-1', [{ id: 'P-0', from: '2026-04-01', to: '2026-11-01' }]]]);

    // Act
    const [board] = estateBoard({ homes: [home], calendars: new Map(), stays, today: '2026-12-01', yearStart: '2026-04-01', nowMs: Date.parse('2026-12-01T09:00:00Z') }, 1);

    // Assess: 30 nights × £3,800 ÷ 7 = £16,285.714… → £16,285.71; hv-2 void all 244 nights; hv-3 kept, never void
    expect(board!.beds.map((b) => [b.voidNightsThisYear, b.incomeLostPence])).toEqual([
      [30, 1_628_571],
      [244, 13_245_714],
      [0, 0],
    ]);
    expect(board!.incomeLostPence).toBe(1_628_571 + 13_245_714);
  });

  it('gives the same income lost from figures worked out before (as the page keeps them) as from the stays', () => {
    // Prepare
    const stays = new Map([['hv-1', [{ id: 'P-0', from: '2026-04-01', to: '2026-11-01' }]]]);
    const at = { today: '2026-12-01', yearStart: '2026-04-01', nowMs: Date.parse('2026-12-01T09:00:00Z') };

    // Act
    const lost = incomeLostByBed([home], stays, at.yearStart, at.today);
    const [fromLost] = estateBoard({ homes: [home], calendars: new Map(), stays: new Map(), lost, ...at }, 1);
    const [fromStays] = estateBoard({ homes: [home], calendars: new Map(), stays, ...at }, 1);

    // Assess
    expect(lost.get('hv-1')).toEqual({ nights: 30, pence: 1_628_571 });
    expect(fromLost).toEqual(fromStays);
  });

  it('merges equal nights into one run and names what each bed is from its night', () => {
    expect(runsOf(['void', 'void', 'occupied'], '2026-12-30')).toEqual([
      { state: 'void', from: '2026-12-30', nights: 2 },
      { state: 'occupied', from: '2027-01-01', nights: 1 },
    ]);
    expect(nightState({ bedId: 'b', sellable: false })).toBe('kept');
    expect(nightState({ bedId: 'b', sellable: true, offer: { offerId: 'o' } })).toBe('offered');
  });
});

describe('reading forms', () => {
  it('takes pounds and pence as people write them, and nothing else', () => {
    expect(['45.50', '£1,234.5', ' 12 ', '0.07'].map(parsePounds)).toEqual([4550, 123_450, 1200, 7]);
    expect(['', '12.345', '-4', 'ten', '1e3'].map(parsePounds)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('takes a real date from three boxes, or says what is wrong as GOV.UK does', () => {
    expect(parseDate({ day: '29', month: '2', year: '2028' }, 'start date')).toEqual({ iso: '2028-02-29' });
    expect(parseDate({}, 'start date')).toEqual({ error: 'Enter the start date' });
    expect(parseDate({ day: '3', year: '2026' }, 'start date')).toEqual({ error: 'The start date must include a month' });
    expect(parseDate({ day: '29', month: '2', year: '2027' }, 'start date')).toEqual({ error: 'The start date must be a real date' });
    expect(parseDate({ day: '1', month: '1', year: '26' }, 'start date')).toEqual({ error: 'The start date must be a real date' });
  });

  it('puts the API’s refusals on the fields, in its own words or in plain ones, never zod’s', () => {
    // Prepare
    const problem = new ApiProblem({
      type: 'https://cared-for.dev/problems/invalid-request',
      title: 'Invalid request',
      status: 400,
      errors: [
        { field: 'endDate', rule: 'custom', message: 'the end date is before the start date' },
        { field: 'amountPence', rule: 'too_big', message: 'Too big: expected number to be <=10000000' },
      ],
    });
    const clash = new ApiProblem({ type: 'https://cared-for.dev/problems/bed-unavailable', title: 'Conflict', status: 409, detail: 'bed hv-1 is held by an offer from 2026-12-05' });

    // Act
    const onFields = apiErrorsOnForm(problem, { endDate: { id: 'end-day', label: 'the last payment date' }, amountPence: { id: 'amount', label: 'the amount' } }, 'amount');
    const onForm = apiErrorsOnForm(clash, {}, 'bed');

    // Assess
    expect(onFields.summary()).toEqual([
      { text: 'The end date is before the start date', href: '#end-day' },
      { text: 'The amount is too long or too large', href: '#amount' },
    ]);
    expect(onForm.summary()).toEqual([{ text: 'Bed hv-1 is held by an offer from 2026-12-05', href: '#bed' }]);
  });
});

describe('the figures cache', () => {
  it('keeps an answer for its time, then works it out again; a failure is not kept', async () => {
    // Prepare
    const cache = new TtlCache<number>(60_000);
    let made = 0;
    const make = async () => ++made;

    // Act
    const first = await cache.get('k', 0, make);
    const again = await cache.get('k', 59_999, make);
    const later = await cache.get('k', 60_000, make);
    await expect(cache.get('f', 0, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    const afterFailure = await cache.get('f', 1, make);

    // Assess
    expect([first, again, later]).toEqual([
      { value: 1, atMs: 0 },
      { value: 1, atMs: 0 },
      { value: 2, atMs: 60_000 },
    ]);
    expect(afterFailure).toEqual({ value: 3, atMs: 1 });
  });
});
