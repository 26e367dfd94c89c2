import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { bedHistoryFromItem } from '#lib/estate/estate-items';
import { estateKeys } from '#lib/estate/estate-keys';
import { sampleEstate } from '#lib/estate/seed';
import { sharesNight } from '#lib/time/period';
import { byBedPk, PLACEMENTS_INDEX } from '#lib/placements/placement-keys';
import { queryAll } from '#lib/aws/query-all';
import { addDays } from '#lib/time/calendar';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';
import { testToday } from '#tests/support/clock';

/**
 * Design §3: two offers or admissions can never hold the same bed for
 * overlapping nights, over any period. 50 managers act at once on one bed,
 * through the real handler, against DynamoDB Local: the calendar's and the
 * bed history's version conditions let exactly one through, and a stay that
 * ended months ago (gone from the calendar, kept in the bed's history) still
 * refuses every admission back-dated over its nights.
 */

const PARALLEL = 50;
const today = testToday;
let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('double-booking');
  for (const home of sampleEstate()) expect((await h.call('PUT', `/api/homes/${home.id}`, { body: home })).status).toBe(200);
});
afterAll(() => h.stop());

/** How many holds on `bedId` share each of the `nights` nights from today. */
/**
 * A decision as a well-behaved client makes it: a 503 (the API's DynamoDB budget ran out while fifty
 * requests share one DynamoDB Local on a loaded machine) is tried again after its Retry-After, capped
 * at a second here. The race is decided by the conditioned writes, not by who gave up.
 */
async function decide(path: string, body: unknown, as?: 'placements-officer'): Promise<Awaited<ReturnType<ApiHarness['call']>>> {
  for (let attempt = 1; ; attempt++) {
    const answer = await h.call('POST', path, { body, ...(as ? { as } : {}) });
    if (answer.status !== 503 || attempt === 5) return answer;
    const retryAfterS = Number(Object.entries(answer.headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1] ?? 1);
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterS, 1) * 1000 * (0.5 + Math.random() / 2)));
  }
}

async function holdersPerNight(homeId: string, bedId: string, nights: number): Promise<number[]> {
  const holds = (await h.calendar(homeId)).holds.filter((x) => x.bedId === bedId);
  return Array.from({ length: nights }, (_, i) => {
    const night = { from: addDays(today, i), to: addDays(today, i + 1) };
    return holds.filter((x) => sharesNight(x, night)).length;
  });
}

/** How many stays on `bedId` hold each night from `from` for `nights` nights, by the bed's history and by the byBed index. */
async function holdersPerNightOverAnyPeriod(homeId: string, bedId: string, from: string, nights: number) {
  const { Item } = await h.db.send(new GetCommand({ TableName: h.tables.estate, Key: estateKeys.bedHistory(homeId, bedId), ConsistentRead: true }));
  const history = bedHistoryFromItem(Item);
  const placements = await queryAll(h.db, {
    TableName: h.tables.placements,
    IndexName: PLACEMENTS_INDEX.byBed,
    KeyConditionExpression: 'gsi3pk = :bed',
    ExpressionAttributeValues: { ':bed': byBedPk(bedId) },
  });
  const stays = placements.map((p: any) => ({ id: p.placementId as string, from: p.startDate as string, to: p.ending?.endDate as string | undefined }));
  const count = (periods: { from: string; to?: string | undefined }[]) =>
    Array.from({ length: nights }, (_, i) => periods.filter((p) => sharesNight(p, { from: addDays(from, i), to: addDays(from, i + 1) })).length);
  return { history, byHistory: count(history.stays), byPlacements: count(stays), placements: stays };
}

