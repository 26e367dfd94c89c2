import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEstate } from '#lib/estate/seed';
import { weeklyPricePence } from '#lib/estate/pricing';
import { addDays } from '#lib/time/calendar';
import { stackClock } from '#lib/stack-clock';
import type { Referral } from '#lib/referrals/schema';
import { startApiHarness, referralItems, type ApiHarness } from '#tests/support/api-harness';
import { testToday } from '#tests/support/clock';
import { readEvent } from '#tests/support/webhook';

/** The manager API's handler against DynamoDB Local with real tokens from the dev issuer: no mocks. */

let h: ApiHarness;
/** The harness's clock stands at TEST_NOW; the sample referral is needed from today and sought for 26 weeks. */
const today = testToday;
const homes = sampleEstate();
const harbourView = homes.find((home) => home.id === 'harbour-view')!;
/** A 17-year-old leaving care: what Mitford Gardens' flats (K3, 16 to 25) take. */
const leavingCare = (r: Referral) => {
  r.child.dateOfBirth = '2009-01-15';
  r.sought.placementType = 'K3';
  r.needs = ['leaving-care'];
};

beforeAll(async () => {
  h = await startApiHarness('api');
  for (const home of homes) {
    const put = await h.call('PUT', `/api/homes/${home.id}`, { body: home });
    expect(put.status).toBe(200);
  }
});
afterAll(() => h.stop());

describe('estate', () => {
  it('lists the homes a page at a time, each bed with its derived weekly price', async () => {
    const first = await h.call('GET', '/api/homes', { as: 'finance', query: { limit: '3' } });
    const second = await h.call('GET', '/api/homes', { as: 'finance', query: { limit: '3', cursor: first.body.cursor } });

    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(3);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.cursor).toBeUndefined();
    const hv = [...first.body.items, ...second.body.items].find((v: any) => v.home.id === 'harbour-view');
    const bed = harbourView.beds.find((b) => b.id === 'hv-3')!;
    expect(hv.prices.find((p: any) => p.bedId === 'hv-3').weeklyPricePence).toBe(weeklyPricePence(harbourView, bed));
    expect(hv.version).toBe(1);
  });

  it('refuses a cursor it did not hand out, naming the field', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'REFERRAL#x', sk: 'CURRENT', gsi1pk: 'STATUS#open', gsi1sk: 'x' })).toString('base64url');
    const answer = await h.call('GET', '/api/homes', { query: { cursor: forged } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'query.cursor', rule: 'invalid_cursor' })]);
  });

  it('refuses a bed id another home already uses, writing nothing', async () => {
    const before = await h.snapshot();
    const clash = { ...harbourView, id: 'copy-of-harbour', ofstedUrn: 'SC999999' };
    const answer = await h.call('PUT', '/api/homes/copy-of-harbour', { body: clash });
    expect(answer).toMatchObject({ status: 409, body: { type: expect.stringMatching(/bed-id-taken$/) } });
    expect(await h.snapshot()).toBe(before);
  });

  it('names each failing field of a home', async () => {
    const answer = await h.call('PUT', '/api/homes/harbour-view', { body: { ...harbourView, ofstedUrn: 'nope', beds: [] } });
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.body.errors.map((e: any) => e.field).sort()).toEqual(['beds', 'ofstedUrn']);
  });
});

