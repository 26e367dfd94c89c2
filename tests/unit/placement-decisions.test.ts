import { describe, expect, it } from 'vitest';
import type { Decision } from '#lib/auth/caller';
import { ReasonPlacementChange } from '#lib/codes/ssda903';
import type { VersionedHome } from '#lib/estate/estate-items';
import { weeklyPricePence } from '#lib/estate/pricing';
import { sampleEstate } from '#lib/estate/seed';
import type { Home } from '#lib/estate/schema';
import { admissionTarget, decideAdmission } from '#lib/placements/admission-decisions';
import type { DecisionContext } from '#lib/placements/bed-rules';
import type { BedHistory, Stay } from '#lib/time/bed-history';
import type { HomeCalendar, Hold } from '#lib/time/home-calendar';
import { DecisionConflict, InvalidDecision } from '#lib/placements/decision-errors';
import { decideHomeChange } from '#lib/placements/estate-changes';
import { decideAcceptance, decideDecline, decideOffer } from '#lib/placements/offer-decisions';
import { decideEnd, decideMove, plannedFrom } from '#lib/placements/placement-changes';
import type { Offer, Placement } from '#lib/placements/schema';
import type { Write } from '#lib/placements/writes';
import type { ReferralRecord } from '#lib/referrals/lifecycle';
import { Referral } from '#lib/referrals/schema';
import { readEvent } from '#tests/support/webhook';
import { activePlacement } from '#tests/support/active-placement';

/** The decisions themselves, pure: what each writes, and why each refusal is refused. */

const NOW = '2026-11-23T10:00:00.000Z';
const TODAY = '2026-11-23';
const decision: Decision = { by: { subject: 'm-1', name: 'a.manager@council.example', roles: ['residential-manager'] }, at: NOW };
let ids = 0;
const ctx = (overrides: Partial<DecisionContext> = {}): DecisionContext => ({ nowMs: Date.parse(NOW), today: TODAY, decision, newId: () => `id-${++ids}`, ...overrides });

const homes = sampleEstate();
const versioned = (id: string, change?: (h: Home) => void): VersionedHome => {
  const home = structuredClone(homes.find((h) => h.id === id)!);
  change?.(home);
  return { home, version: 3 };
};
const referral = Referral.parse(JSON.parse(readEvent('referrals/created.json')).data);
const record = (status: ReferralRecord['status'] = 'open'): ReferralRecord => ({
  referralId: referral.referralId,
  status,
  version: 2,
  placingLa: '390',
  referral,
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-21T09:00:00.000Z',
});
const calendar = (holds: Hold[] = [], version = 5): HomeCalendar => ({ homeId: 'harbour-view', version, holds });
const history = (bedId = 'hv-3', stays: Stay[] = [], homeId = 'harbour-view', version = 2): BedHistory => ({ homeId, bedId, version, stays });
const resident = { referralId: 'OTHER', dateOfBirth: '2010-01-01', sex: 'F' as const, risks: [], placedBy: '391' };
const placementHold = (bedId: string, from: string, to?: string): Hold => ({ id: `p-${bedId}`, bedId, kind: 'placement', from, ...(to ? { to } : {}), resident });

const kinds = (writes: Write[]) => writes.map((w) => w.kind);
const written = <K extends Write['kind']>(writes: Write[], kind: K) => writes.filter((w): w is Extract<Write, { kind: K }> => w.kind === kind);

