import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEstate } from '#lib/estate/seed';
import type { Referral } from '#lib/referrals/schema';
import { addDays } from '#lib/time/calendar';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';
import { testToday } from '#tests/support/clock';

/**
 * Issue 11 items 1 and 9 through the real handler and DynamoDB Local: the matcher's hard rules at
 * offers, admissions and moves, the head of service's override and its report, estate changes that
 * would contradict a placement, and the education extra.
 */

let h: ApiHarness;
const today = testToday;
const month = today.slice(0, 7);
const homes = sampleEstate();
const harbourView = homes.find((home) => home.id === 'harbour-view')!;

const HIGH_CASE_RULES = ['placement-type', 'registration', 'kind', 'sex', 'needs'];
const override = { rules: HIGH_CASE_RULES, reason: 'Emergency tonight: no other bed in the region; agreed with the placing council.' };
const needsSchool = (budget: number) => (r: Referral) => Object.assign(r.sought, { educationPlaceRequired: true, maxWeeklyBudgetPence: budget });

beforeAll(async () => {
  h = await startApiHarness('hard-rules');
  for (const home of homes) expect((await h.call('PUT', `/api/homes/${home.id}`, { body: home })).status).toBe(200);
});
afterAll(() => h.stop());

describe('the High case: a boy of 15 needing K2, admitted straight into Purley Close (R3, girls 14–21)', () => {
  it('answers 409 naming each rule broken and writes nothing; a head-of-service override with a reason answers 201 and the override report lists it', async () => {
    // Prepare
    await h.createReferral('HIGH-1');
    const request = { bedId: 'pur-3', startDate: today };
    const before = await h.snapshot();

    // Act: as the attacker did, then with an override from a manager, then from the head of service
    const refused = await h.call('POST', '/api/referrals/HIGH-1/admission', { body: request });
    const notTheirs = await h.call('POST', '/api/referrals/HIGH-1/admission', { as: 'service-manager', body: { ...request, override } });
    const unchanged = await h.snapshot();
    const overridden = await h.call('POST', '/api/referrals/HIGH-1/admission', { as: 'head-of-service', body: { ...request, override } });

    // Assess: the refusals
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.body.type).toMatch(/\/problems\/hard-rules$/);
    expect(refused.body.rules.map((r: any) => r.rule)).toEqual(HIGH_CASE_RULES);
    expect(refused.body.rules).toContainEqual({ rule: 'placement-type', reason: 'placement type K2 is not in the Statement of Purpose (R3)' });
    expect(JSON.stringify(refused.body)).not.toContain('2011-03-14');
    expect(notTheirs).toMatchObject({ status: 403, body: { type: expect.stringMatching(/override-not-permitted$/) } });
    expect(unchanged).toBe(before);

    // Assess: the override, on the placement, in the referral's history and in the report
    expect(overridden.status).toBe(201);
    const placementId = overridden.body.placementId;
    const shown = await h.call('GET', `/api/placements/${placementId}`);
    expect(shown.body.overrides).toEqual([
      {
        rules: HIGH_CASE_RULES.map((rule) => ({ rule, reason: expect.any(String) })),
        reason: override.reason,
        givenWith: { kind: 'admission', id: placementId },
        decision: { by: expect.objectContaining({ subject: 'staff-head-of-service' }), at: expect.any(String) },
      },
    ]);
    const history = (await h.call('GET', '/api/referrals/HIGH-1')).body.history;
    expect(history[0]).toMatchObject({ event: 'placement.admitted', override: { rules: HIGH_CASE_RULES, reason: override.reason } });

    const report = await h.call('GET', '/api/reports/overrides', { as: 'head-of-service', query: { from: month, to: month } });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ count: 1, byMonth: [{ month, count: 1 }], byPerson: [{ subject: 'staff-head-of-service', count: 1 }] });
    expect(report.body.byRule.map((r: any) => r.rule).sort()).toEqual([...HIGH_CASE_RULES].sort());
    expect(report.body.overrides).toEqual([expect.objectContaining({ decision: 'admission', id: placementId, referralId: 'HIGH-1', homeId: 'purley-close', bedId: 'pur-3' })]);
    const csv = await h.call('GET', '/api/reports/overrides', { as: 'head-of-service', query: { from: month, to: month, format: 'csv' } });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toContain('rule,sex,,1\r\n');
    expect(csv.body).toContain(`month,${month},,1\r\n`);
    expect((await h.call('GET', '/api/reports/overrides', { as: 'service-manager', query: { from: month, to: month } })).status).toBe(403);
  });

  it('names age too for a boy of 13, under the home’s 14', async () => {
    await h.createReferral('HIGH-13', (r) => (r.child.dateOfBirth = addDays(today, -(13 * 365 + 100))));
    const refused = await h.call('POST', '/api/referrals/HIGH-13/admission', { body: { bedId: 'pur-4', startDate: today } });
    expect(refused.status).toBe(409);
    expect(refused.body.rules.map((r: any) => r.rule)).toEqual(['placement-type', 'registration', 'kind', 'age', 'sex', 'needs']);
  });
});