describe('a referral from offer to end', () => {
  it('offers, accepts, admits, confirms, moves and ends, recording who decided each step', async () => {
    // Prepare
    await h.createReferral('FLOW-1');
    const listed = await h.call('GET', '/api/referrals', { as: 'team-manager', query: { status: 'open' } });
    expect(listed.body.items.map((r: any) => r.referralId)).toContain('FLOW-1');

    // Act: offer a bed
    const offer = await h.call('POST', '/api/referrals/FLOW-1/offers', { body: { bedId: 'hv-3' } });
    expect(offer.status).toBe(201);
    expect(offer.body).toMatchObject({ status: 'offered', homeId: 'harbour-view', bedId: 'hv-3', from: today, to: addDays(today, 26 * 7) });
    expect(offer.body.offered.by).toEqual({ subject: 'staff-residential-manager', name: 'staff-residential-manager@council.example', roles: ['residential-manager'] });
    expect((await h.calendar('harbour-view')).holds).toEqual([expect.objectContaining({ id: offer.body.offerId, kind: 'offer', bedId: 'hv-3' })]);

    // Act: the placing council accepts
    const accepted = await h.call('POST', `/api/offers/${offer.body.offerId}/acceptance`, { as: 'placements-officer' });
    expect(accepted).toMatchObject({ status: 200, body: { status: 'accepted', accepted: { by: { subject: 'staff-placements-officer' } } } });
    expect((await h.calendar('harbour-view')).holds[0]?.expiresAt).toBeUndefined();

    // Act: admit
    const admitted = await h.call('POST', '/api/referrals/FLOW-1/admission', {
      body: { startDate: today, extras: [{ kind: 'transport', basis: 'weekly', amountPence: 5_000 }] },
    });
    expect(admitted.status).toBe(201);
    const placement = admitted.body;
    const hv3 = harbourView.beds.find((b) => b.id === 'hv-3')!;
    expect(placement).toMatchObject({
      bedId: 'hv-3',
      startDate: today,
      agreedWeeklyPricePence: weeklyPricePence(harbourView, hv3),
      status: 'active',
      offerId: offer.body.offerId,
      admitted: { by: { subject: 'staff-residential-manager' } },
    });

    // Assess: the referral's story, newest first
    const view = await h.call('GET', '/api/referrals/FLOW-1');
    expect(view.body.status).toBe('placed');
    expect(view.body.history.map((e: any) => e.event)).toEqual(['placement.admitted', 'offer.accepted', 'offer.made', 'referral.created']);
    expect(view.body.offers).toEqual([expect.objectContaining({ status: 'admitted', admittedAs: placement.placementId })]);
    expect((await referralItems(h, 'FLOW-1')).find((i) => i.sk === 'CURRENT')).toMatchObject({ version: 4, gsi1pk: 'STATUS#placed' });

    // Act: the confirmation the placing council needs for its 903 return
    const confirmation = await h.call('GET', `/api/placements/${placement.placementId}/confirmation`, { as: 'finance' });
    expect(confirmation).toMatchObject({
      status: 200,
      body: {
        ofstedUrn: harbourView.ofstedUrn,
        homePostcode: harbourView.postcode,
        placementType: 'K2',
        placementProvider: 'PR2',
        startDate: today,
        agreedWeeklyPricePence: placement.agreedWeeklyPricePence,
        purchaseOrder: 'PO-GH-48213',
      },
    });

    // Act: who is where tonight
    const tonight = await h.call('GET', '/api/occupancy', { as: 'team-manager', query: { date: today } });
    const hvBeds = tonight.body.homes.find((x: any) => x.homeId === 'harbour-view').beds;
    expect(hvBeds.find((b: any) => b.bedId === 'hv-3').occupant).toMatchObject({ placementId: placement.placementId, placedBy: '390', sex: 'M' });

    // Act: move to another home tomorrow
    const tomorrow = addDays(today, 1);
    const moved = await h.call('POST', `/api/placements/${placement.placementId}/move`, {
      body: { toBedId: 'nf-1', date: tomorrow, reasonPlacementChange: 'CARPL' },
    });
    expect(moved.status).toBe(201);
    expect(moved.body.ended.ending).toMatchObject({ endDate: tomorrow, reasonPlacementChange: 'CARPL', planned: true, movedTo: moved.body.continued.placementId });
    expect(moved.body.continued).toMatchObject({ homeId: 'northfield', bedId: 'nf-1', startDate: tomorrow, movedFrom: placement.placementId, agreedWeeklyPricePence: placement.agreedWeeklyPricePence });
    expect((await h.calendar('harbour-view')).holds).toEqual([expect.objectContaining({ id: placement.placementId, to: tomorrow })]);
    expect((await h.calendar('northfield')).holds).toEqual([expect.objectContaining({ id: moved.body.continued.placementId, from: tomorrow })]);

    // Act: end it; LAREQ does not say planned or not, so the manager must
    const endDate = addDays(today, 10);
    const continued = moved.body.continued.placementId;
    const unsaid = await h.call('POST', `/api/placements/${continued}/end`, { body: { endDate, reasonPlacementChange: 'LAREQ' } });
    expect(unsaid).toMatchObject({ status: 400, body: { errors: [{ field: 'planned', rule: 'required' }] } });
    const ended = await h.call('POST', `/api/placements/${continued}/end`, {
      as: 'service-manager',
      body: { endDate, reasonPlacementChange: 'LAREQ', planned: false, reasonEpisodeCeased: 'E3' },
    });
    expect(ended).toMatchObject({
      status: 200,
      body: { status: 'ended', ending: { endDate, planned: false, reasonEpisodeCeased: 'E3', decision: { by: { subject: 'staff-service-manager' } } } },
    });
    const again = await h.call('POST', `/api/placements/${continued}/end`, { body: { endDate, reasonPlacementChange: 'CARPL' } });
    expect(again).toMatchObject({ status: 409, body: { type: expect.stringMatching(/placement-ended$/) } });

    // Assess: nf-1 over two weeks: void tonight, occupied tomorrow to the end date, void after
    const voids = await h.call('GET', '/api/beds/nf-1/void-nights', { as: 'finance', query: { from: today, to: addDays(today, 14) } });
    expect(voids.body).toMatchObject({ homeId: 'northfield', nights: 14, occupiedNights: 9, voidNights: 5 });
    expect(voids.body.voidPeriods).toEqual([
      { from: today, to: tomorrow },
      { from: endDate, to: addDays(today, 14) },
    ]);
  });
});

