import { describe, expect, it } from 'vitest';
import type { Decision } from '#lib/auth/caller';
import type { VersionedHome } from '#lib/estate/estate-items';
import { sampleEstate } from '#lib/estate/seed';
import type { Home } from '#lib/estate/schema';
import { decideAdmission } from '#lib/placements/admission-decisions';
import type { DecisionContext } from '#lib/placements/bed-rules';
import { emptyBedHistory } from '#lib/time/bed-history';
import type { HomeCalendar, Hold } from '#lib/time/home-calendar';
import { Refused } from '#lib/errors';
import { DecisionConflict, InvalidDecision } from '#lib/placements/decision-errors';
import { applyDecisionRules } from '#lib/placements/decision-rules';
import { decideOffer } from '#lib/placements/offer-decisions';
import type { OverrideRequest } from '#lib/placements/overrides';
import { decideMove } from '#lib/placements/placement-changes';
import type { Offer, Placement } from '#lib/placements/schema';
import type { Write } from '#lib/placements/writes';
import type { ReferralRecord } from '#lib/referrals/lifecycle';
import type { Referral } from '#lib/referrals/schema';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';
import { referralWith } from '#tests/support/matching-world';
import { activePlacement } from '#tests/support/active-placement';

/**
 * The matcher's hard rules at the decisions that place a child (issue 11 item 1): every rule broken
 * named, at the decision's dates, against the residents then; overrides by the head of service only.
 */

const NOW = '2026-11-23T10:00:00.000Z';
const TODAY = '2026-11-23';
const manager: Decision = { by: { subject: 'm-1', name: 'a.manager@council.example', roles: ['residential-manager'] }, at: NOW };
const head: Decision = { by: { subject: 'hos-1', name: 'the.head@council.example', roles: ['head-of-service'] }, at: NOW };
let ids = 0;
const ctx = (decision: Decision = manager): DecisionContext => ({ nowMs: Date.parse(NOW), today: TODAY, decision, newId: () => `id-${++ids}`});

const homes = sampleEstate();
const versioned = (id: string, change?: (h: Home) => void): VersionedHome => {
  const home = structuredClone(homes.find((h) => h.id === id)!);
  change?.(home);
  return { home, version: 3 };
};
const record = (referral: Referral, status: ReferralRecord['status'] = 'open'): ReferralRecord => ({
  referralId: referral.referralId,
  status,
  version: 2,
  placingLa: referral.placingAuthority.laNumber,
  referral,
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-21T09:00:00.000Z',
});
const calendar = (homeId: string, holds: Hold[] = []): HomeCalendar => ({ homeId, version: 5, holds });
const other = (id: string, bedId: string, from: string, to?: string, dateOfBirth = '2010-01-01'): Hold => ({
  id,
  bedId,
  kind: 'placement',
  from,
  ...(to ? { to } : {}),
  resident: { referralId: `REF-${id}`, dateOfBirth, sex: 'F', risks: [], placedBy: '391' },
});
const written = <K extends Write['kind']>(writes: Write[], kind: K) => writes.filter((w): w is Extract<Write, { kind: K }> => w.kind === kind);