describe('an offer of a 16–25 supported-accommodation bed to a child of 15', () => {
  it('answers 409 naming age, the one rule the child otherwise fitting breaks', async () => {
    await h.createReferral('AGE-15', (r) => {
      r.child.dateOfBirth = addDays(today, -(15 * 365 + 100));
      Object.assign(r.sought, { placementType: 'K3', kind: 'long-term' });
      r.needs = ['leaving-care'];
    });
    const refused = await h.call('POST', '/api/referrals/AGE-15/offers', { as: 'placements-officer', body: { bedId: 'mit-4a' } });
    expect(refused).toMatchObject({ status: 409, body: { rules: [{ rule: 'age', reason: expect.stringMatching(/^the child is 15 on .*; the home takes ages 16 to 25$/) }] } });
  });
});

describe('the education extra', () => {
  it("is charged by default where the referral requires an education place and the home provides one; leaving it off needs a reason, kept on the placement", async () => {
    // Prepare: two children who need a school place, with budgets that cover the homes' charges
    await h.createReferral('EDU-1', needsSchool(500_000));
    await h.createReferral('EDU-2', needsSchool(700_000));

    // Act
    const charged = await h.call('POST', '/api/referrals/EDU-1/admission', { body: { bedId: 'hv-3', startDate: today } });
    const unsaid = await h.call('POST', '/api/referrals/EDU-2/admission', { body: { bedId: 'nf-1', startDate: today, educationExtraWaivedReason: 'short' } });
    const waived = await h.call('POST', '/api/referrals/EDU-2/admission', {
      body: { bedId: 'nf-1', startDate: today, educationExtraWaivedReason: 'The child keeps their current school place, paid by the placing council.' },
    });

    // Assess
    expect(charged.status).toBe(201);
    expect(charged.body.extras).toEqual([{ kind: 'education-place', basis: 'weekly', amountPence: harbourView.educationPlaceWeeklyPence }]);
    expect(unsaid).toMatchObject({ status: 400, body: { errors: [{ field: 'educationExtraWaivedReason', rule: 'too_small' }] } });
    expect(waived.status).toBe(201);
    expect(waived.body).toMatchObject({ extras: [], educationExtraWaivedReason: 'The child keeps their current school place, paid by the placing council.' });
  });
});

describe('a move', () => {
  it('into a home that does not take the child answers 409 naming each rule', async () => {
    const placed = (await h.call('GET', '/api/referrals/EDU-1')).body.placements[0];
    const refused = await h.call('POST', `/api/placements/${placed.placementId}/move`, { body: { toBedId: 'elm-5', date: addDays(today, 1), reasonPlacementChange: 'CARPL' } });
    expect(refused.status).toBe(409);
    expect(refused.body.rules.map((r: any) => r.rule)).toEqual(['placement-type', 'registration', 'age', 'needs']);
  });
});

describe('estate changes that contradict running placements', () => {
  it('refuses to keep an occupied bed for own children, or put it out of use over its nights, naming the placement; nothing is written', async () => {
    // Prepare: hv-3 holds EDU-1 from today
    const placementId = (await h.call('GET', '/api/referrals/EDU-1')).body.placements[0].placementId;
    const current = (await h.call('GET', '/api/homes/harbour-view')).body.home;
    const keptBack = { ...current, beds: current.beds.map((b: any) => (b.id === 'hv-3' ? { ...b, sellable: false } : b)) };
    const before = await h.snapshot();

    // Act
    const unsellable = await h.call('PUT', '/api/homes/harbour-view', { body: keptBack });
    const outOfUse = await h.call('PUT', '/api/homes/harbour-view/beds/hv-3/out-of-use', { body: { periods: [{ from: addDays(today, 3), to: addDays(today, 10), reason: 'refit' }] } });

    // Assess
    for (const answer of [unsellable, outOfUse]) {
      expect(answer.status).toBe(409);
      expect(answer.body.type).toMatch(/bed-in-use$/);
      expect(answer.body.detail).toContain(`placement ${placementId}`);
      expect(answer.body.holds).toEqual([expect.objectContaining({ kind: 'placement', id: placementId, from: today })]);
    }
    expect(await h.snapshot()).toBe(before);
  });

  it("finds stays the calendar no longer keeps in the bed's history, and refuses out-of-use over their nights", async () => {
    // Prepare: a stay on hv-4 recorded late, months back, and ended: gone from the calendar, kept in the bed's history
    await h.createReferral('PAST-1');
    const admitted = await h.call('POST', '/api/referrals/PAST-1/admission', { body: { bedId: 'hv-4', startDate: addDays(today, -120) } });
    expect(admitted.status).toBe(201);
    const ended = await h.call('POST', `/api/placements/${admitted.body.placementId}/end`, { body: { endDate: addDays(today, -90), reasonPlacementChange: 'CARPL' } });
    expect(ended.status).toBe(200);
    expect((await h.calendar('harbour-view')).holds.map((x) => x.id)).not.toContain(admitted.body.placementId);

    // Act
    const over = await h.call('PUT', '/api/homes/harbour-view/beds/hv-4/out-of-use', { body: { periods: [{ from: addDays(today, -100), to: addDays(today, -95), reason: 'flood' }] } });
    const after = await h.call('PUT', '/api/homes/harbour-view/beds/hv-4/out-of-use', { body: { periods: [{ from: addDays(today, -90), to: addDays(today, -80), reason: 'flood' }] } });

    // Assess
    expect(over).toMatchObject({ status: 409, body: { holds: [{ field: 'beds.3.outOfUse.0', kind: 'placement', id: admitted.body.placementId }] } });
    expect(after.status).toBe(200);
  });
});