function refusal(act: () => unknown): DecisionConflict | InvalidDecision {
  try {
    act();
  } catch (error) {
    if (error instanceof DecisionConflict || error instanceof InvalidDecision) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

function offerFor(overrides: Partial<Offer> = {}): Offer {
  return {
    offerId: 'o-1',
    referralId: referral.referralId,
    placingLa: '390',
    homeId: 'harbour-view',
    bedId: 'hv-3',
    from: '2026-12-01',
    to: '2027-06-01',
    weeklyPricePence: 1,
    expiresAt: '2026-11-25T10:00:00.000Z',
    status: 'offered',
    version: 1,
    offered: decision,
    ...overrides,
  };
}

describe('offering a bed', () => {
  it("holds the bed for the referral's dates, lapsing in 48 hours, and moves the referral to offered in the same transaction", () => {
    // Act
    const { result, writes } = decideOffer(
      { record: record(), referralId: referral.referralId, offersOfReferral: [], home: versioned('harbour-view'), bedId: 'hv-3', calendar: calendar() },
      ctx(),
    );

    // Assess
    expect(result).toMatchObject({ from: '2026-12-01', to: '2027-06-01', expiresAt: '2026-11-25T10:00:00.000Z', status: 'offered', offered: decision });
    expect(kinds(writes)).toEqual(['calendar', 'home-unchanged', 'offer', 'referral']);
    const [cal] = written(writes, 'calendar');
    expect(cal).toMatchObject({ expectedVersion: 5, calendar: { version: 6 } });
    expect(cal!.calendar.holds).toEqual([
      expect.objectContaining({ id: result.offerId, kind: 'offer', bedId: 'hv-3', resident: expect.objectContaining({ risks: ['criminal-exploitation', 'missing'], placedBy: '390' }) }),
    ]);
    expect(written(writes, 'home-unchanged')).toEqual([{ kind: 'home-unchanged', homeId: 'harbour-view', version: 3 }]);
    const [ref] = written(writes, 'referral');
    expect(ref!.change).toMatchObject({ expectedVersion: 2, next: { status: 'offered', version: 3 }, history: { event: 'offer.made', version: 3, decision } });
  });

  it('offers from today when the date needed has passed', () => {
    const late = { ...record(), referral: { ...referral, sought: { ...referral.sought, neededFrom: '2026-11-01', expectedWeeks: 1 } } };
    const { result } = decideOffer({ record: late, referralId: referral.referralId, offersOfReferral: [], home: versioned('harbour-view'), bedId: 'hv-3', calendar: calendar() }, ctx());
    expect(result).toMatchObject({ from: TODAY, to: '2026-11-30' });
  });

  it.each([
    ['kept for own children', 'hv-1', calendar(), 'bed-kept-for-own-children'],
    ['held by a placement over the nights sought', 'hv-3', calendar([placementHold('hv-3', '2027-03-01')]), 'bed-unavailable'],
  ])('refuses a bed %s', (_, bedId, cal, reason) => {
    const error = refusal(() => decideOffer({ record: record(), referralId: referral.referralId, offersOfReferral: [], home: versioned('harbour-view'), bedId, calendar: cal }, ctx()));
    expect(error).toMatchObject({ reason });
  });

  it('refuses a bed out of use over the nights sought, but not one back in use before them', () => {
    const closed = versioned('harbour-view', (h) => (h.beds.find((b) => b.id === 'hv-3')!.outOfUse = [{ from: '2027-05-31', reason: 'refit' }]));
    const reopened = versioned('harbour-view', (h) => (h.beds.find((b) => b.id === 'hv-3')!.outOfUse = [{ from: '2026-11-01', to: '2026-12-01', reason: 'refit' }]));
    const input = { record: record(), referralId: referral.referralId, offersOfReferral: [], bedId: 'hv-3', calendar: calendar() };
    expect(refusal(() => decideOffer({ ...input, home: closed }, ctx()))).toMatchObject({ reason: 'bed-out-of-use' });
    expect(decideOffer({ ...input, home: reopened }, ctx()).result.status).toBe('offered');
  });

  it('takes a bed whose earlier offer lapsed unanswered, dropping the dead hold', () => {
    const dead: Hold = { id: 'o-old', bedId: 'hv-3', kind: 'offer', from: '2026-12-01', to: '2027-01-01', expiresAt: '2026-11-23T09:59:59.000Z', resident };
    const { writes } = decideOffer({ record: record(), referralId: referral.referralId, offersOfReferral: [], home: versioned('harbour-view'), bedId: 'hv-3', calendar: calendar([dead]) }, ctx());
    expect(written(writes, 'calendar')[0]!.calendar.holds.map((h) => h.id)).not.toContain('o-old');
  });

  it('refuses a second offer while one awaits an answer, and allows it once that one lapsed (marking it lapsed)', () => {
    const pending = offerFor();
    const input = { referralId: referral.referralId, home: versioned('harbour-view'), bedId: 'hv-4', calendar: calendar() };
    expect(refusal(() => decideOffer({ ...input, record: record('offered'), offersOfReferral: [pending] }, ctx()))).toMatchObject({ reason: 'referral-status' });

    const { writes } = decideOffer({ ...input, record: record('offered'), offersOfReferral: [pending] }, ctx({ nowMs: Date.parse('2026-11-26T00:00:00Z'), today: '2026-11-26' }));
    expect(written(writes, 'offer').map((w) => w.offer.status).sort()).toEqual(['lapsed', 'offered']);
  });

  it('refuses an expiry in the past or more than 14 days out, naming the field', () => {
    const input = { record: record(), referralId: referral.referralId, offersOfReferral: [], home: versioned('harbour-view'), bedId: 'hv-3', calendar: calendar() };
    expect(refusal(() => decideOffer({ ...input, expiresAt: '2026-11-23T09:00:00Z' }, ctx()))).toMatchObject({ field: 'expiresAt', rule: 'too_small' });
    expect(refusal(() => decideOffer({ ...input, expiresAt: '2026-12-08T10:00:01Z' }, ctx()))).toMatchObject({ field: 'expiresAt', rule: 'too_big' });
  });

  it.each(['placed', 'withdrawn'] as const)('refuses to offer a %s referral', (status) => {
    const input = { record: record(status), referralId: referral.referralId, offersOfReferral: [], home: versioned('harbour-view'), bedId: 'hv-3', calendar: calendar() };
    expect(refusal(() => decideOffer(input, ctx()))).toMatchObject({ reason: 'referral-status' });
  });
});

describe("the placing council's answer", () => {
  const offerHold: Hold = { id: 'o-1', bedId: 'hv-3', kind: 'offer', from: '2026-12-01', to: '2027-06-01', expiresAt: '2026-11-25T10:00:00.000Z', resident };

  it('accepting stops the hold lapsing and moves the referral to accepted', () => {
    const { result, writes } = decideAcceptance({ offer: offerFor(), record: record('offered'), calendar: calendar([offerHold]) }, ctx());
    expect(result).toMatchObject({ status: 'accepted', version: 2, accepted: decision });
    expect(written(writes, 'calendar')[0]!.calendar.holds).toEqual([expect.not.objectContaining({ expiresAt: expect.anything() })]);
    expect(written(writes, 'referral')[0]!.change.next.status).toBe('accepted');
  });

  it('refuses to accept an offer that lapsed', () => {
    const late = ctx({ nowMs: Date.parse('2026-11-25T10:00:00.000Z') });
    expect(refusal(() => decideAcceptance({ offer: offerFor(), record: record('offered'), calendar: calendar([offerHold]) }, late))).toMatchObject({ reason: 'offer-expired' });
  });

  it('declining frees the bed and reopens the referral', () => {
    const { writes } = decideDecline({ offer: offerFor({ status: 'accepted', version: 2 }), record: record('accepted'), calendar: calendar([offerHold]) }, ctx());
    expect(written(writes, 'calendar')[0]!.calendar.holds).toEqual([]);
    expect(written(writes, 'referral')[0]!.change).toMatchObject({ next: { status: 'open' }, history: { event: 'offer.declined' } });
  });
});

describe('admitting', () => {
  it('needs a bed when the referral has no accepted offer, and refuses while an offer awaits an answer', () => {
    expect(refusal(() => admissionTarget(record(), referral.referralId, [], undefined, Date.parse(NOW)))).toMatchObject({ field: 'bedId', rule: 'required' });
    expect(refusal(() => admissionTarget(record('offered'), referral.referralId, [offerFor()], 'hv-3', Date.parse(NOW)))).toMatchObject({ reason: 'referral-status' });
    const accepted = offerFor({ status: 'accepted' });
    expect(admissionTarget(record('accepted'), referral.referralId, [accepted], undefined, Date.parse(NOW))).toMatchObject({ bedId: 'hv-3', offer: accepted });
    expect(refusal(() => admissionTarget(record('accepted'), referral.referralId, [accepted], 'hv-4', Date.parse(NOW)))).toMatchObject({ reason: 'offer-status' });
  });

  it("fixes the agreed price from the bed's price, converts the accepted offer's hold into an open-ended stay, and places the referral", () => {
    // Prepare
    const accepted = offerFor({ status: 'accepted', version: 2 });
    const home = versioned('harbour-view');
    const offerHold: Hold = { id: 'o-1', bedId: 'hv-3', kind: 'offer', from: '2026-12-01', to: '2027-06-01', resident };

    // Act
    const { result, writes } = decideAdmission(
      {
        record: record('accepted'),
        referralId: referral.referralId,
        offersOfReferral: [accepted],
        target: { bedId: 'hv-3', offer: accepted },
        home,
        calendar: calendar([offerHold]),
        history: history('hv-3', [{ id: 'p-old', from: '2026-01-05', to: '2026-06-01' }]),
        startDate: '2026-11-30',
        extras: [{ kind: 'education-place', basis: 'weekly', amountPence: 25_000 }],
      },
      ctx(),
    );

    // Assess
    expect(result).toMatchObject({
      agreedWeeklyPricePence: weeklyPricePence(home.home, home.home.beds.find((b) => b.id === 'hv-3')!),
      ofstedUrn: home.home.ofstedUrn,
      homePostcode: home.home.postcode,
      placementType: 'K2',
      provider: 'PR2',
      purchaseOrder: 'PO-GH-48213',
      offerId: 'o-1',
    });
    expect(written(writes, 'calendar')[0]!.calendar.holds).toEqual([{ id: result.placementId, bedId: 'hv-3', kind: 'placement', from: '2026-11-30', resident: expect.any(Object) }]);
    expect(written(writes, 'bed-history')).toEqual([
      {
        kind: 'bed-history',
        expectedVersion: 2,
        history: { homeId: 'harbour-view', bedId: 'hv-3', version: 3, stays: [{ id: 'p-old', from: '2026-01-05', to: '2026-06-01' }, { id: result.placementId, from: '2026-11-30' }] },
      },
    ]);
    expect(written(writes, 'offer')[0]!.offer).toMatchObject({ status: 'admitted', admittedAs: result.placementId });
    expect(written(writes, 'referral')[0]!.change.next.status).toBe('placed');
  });

  it('takes a start back to the start of the previous financial year and up to a year ahead, refusing others with the date allowed', () => {
    // Today 2026-11-23 is in the financial year 2026/27: the previous one began on 2025-04-01.
    const input = { record: record(), referralId: referral.referralId, offersOfReferral: [], target: { bedId: 'hv-3' }, home: versioned('harbour-view'), calendar: calendar(), history: history(), extras: [] };
    expect(refusal(() => decideAdmission({ ...input, startDate: '2025-03-31' }, ctx()))).toMatchObject({
      field: 'startDate',
      rule: 'too_small',
      message: 'startDate may go back to the start of the previous financial year: 2025-04-01 or later',
    });
    expect(decideAdmission({ ...input, startDate: '2025-04-01' }, ctx()).result.startDate).toBe('2025-04-01');
    expect(decideAdmission({ ...input, startDate: '2027-11-23' }, ctx()).result.startDate).toBe('2027-11-23');
    expect(refusal(() => decideAdmission({ ...input, startDate: '2027-11-24' }, ctx()))).toMatchObject({ field: 'startDate', rule: 'too_big', message: 'startDate may be at most a year ahead: 2027-11-23 or earlier' });
  });

  it("refuses a back-dated start that shares a night with a stay the calendar no longer shows: the bed's history has it", () => {
    const endedInSummer: Stay = { id: 'p-summer', from: '2026-05-01', to: '2026-08-01' };
    const input = { record: record(), referralId: referral.referralId, offersOfReferral: [], target: { bedId: 'hv-3' }, home: versioned('harbour-view'), calendar: calendar(), extras: [] };
    const refused = refusal(() => decideAdmission({ ...input, history: history('hv-3', [endedInSummer]), startDate: '2026-07-31' }, ctx()));
    expect(refused).toMatchObject({ reason: 'bed-unavailable', message: 'bed hv-3 is held by a placement from 2026-05-01 to 2026-08-01' });
    // Open-ended from its start, so a start before a later stay clashes too.
    expect(refusal(() => decideAdmission({ ...input, history: history('hv-3', [endedInSummer]), startDate: '2026-04-01' }, ctx()))).toMatchObject({ reason: 'bed-unavailable' });
    expect(decideAdmission({ ...input, history: history('hv-3', [endedInSummer]), startDate: '2026-08-01' }, ctx()).result.startDate).toBe('2026-08-01');
  });

  it('refuses a bed someone else holds from any night on, since a stay is open-ended', () => {
    const input = { record: record(), referralId: referral.referralId, offersOfReferral: [], target: { bedId: 'hv-3' }, home: versioned('harbour-view'), history: history(), extras: [], startDate: TODAY };
    expect(refusal(() => decideAdmission({ ...input, calendar: calendar([placementHold('hv-3', '2027-06-01')]) }, ctx()))).toMatchObject({ reason: 'bed-unavailable' });
    expect(decideAdmission({ ...input, calendar: calendar([placementHold('hv-3', '2026-11-01', TODAY)]) }, ctx()).result.bedId).toBe('hv-3');
  });
});

describe('planned or unplanned, from the SSDA903 reason for placement change', () => {
  it.each([
    ['CARPL', undefined, true],
    ['CLOSE', undefined, false],
    ['ALLEG', undefined, false],
    ['CHILD', undefined, false],
    ['LAREQ', true, true],
    ['PLACE', false, false],
    ['OTHER', true, true],
  ] as const)('%s (answered %s) is planned: %s', (code, answered, planned) => {
    expect(plannedFrom(code, answered)).toBe(planned);
  });

  it('needs the manager to say where the code does not (LAREQ, PLACE, OTHER), and no other code', () => {
    const silent = ReasonPlacementChange.options.filter((code) => {
      try {
        plannedFrom(code, undefined);
        return false;
      } catch {
        return true;
      }
    });
    expect(silent.sort()).toEqual(['LAREQ', 'OTHER', 'PLACE']);
  });

  it('refuses an answer that contradicts the code', () => {
    expect(refusal(() => plannedFrom('CARPL', false))).toMatchObject({ field: 'planned', rule: 'invalid_value' });
  });
});

describe('ending and moving', () => {
  const placement = (overrides: Partial<Placement> = {}): Placement =>
    activePlacement({
      referralId: referral.referralId,
      resident,
      admitted: decision,
      agreedWeeklyPricePence: 400_000,
      extras: [
        { kind: 'transport', basis: 'weekly', amountPence: 5_000 },
        { kind: 'education-place', basis: 'one-off', amountPence: 10_000 },
      ],
      ...overrides,
    });
  const stay: Hold = { id: 'p-1', bedId: 'hv-3', kind: 'placement', from: '2026-10-01', resident };

  const bedHistory = () => history('hv-3', [{ id: 'p-1', from: '2026-10-01' }]);

  it("ends on a date: the hold ends that day (dropped from the calendar once behind its horizon), and so does the bed's history", () => {
    const recent = decideEnd({ placement: placement(), calendar: calendar([stay]), history: bedHistory(), endDate: '2026-11-20', reasonPlacementChange: 'CARPL' }, ctx());
    expect(recent.result).toMatchObject({ status: 'ended', version: 2, ending: { endDate: '2026-11-20', planned: true, decision } });
    expect(written(recent.writes, 'calendar')[0]!.calendar.holds).toEqual([{ ...stay, to: '2026-11-20' }]);
    expect(written(recent.writes, 'bed-history')[0]).toMatchObject({ expectedVersion: 2, history: { version: 3, stays: [{ id: 'p-1', from: '2026-10-01', to: '2026-11-20' }] } });

    const backDated = decideEnd({ placement: placement(), calendar: calendar([stay]), history: bedHistory(), endDate: '2026-11-01', reasonPlacementChange: 'CHILD' }, ctx());
    expect(written(backDated.writes, 'calendar')[0]!.calendar.holds).toEqual([]);
    expect(written(backDated.writes, 'bed-history')[0]!.history.stays).toEqual([{ id: 'p-1', from: '2026-10-01', to: '2026-11-01' }]);
    expect(backDated.result.ending?.planned).toBe(false);
  });

  it('refuses an end before the start, a second end, and an end outside the window', () => {
    const end = (endDate: string, p = placement()) => decideEnd({ placement: p, calendar: calendar([stay]), history: bedHistory(), endDate, reasonPlacementChange: 'CARPL' }, ctx());
    expect(refusal(() => end('2026-09-30'))).toMatchObject({ field: 'endDate', rule: 'too_small' });
    expect(refusal(() => end('2026-11-30', placement({ status: 'ended' })))).toMatchObject({ reason: 'placement-ended' });
    expect(refusal(() => end('2025-03-31', placement({ startDate: '2025-01-01' })))).toMatchObject({ field: 'endDate', rule: 'too_small', message: expect.stringContaining('2025-04-01') });
    expect(refusal(() => end('2027-11-24'))).toMatchObject({ field: 'endDate', rule: 'too_big' });
  });

  it('moves to another home: both calendars in one transaction, a new placement at the same price with the weekly extras only', () => {
    const northfield: HomeCalendar = { homeId: 'northfield', version: 0, holds: [] };
    const { result, writes } = decideMove(
      {
        placement: placement(),
        record: record('placed'),
        fromCalendar: calendar([stay]),
        fromHistory: bedHistory(),
        toHome: versioned('northfield'),
        toCalendar: northfield,
        toHistory: history('nf-1', [], 'northfield', 0),
        toBedId: 'nf-1',
        date: '2026-11-24',
        reasonPlacementChange: 'STAND',
      },
      ctx(),
    );
    expect(kinds(writes)).toEqual(['calendar', 'calendar', 'bed-history', 'bed-history', 'home-unchanged', 'placement', 'placement']);
    expect(written(writes, 'bed-history').map((w) => [w.history.bedId, w.expectedVersion, w.history.stays])).toEqual([
      ['hv-3', 2, [{ id: 'p-1', from: '2026-10-01', to: '2026-11-24' }]],
      ['nf-1', 0, [{ id: result.continued.placementId, from: '2026-11-24' }]],
    ]);
    expect(written(writes, 'calendar').map((w) => [w.calendar.homeId, w.expectedVersion])).toEqual([
      ['harbour-view', 5],
      ['northfield', 0],
    ]);
    expect(result.ended.ending).toMatchObject({ endDate: '2026-11-24', reasonPlacementChange: 'STAND', planned: false, movedTo: result.continued.placementId });
    expect(result.continued).toMatchObject({ homeId: 'northfield', bedId: 'nf-1', startDate: '2026-11-24', agreedWeeklyPricePence: 400_000, movedFrom: 'p-1', version: 1 });
    expect(result.continued.extras).toEqual([{ kind: 'transport', basis: 'weekly', amountPence: 5_000 }]);
    expect(result.continued.offerId).toBeUndefined();
  });

  it('moves within a home without a 903 reason, writing its one calendar once', () => {
    const { writes } = decideMove(
      { placement: placement(), record: record('placed'), fromCalendar: calendar([stay]), fromHistory: bedHistory(), toHome: versioned('harbour-view'), toCalendar: calendar([stay]), toHistory: history('hv-4'), toBedId: 'hv-4', date: '2026-11-24' },
      ctx(),
    );
    const [only, ...none] = written(writes, 'calendar');
    expect(none).toEqual([]);
    expect(only!.calendar.holds.map((h) => [h.bedId, h.from, h.to])).toEqual([
      ['hv-3', '2026-10-01', '2026-11-24'],
      ['hv-4', '2026-11-24', undefined],
    ]);
  });

  it('needs a 903 reason to move to another home, and refuses a move to the same bed', () => {
    const base = { placement: placement(), record: record('placed'), fromCalendar: calendar([stay]), fromHistory: bedHistory(), date: '2026-11-24' };
    expect(refusal(() => decideMove({ ...base, toHome: versioned('northfield'), toCalendar: calendar(), toHistory: history('nf-1'), toBedId: 'nf-1' }, ctx()))).toMatchObject({ field: 'reasonPlacementChange', rule: 'required' });
    expect(refusal(() => decideMove({ ...base, toHome: versioned('harbour-view'), toCalendar: calendar([stay]), toHistory: bedHistory(), toBedId: 'hv-3' }, ctx()))).toMatchObject({ field: 'toBedId' });
  });

  it("refuses a back-dated move into a bed whose history has a stay on those nights", () => {
    const toHistory = history('hv-4', [{ id: 'p-other', from: '2026-10-15', to: '2026-11-10' }]);
    const move = (date: string) => decideMove({ placement: placement(), record: record('placed'), fromCalendar: calendar([stay]), fromHistory: bedHistory(), toHome: versioned('harbour-view'), toCalendar: calendar([stay]), toHistory, toBedId: 'hv-4', date }, ctx());
    expect(refusal(() => move('2026-11-01'))).toMatchObject({ reason: 'bed-unavailable' });
    expect(move('2026-11-10').result.continued.startDate).toBe('2026-11-10');
  });
});

describe('changing a home', () => {
  const held = calendar([placementHold('hv-3', '2026-10-01')]);

  it('refuses to remove a bed someone is held in, or to put it out of use over their nights', () => {
    const existing = versioned('harbour-view');
    const withoutHv3 = { ...existing.home, beds: existing.home.beds.filter((b) => b.id !== 'hv-3') };
    expect(refusal(() => decideHomeChange({ existing, next: withoutHv3, calendar: held }, ctx()))).toMatchObject({ reason: 'bed-in-use' });
    const closed = { ...existing.home, beds: existing.home.beds.map((b) => (b.id === 'hv-3' ? { ...b, outOfUse: [{ from: '2027-01-01', reason: 'refit' }] } : b)) };
    expect(refusal(() => decideHomeChange({ existing, next: closed, calendar: held }, ctx()))).toMatchObject({ reason: 'bed-in-use' });
  });

  it('claims the ids of new beds and releases those of removed ones, on the versions it read', () => {
    const existing = versioned('harbour-view');
    const next = { ...existing.home, beds: [...existing.home.beds.filter((b) => b.id !== 'hv-4'), { id: 'hv-5', sellable: true, outOfUse: [] }] };
    const { result, writes } = decideHomeChange({ existing, next, calendar: held }, ctx());
    expect(result.version).toBe(4);
    expect(writes).toEqual([
      { kind: 'home', home: next, expectedVersion: 3, changed: decision },
      { kind: 'calendar-unchanged', homeId: 'harbour-view', version: 5 },
      { kind: 'bed-claim', bedId: 'hv-5', homeId: 'harbour-view' },
      { kind: 'bed-release', bedId: 'hv-4', homeId: 'harbour-view' },
    ]);
  });
});