function refusal(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    if (error instanceof DecisionConflict || error instanceof InvalidDecision || error instanceof Refused) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
const rulesOf = (error: Error) => ((error as DecisionConflict).extensions.rules as { rule: string }[]).map((r) => r.rule);

/** events/referrals/created.json: a boy of 15 (born March 2011) needing a K2 children's home, long-term. */
const boy = WORKED_REFERRALS.W01;
const admitStraightTo = (referral: Referral, homeId: string, bedId: string, extra: Partial<Parameters<typeof decideAdmission>[0]> = {}, decision = manager) =>
  decideAdmission(
    {
      record: record(referral),
      referralId: referral.referralId,
      offersOfReferral: [],
      target: { bedId },
      home: versioned(homeId),
      calendar: calendar(homeId),
      history: emptyBedHistory(homeId, bedId),
      startDate: '2026-12-01',
      extras: [],
      ...extra,
    },
    ctx(decision),
  );

const HIGH_CASE_RULES = ['placement-type', 'registration', 'kind', 'sex', 'needs'];

describe('the High case: a boy of 15 needing K2, admitted straight into Purley Close (R3, girls 14–21)', () => {
  it('is refused with a 409 naming every rule it breaks, each with the reason, and no date of birth', () => {
    // Act
    const error = refusal(() => admitStraightTo(boy, 'purley-close', 'pur-3'));

    // Assess
    expect(error).toMatchObject({ reason: 'hard-rules' });
    expect(rulesOf(error)).toEqual(HIGH_CASE_RULES);
    expect((error as DecisionConflict).extensions.rules).toContainEqual({ rule: 'placement-type', reason: 'placement type K2 is not in the Statement of Purpose (R3)' });
    expect((error as DecisionConflict).extensions.rules).toContainEqual({ rule: 'sex', reason: 'the home takes F only' });
    expect(JSON.stringify((error as DecisionConflict).extensions) + error.message).not.toContain(boy.child.dateOfBirth);
  });

  it('names age as well for a boy of 13, under the home’s 14 (15 is inside 14–21: age is not broken by the case as reported)', () => {
    const younger = referralWith('YOUNGER', { child: { dateOfBirth: '2013-03-14' } as Referral['child'] });
    const error = refusal(() => admitStraightTo(younger, 'purley-close', 'pur-3'));
    expect(rulesOf(error)).toEqual(['placement-type', 'registration', 'kind', 'age', 'sex', 'needs']);
    expect((error as DecisionConflict).extensions.rules).toContainEqual({ rule: 'age', reason: 'the child is 13 on 2026-12-01; the home takes ages 14 to 21' });
  });

  it('goes through with a head-of-service override naming each rule, recorded on the placement, in the history and in the override log', () => {
    // Prepare
    const override: OverrideRequest = { rules: ['placement-type', 'registration', 'kind', 'sex', 'needs'], reason: 'Emergency: no other bed in the region tonight; agreed with the placing council.' };

    // Act
    const { result, writes } = admitStraightTo(boy, 'purley-close', 'pur-3', { override }, head);

    // Assess
    expect(result.overrides).toEqual([
      {
        rules: HIGH_CASE_RULES.map((rule) => ({ rule, reason: expect.any(String) })),
        reason: override.reason,
        givenWith: { kind: 'admission', id: result.placementId },
        decision: head,
      },
    ]);
    expect(written(writes, 'referral')[0]!.change.history).toMatchObject({ event: 'placement.admitted', override: { rules: HIGH_CASE_RULES, reason: override.reason } });
    expect(written(writes, 'override-log')).toEqual([
      { kind: 'override-log', entry: { month: '2026-11', referralId: boy.referralId, homeId: 'purley-close', bedId: 'pur-3', override: result.overrides![0] } },
    ]);
  });

  it('refuses the same override from anyone but the head of service (403), whatever their other roles', () => {
    const override: OverrideRequest = { rules: ['placement-type', 'registration', 'kind', 'sex', 'needs'], reason: 'Emergency: no other bed in the region tonight.' };
    for (const role of ['residential-manager', 'placements-officer', 'service-manager'] as const) {
      const error = refusal(() => admitStraightTo(boy, 'purley-close', 'pur-3', { override }, { ...manager, by: { ...manager.by, roles: [role] } }));
      expect(error).toBeInstanceOf(Refused);
      expect(error).toMatchObject({ status: 403, type: 'override-not-permitted' });
    }
  });

  it('still refuses, naming only those left, when the override leaves a broken rule out', () => {
    const override: OverrideRequest = { rules: ['placement-type', 'sex'], reason: 'Emergency: no other bed in the region tonight.' };
    const error = refusal(() => admitStraightTo(boy, 'purley-close', 'pur-3', { override }, head));
    expect(error).toMatchObject({ reason: 'hard-rules' });
    expect(rulesOf(error)).toEqual(['registration', 'kind', 'needs']);
    expect(error.message).toContain('(overridden: placement-type, sex)');
  });

  it('refuses (400) an override naming a rule the decision does not break', () => {
    const override: OverrideRequest = { rules: [...(HIGH_CASE_RULES as OverrideRequest['rules']), 'age'], reason: 'Emergency: no other bed in the region tonight.' };
    const error = refusal(() => admitStraightTo(boy, 'purley-close', 'pur-3', { override }, head));
    expect(error).toMatchObject({ field: 'override.rules', rule: 'invalid_value' });
    expect(error.message).toMatch(/^age is not broken/);
  });
});

describe('an offer', () => {
  const offerOf = (referral: Referral, homeId: string, bedId: string, cal = calendar(homeId), decision = manager, override?: OverrideRequest) =>
    decideOffer({ record: record(referral), referralId: referral.referralId, offersOfReferral: [], home: versioned(homeId), bedId, calendar: cal, override }, ctx(decision));

  it('of a 16–25 supported-accommodation bed to a child of 15 who otherwise fits is refused for age alone', () => {
    // W06: born 2011-06-01, K3 long-term, leaving care, budget £2,000: Mitford Gardens takes 16 to 25
    const error = refusal(() => offerOf(WORKED_REFERRALS.W06, 'mitford-gardens', 'mit-4a'));
    expect((error as DecisionConflict).extensions.rules).toEqual([{ rule: 'age', reason: 'the child is 15 on 2026-12-01; the home takes ages 16 to 25' }]);
  });

  it('judges age on its own first night: a child who is 16 by then fits', () => {
    const { W06 } = WORKED_REFERRALS;
    const later = referralWith('LATER', { ...W06, child: { ...W06.child, dateOfBirth: '2010-12-15' }, sought: { ...W06.sought, neededFrom: '2026-12-20' } });
    expect(offerOf(later, 'mitford-gardens', 'mit-4a').result.status).toBe('offered');
  });

  it('is refused over the budget (price £4,020 over £4,000), the same rule as the matcher', () => {
    const tight = referralWith('TIGHT', { sought: { maxWeeklyBudgetPence: 400_000 } as Referral['sought'] });
    expect((refusal(() => offerOf(tight, 'harbour-view', 'hv-3')) as DecisionConflict).extensions.rules).toEqual([
      { rule: 'budget', reason: 'weekly charge £4,020.00 is over the budget of £4,000.00' },
    ]);
  });

  it('counts the children living there during its own nights: a solo placement with a resident leaving before them fits, one arriving during them does not', () => {
    // W02: solo placement recommended, 12 weeks from 2026-12-01; Northfield is solo-capable
    const leaving = calendar('northfield', [other('p-old', 'nf-2', '2026-06-01', '2026-12-01')]);
    expect(offerOf(WORKED_REFERRALS.W02, 'northfield', 'nf-1', leaving).result.status).toBe('offered');
    const arriving = calendar('northfield', [other('p-new', 'nf-2', '2027-01-10')]);
    expect(rulesOf(refusal(() => offerOf(WORKED_REFERRALS.W02, 'northfield', 'nf-1', arriving)))).toEqual(['living-companions']);
  });

  it('with an override, carries it to the admission on it: only rules broken anew need another', () => {
    // Prepare: the head of service offers the boy Purley Close, overriding what it breaks; the council accepts
    const override: OverrideRequest = { rules: ['placement-type', 'registration', 'kind', 'sex', 'needs'], reason: 'Emergency: no other bed in the region tonight.' };
    const offered = offerOf(boy, 'purley-close', 'pur-3', calendar('purley-close'), head, override).result;
    expect(offered.overrides?.[0]).toMatchObject({ givenWith: { kind: 'offer', id: offered.offerId }, decision: head });
    const accepted: Offer = { ...offered, status: 'accepted', version: 2 };
    const hold: Hold = { id: offered.offerId, bedId: 'pur-3', kind: 'offer', from: offered.from, to: offered.to, resident: { referralId: boy.referralId, dateOfBirth: boy.child.dateOfBirth, sex: 'M', risks: [], placedBy: '390' } };
    const admission = (home: VersionedHome) =>
      decideAdmission(
        {
          record: record(boy, 'accepted'),
          referralId: boy.referralId,
          offersOfReferral: [accepted],
          target: { bedId: 'pur-3', homeId: 'purley-close', offer: accepted },
          home,
          calendar: calendar('purley-close', [hold]),
          history: emptyBedHistory('purley-close', 'pur-3'),
          startDate: '2026-12-01',
          extras: [],
        },
        ctx(),
      );

    // Act: a manager admits on it; then the same after the home's cost went up to £4,000 a week
    const admitted = admission(versioned('purley-close'));
    const dearer = refusal(() => admission(versioned('purley-close', (h) => (h.weeklyCostPence = 400_000))));

    // Assess
    expect(admitted.result.overrides).toEqual(offered.overrides);
    expect(written(admitted.writes, 'override-log')).toEqual([]);
    expect((dearer as DecisionConflict).extensions.rules).toEqual([{ rule: 'budget', reason: 'weekly charge £4,980.00 is over the budget of £4,500.00' }]);
  });
});

describe('a move', () => {
  const placement = activePlacement({
    referralId: boy.referralId,
    resident: { referralId: boy.referralId, dateOfBirth: boy.child.dateOfBirth, sex: 'M', risks: [], placedBy: '390' },
    admitted: manager,
  });
  const stay: Hold = { id: 'p-1', bedId: 'hv-3', kind: 'placement', from: '2026-10-01', resident: placement.resident };
  const move = (toHomeId: string, toBedId: string, p = placement, decision = manager, override?: OverrideRequest) =>
    decideMove(
      {
        placement: p,
        record: record(boy, 'placed'),
        fromCalendar: calendar('harbour-view', [stay]),
        fromHistory: emptyBedHistory('harbour-view', 'hv-3'),
        toHistory: emptyBedHistory(toHomeId, toBedId),
        toHome: versioned(toHomeId),
        toCalendar: toHomeId === 'harbour-view' ? calendar('harbour-view', [stay]) : calendar(toHomeId),
        toBedId,
        date: '2026-11-24',
        reasonPlacementChange: 'CARPL',
        override,
      },
      ctx(decision),
    );

  it('judges the new home by the rules, but not by the budget: the agreed price carries over (Northfield’s £5,675 is over £4,500)', () => {
    expect(move('northfield', 'nf-1').result.continued.homeId).toBe('northfield');
  });

  it('into a home that does not take the child is refused naming each rule', () => {
    expect(rulesOf(refusal(() => move('elm-house', 'elm-5')))).toEqual(['placement-type', 'registration', 'age', 'needs']);
  });

  it('within the home keeps the overrides the child was let in with; to another home they do not follow', () => {
    const overridden: Placement = { ...placement, homeId: 'purley-close', bedId: 'pur-3', overrides: [{ rules: [{ rule: 'sex', reason: 'the home takes F only' }], reason: 'x'.repeat(20), givenWith: { kind: 'admission', id: 'p-1' }, decision: head }] };
    const within = decideMove(
      {
        placement: overridden,
        record: record(referralWith(boy.referralId, { sought: { placementType: 'R3', kind: 'assessment' } as Referral['sought'], needs: ['young-parent'] }), 'placed'),
        fromCalendar: calendar('purley-close', [{ ...stay, bedId: 'pur-3' }]),
        toHome: versioned('purley-close'),
        toCalendar: calendar('purley-close', [{ ...stay, bedId: 'pur-3' }]),
        fromHistory: emptyBedHistory('purley-close', 'pur-3'),
        toHistory: emptyBedHistory('purley-close', 'pur-4'),
        toBedId: 'pur-4',
        date: '2026-11-24',
      },
      ctx(),
    );
    expect(within.result.continued.overrides).toEqual(overridden.overrides);
    expect(move('northfield', 'nf-1', overridden).result.continued.overrides).toBeUndefined();
  });

  const moveOf = (p: Placement, toHomeId: string, toBedId: string, withRecord = false) =>
    decideMove(
      {
        placement: p,
        record: withRecord ? record(boy, 'placed') : undefined,
        fromCalendar: calendar('harbour-view', [stay]),
        fromHistory: emptyBedHistory('harbour-view', 'hv-3'),
        toHome: versioned(toHomeId),
        toCalendar: calendar(toHomeId),
        toHistory: emptyBedHistory(toHomeId, toBedId),
        toBedId,
        date: '2026-11-24',
        reasonPlacementChange: 'CARPL',
      },
      ctx(),
    );

  it('refuses where the referral it was admitted on has no details to judge by', () => {
    expect(refusal(() => moveOf(placement, 'northfield', 'nf-1'))).toMatchObject({ reason: 'referral-status' });
  });

  it('of a placement loaded at go-live (no referral) tries the rules its own record answers: type, registration, age, sex, risks, capacity', () => {
    const { referralId: _none, ...imported } = { ...placement, resident: { ...placement.resident, referralId: undefined, risks: ['fire-setting' as const] } };
    expect(rulesOf(refusal(() => moveOf(imported, 'purley-close', 'pur-3')))).toEqual(['placement-type', 'registration', 'sex', 'risks-excluded']);
    expect(rulesOf(refusal(() => moveOf(imported, 'elm-house', 'elm-5')))).toEqual(['placement-type', 'registration', 'age', 'risks-excluded']);
    const { referralId: _also, ...calm } = placement;
    expect(moveOf(calm, 'northfield', 'nf-1').result.continued.homeId).toBe('northfield');
  });

  it('judges every sample home for a go-live placement without reading a referral field its rules do not have', () => {
    const { referralId: _none, ...imported } = placement;
    for (const home of homes) {
      const bed = home.beds.find((b) => b.sellable && b.id !== placement.bedId)!;
      const outcome = () => moveOf(imported, home.id, bed.id);
      expect(() => {
        try {
          outcome();
        } catch (error) {
          // A refusal is an answer; a TypeError from a field the record lacks would not be.
          if (!(error instanceof DecisionConflict)) throw error;
        }
      }).not.toThrow();
    }
  });
});

describe('the rules a decision applies', () => {
  it('are every home rule and the budget, never the bed’s availability (checked, unoverridable, before)', () => {
    const home = versioned('purley-close').home;
    const outcome = () =>
      applyDecisionRules(
        { referral: record(WORKED_REFERRALS.W09) as never, home, calendar: calendar('purley-close'), bed: home.beds.find((b) => b.id === 'pur-1')!, from: '2026-12-01', givenWith: { kind: 'admission', id: 'p' } },
        ctx(),
      );
    // pur-1 is kept for the council's own children: that is the decision's own availability check, not a rule here
    expect(outcome()).toEqual({ writes: [], history: {} });
  });
});