describe('a decision sent again', () => {
  it('answers with the offer already made, writing nothing, when the same offer comes again; 409 for another bed', async () => {
    // Prepare: an offer made, whose answer the manager did not see
    await h.createReferral('AGAIN-2');
    const first = await h.call('POST', '/api/referrals/AGAIN-2/offers', { body: { bedId: 'hv-4' } });
    expect(first.status).toBe(201);
    const before = await h.snapshot();

    // Act: the same offer again, without and with the expiry it was given
    const again = await h.call('POST', '/api/referrals/AGAIN-2/offers', { body: { bedId: 'hv-4' } });
    const sameExpiry = await h.call('POST', '/api/referrals/AGAIN-2/offers', { body: { bedId: 'hv-4', expiresAt: first.body.expiresAt } });

    // Assess: the same offer, nothing written; another bed or another expiry is a second offer, refused
    for (const answer of [again, sameExpiry]) expect(answer).toMatchObject({ status: 201, body: { offerId: first.body.offerId, bedId: 'hv-4', status: 'offered' } });
    expect(await h.snapshot()).toBe(before);
    const otherExpiry = new Date(Date.parse(first.body.expiresAt) + 3_600_000).toISOString();
    for (const body of [{ bedId: 'hv-3' }, { bedId: 'hv-4', expiresAt: otherExpiry }]) {
      expect(await h.call('POST', '/api/referrals/AGAIN-2/offers', { body })).toMatchObject({ status: 409, body: { type: expect.stringMatching(/referral-status$/) } });
    }
    expect(await h.snapshot()).toBe(before);

    // Free hv-4 for the sample events below
    expect((await h.call('POST', `/api/offers/${first.body.offerId}/decline`, { as: 'placements-officer' })).status).toBe(200);
  });


  it('answers with the placement already recorded, writing nothing, when the same admission comes again; 409 for any other', async () => {
    // Prepare: an admission recorded, whose answer the manager did not see (a timeout, a dropped connection)
    await h.createReferral('AGAIN-1');
    // hv-3 is free from tomorrow, when FLOW-1's child moved on
    const from = addDays(today, 2);
    const body = { bedId: 'hv-3', startDate: from, extras: [{ kind: 'transport', basis: 'weekly', amountPence: 5_000 }] };
    const first = await h.call('POST', '/api/referrals/AGAIN-1/admission', { body });
    expect(first.status).toBe(201);
    const before = await h.snapshot();

    // Act: the same admission again
    const again = await h.call('POST', '/api/referrals/AGAIN-1/admission', { body });

    // Assess: the same placement, nothing written twice (no second stay, history entry or notice)
    expect(again).toMatchObject({ status: 201, body: { placementId: first.body.placementId, bedId: 'hv-3', startDate: from } });
    expect(await h.snapshot()).toBe(before);
    const others = [{ ...body, startDate: addDays(from, 1) }, { ...body, bedId: 'hv-4' }, { ...body, extras: [{ kind: 'transport', basis: 'weekly', amountPence: 6_000 }] }];
    for (const other of others) {
      const refused = await h.call('POST', '/api/referrals/AGAIN-1/admission', { body: other });
      expect(refused).toMatchObject({ status: 409, body: { type: expect.stringMatching(/referral-status$/) } });
    }
    expect(await h.snapshot()).toBe(before);
  });
});