describe('no double booking', () => {
  it(`${PARALLEL} parallel admissions of overlapping dates into one bed: exactly 1 succeeds, ${PARALLEL - 1} get 409`, async () => {
    // Prepare: 50 open referrals, each to be admitted straight into hv-4 from one of the next five days
    const ids = Array.from({ length: PARALLEL }, (_, i) => `RACE-A-${i}`);
    await Promise.all(ids.map((id) => h.createReferral(id)));

    // Act
    const started = performance.now();
    const answers = await Promise.all(
      ids.map((id, i) => decide(`/api/referrals/${id}/admission`, { bedId: 'hv-4', startDate: addDays(today, i % 5) })),
    );
    const elapsedMs = performance.now() - started;

    // Assess
    const statuses = answers.map((a) => a.status);
    console.info(`admissions: ${statuses.filter((s) => s === 201).length} × 201, ${statuses.filter((s) => s === 409).length} × 409 in ${elapsedMs.toFixed(0)} ms`);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(PARALLEL - 1);
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.type).toMatch(/bed-unavailable$/);

    const winner = answers.find((a) => a.status === 201)!.body;
    const perNight = await holdersPerNight('harbour-view', 'hv-4', 60);
    const startsOn = perNight.findIndex((n) => n === 1);
    expect(addDays(today, startsOn)).toBe(winner.startDate);
    expect(perNight.slice(startsOn).every((n) => n === 1)).toBe(true);
    expect(perNight.slice(0, startsOn).every((n) => n === 0)).toBe(true);

    // Only the winner's referral is placed; the others are still open, with nothing recorded against them.
    const placed = await h.call('GET', '/api/referrals', { query: { status: 'placed', limit: '100' } });
    expect(placed.body.items.map((r: any) => r.referralId)).toEqual([winner.referralId]);
    const open = await h.call('GET', '/api/referrals', { query: { status: 'open', limit: '100' } });
    expect(open.body.items.filter((r: any) => r.referralId.startsWith('RACE-A-'))).toHaveLength(PARALLEL - 1);
  });

  it(`${PARALLEL} parallel offers of one bed: exactly 1 holds it, ${PARALLEL - 1} get 409`, async () => {
    // Prepare: 50 young mothers, each what Purley Close (R3, girls 14 to 21) takes
    const ids = Array.from({ length: PARALLEL }, (_, i) => `RACE-O-${i}`);
    await Promise.all(
      ids.map((id) =>
        h.createReferral(id, (r) => {
          // Seventeen or sixteen on the test's day (a fixed birth date ages out of the home's 14 to 21, and out of care).
          Object.assign(r.child, { sex: 'F', dateOfBirth: `${Number(today.slice(0, 4)) - 17}-05-05` });
          Object.assign(r.sought, { placementType: 'R3', kind: 'parent-and-child' });
          r.needs = ['young-parent'];
        }),
      ),
    );

    const answers = await Promise.all(ids.map((id) => decide(`/api/referrals/${id}/offers`, { bedId: 'pur-3' }, 'placements-officer')));

    const statuses = answers.map((a) => a.status);
    console.info(`offers: ${statuses.filter((s) => s === 201).length} × 201, ${statuses.filter((s) => s === 409).length} × 409`);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(PARALLEL - 1);
    const perNight = await holdersPerNight('purley-close', 'pur-3', 200);
    expect(Math.max(...perNight)).toBe(1);
  });

  it(`${PARALLEL} parallel admissions back-dated over a stay that ended months ago: ${PARALLEL} × 409, one holder a night`, async () => {
    // Prepare: a child admitted 180 days ago and (recorded late) left 90 days ago: the calendar has dropped the stay, the bed's history has it
    const stayFrom = addDays(today, -180);
    const stayTo = addDays(today, -90);
    await h.createReferral('PAST-1');
    const past = await h.call('POST', '/api/referrals/PAST-1/admission', { body: { bedId: 'hv-3', startDate: stayFrom } });
    expect(past.status).toBe(201);
    const ended = await h.call('POST', `/api/placements/${past.body.placementId}/end`, { body: { endDate: stayTo, reasonPlacementChange: 'CARPL' } });
    expect(ended.status).toBe(200);
    expect((await h.calendar('harbour-view')).holds.filter((x) => x.bedId === 'hv-3')).toEqual([]);
    const ids = Array.from({ length: PARALLEL }, (_, i) => `RACE-B-${i}`);
    await Promise.all(ids.map((id) => h.createReferral(id)));

    // Act: 50 managers record admissions into hv-3 starting on different nights of that stay (and 20 days before it)
    const answers = await Promise.all(
      ids.map((id, i) => decide(`/api/referrals/${id}/admission`, { bedId: 'hv-3', startDate: addDays(stayFrom, -20 + ((i * 7) % 100)) })),
    );

    // Assess
    const statuses = answers.map((a) => a.status);
    console.info(`back-dated admissions over an ended stay: ${statuses.filter((s) => s === 201).length} × 201, ${statuses.filter((s) => s === 409).length} × 409`);
    expect(statuses).toEqual(ids.map(() => 409));
    for (const refused of answers) expect(refused.body.type).toMatch(/bed-unavailable$/);
    const nights = await holdersPerNightOverAnyPeriod('harbour-view', 'hv-3', addDays(stayFrom, -30), 220);
    expect(nights.history.stays).toEqual([{ id: past.body.placementId, from: stayFrom, to: stayTo }]);
    expect(nights.byHistory).toEqual(nights.byPlacements);
    expect(Math.max(...nights.byHistory)).toBe(1);
    expect(nights.byHistory.filter((n) => n === 1)).toHaveLength(90);
  });

  it(`${PARALLEL} parallel admissions back-dated into the free nights after that stay: exactly 1 succeeds, ${PARALLEL - 1} get 409`, async () => {
    const freeFrom = addDays(today, -90);
    const ids = Array.from({ length: PARALLEL }, (_, i) => `RACE-C-${i}`);
    await Promise.all(ids.map((id) => h.createReferral(id)));

    const answers = await Promise.all(ids.map((id, i) => decide(`/api/referrals/${id}/admission`, { bedId: 'hv-3', startDate: addDays(freeFrom, i % 10) })));

    const statuses = answers.map((a) => a.status);
    console.info(`back-dated admissions into free nights: ${statuses.filter((s) => s === 201).length} × 201, ${statuses.filter((s) => s === 409).length} × 409`);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(PARALLEL - 1);
    const winner = answers.find((a) => a.status === 201)!.body;
    const nights = await holdersPerNightOverAnyPeriod('harbour-view', 'hv-3', addDays(today, -210), 240);
    expect(nights.history.stays.map((s) => s.id)).toEqual([expect.any(String), winner.placementId]);
    expect(nights.byHistory).toEqual(nights.byPlacements);
    expect(Math.max(...nights.byHistory)).toBe(1);
    // The winner was recorded today, with who recorded it, beside the date it took effect.
    expect(winner).toMatchObject({ startDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), admitted: { by: { name: expect.any(String) }, at: expect.any(String) } });
    expect(winner.startDate < today).toBe(true);
  });
});