describe('authentication and roles', () => {
  it('answers 401 with a Bearer challenge and writes nothing without a token, or with a bad or expired one', async () => {
    await h.createReferral('AUTH-1');
    const before = await h.snapshot();
    const nowSeconds = Math.floor(h.clock.nowMs() / 1000);
    const expired = await h.issuer.sign({ sub: 'x', roles: ['residential-manager'] }, { issuedAt: nowSeconds - 7200, expiresAt: nowSeconds - 3600 });
    const wrongAudience = await h.issuer.sign({ sub: 'x', roles: ['residential-manager'] }, { audience: 'api://someone-else' });

    for (const as of [null, { token: 'not-a-jwt' }, { token: expired }, { token: wrongAudience }]) {
      const answer = await h.call('POST', '/api/referrals/AUTH-1/offers', { as, body: { bedId: 'hv-4' } });
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm="cared-for"/);
      expect(answer.headers['content-type']).toBe('application/problem+json');
    }
    expect(await h.snapshot()).toBe(before);
  });

  it('answers 403 and writes nothing for a role the route does not allow', async () => {
    const before = await h.snapshot();
    for (const role of ['finance', 'social-worker', 'team-manager'] as const) {
      const answer = await h.call('POST', '/api/referrals/AUTH-1/offers', { as: role, body: { bedId: 'hv-4' } });
      expect(answer).toMatchObject({ status: 403, body: { type: expect.stringMatching(/forbidden$/) } });
    }
    expect((await h.call('GET', '/api/referrals/AUTH-1', { as: 'finance' })).status).toBe(403);
    expect((await h.call('PUT', '/api/homes/northfield', { as: 'placements-officer', body: homes[0] })).status).toBe(403);
    expect(await h.snapshot()).toBe(before);
  });
});

describe('offers that lapse or are released', () => {
  it('frees the bed once an offer expires unaccepted, and refuses a late acceptance', async () => {
    await h.createReferral('LAPSE-1', leavingCare);
    await h.createReferral('LAPSE-2', leavingCare);
    const first = await h.call('POST', '/api/referrals/LAPSE-1/offers', {
      body: { bedId: 'mit-4a', expiresAt: new Date(h.clock.nowMs() + 1_500).toISOString() },
    });
    expect(first.status).toBe(201);
    expect((await h.call('POST', '/api/referrals/LAPSE-2/offers', { body: { bedId: 'mit-4a' } })).status).toBe(409);

    h.clock.advance(1_600);

    const second = await h.call('POST', '/api/referrals/LAPSE-2/offers', { body: { bedId: 'mit-4a' } });
    expect(second.status).toBe(201);
    const late = await h.call('POST', `/api/offers/${first.body.offerId}/acceptance`);
    expect(late).toMatchObject({ status: 409, body: { type: expect.stringMatching(/offer-expired$/) } });
    expect((await h.calendar('mitford-gardens')).holds.map((x) => x.id)).toEqual([second.body.offerId]);
    // The lapsed referral can be offered again (another bed), which marks its old offer lapsed.
    const again = await h.call('POST', '/api/referrals/LAPSE-1/offers', { body: { bedId: 'mit-4b' } });
    expect(again.status).toBe(201);
    const view = await h.call('GET', '/api/referrals/LAPSE-1');
    expect(view.body.offers.map((o: any) => o.status).sort()).toEqual(['lapsed', 'offered']);
  });

  it('releases the offer of a withdrawn referral, once, freeing its bed', async () => {
    const { dynamoOfferReleaser } = await import('#lib/placements/dynamo-offer-releaser');
    const releaser = dynamoOfferReleaser(h.db, h.tables, stackClock);
    await h.createReferral('WD-1', leavingCare);
    await h.createReferral('WD-2', leavingCare);
    const offer = await h.call('POST', '/api/referrals/WD-1/offers', { body: { bedId: 'mit-5a' } });
    expect(offer.status).toBe(201);

    expect((await h.withdrawReferral('WD-1')).kind).toBe('accepted');
    const released = await releaser.releaseOffersForReferral('WD-1', 'referral-withdrawn', h.clock.iso());
    const releasedAgain = await releaser.releaseOffersForReferral('WD-1', 'referral-withdrawn', h.clock.iso());

    expect([released, releasedAgain]).toEqual([1, 0]);
    expect((await h.call('GET', '/api/referrals/WD-1')).body.offers).toEqual([
      expect.objectContaining({ status: 'released', released: expect.objectContaining({ reason: 'referral-withdrawn' }) }),
    ]);
    expect((await h.call('POST', '/api/referrals/WD-2/offers', { body: { bedId: 'mit-5a' } })).status).toBe(201);
  });
});

describe('the sample events', () => {
  it('events/api/*.json are requests the handler answers, once given a real token', async () => {
    await h.createReferral('NE12-2026-000123');
    const withToken = async (name: string, role: 'residential-manager') => {
      const event = JSON.parse(readEvent(`api/${name}`));
      event.headers.Authorization = `Bearer ${await h.issuer.tokenFor(role)}`;
      return h.invoke(event);
    };
    const listed = await withToken('list-open-referrals.json', 'residential-manager');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: any) => r.referralId)).toContain('NE12-2026-000123');
    expect(await withToken('offer-a-bed.json', 'residential-manager')).toMatchObject({ status: 201, body: { bedId: 'hv-4', referralId: 'NE12-2026-000123' } });
    expect((await h.invoke(JSON.parse(readEvent('api/list-open-referrals.json')))).status).toBe(401);
  });
});
