import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEstate } from '#lib/estate/seed';
import { sharesNight } from '#lib/placements/calendar';
import { addDays, londonDateAt } from '#lib/time/calendar';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';

/**
 * Design §3: two offers or admissions can never hold the same bed for
 * overlapping nights. 50 managers act at once on one bed, through the real
 * handler, against DynamoDB Local: the calendar's version condition lets
 * exactly one through.
 */

const PARALLEL = 50;
const today = londonDateAt(Date.now());
let h: ApiHarness;

beforeAll(async () => {
  h = await startApiHarness('double-booking');
  for (const home of sampleEstate()) expect((await h.call('PUT', `/api/homes/${home.id}`, { body: home })).status).toBe(200);
});
afterAll(() => h.stop());

/** How many holds on `bedId` share each of the `nights` nights from today. */
async function holdersPerNight(homeId: string, bedId: string, nights: number): Promise<number[]> {
  const holds = (await h.calendar(homeId)).holds.filter((x) => x.bedId === bedId);
  return Array.from({ length: nights }, (_, i) => {
    const night = { from: addDays(today, i), to: addDays(today, i + 1) };
    return holds.filter((x) => sharesNight(x, night)).length;
  });
}

describe('no double booking', () => {
  it(`${PARALLEL} parallel admissions of overlapping dates into one bed: exactly 1 succeeds, ${PARALLEL - 1} get 409`, async () => {
    // Prepare: 50 open referrals, each to be admitted straight into hv-4 from one of the next five days
    const ids = Array.from({ length: PARALLEL }, (_, i) => `RACE-A-${i}`);
    await Promise.all(ids.map((id) => h.createReferral(id)));

    // Act
    const started = performance.now();
    const answers = await Promise.all(
      ids.map((id, i) => h.call('POST', `/api/referrals/${id}/admission`, { body: { bedId: 'hv-4', startDate: addDays(today, i % 5) } })),
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
    const ids = Array.from({ length: PARALLEL }, (_, i) => `RACE-O-${i}`);
    await Promise.all(ids.map((id) => h.createReferral(id)));

    const answers = await Promise.all(ids.map((id) => h.call('POST', `/api/referrals/${id}/offers`, { as: 'placements-officer', body: { bedId: 'pur-3' } })));

    const statuses = answers.map((a) => a.status);
    console.info(`offers: ${statuses.filter((s) => s === 201).length} × 201, ${statuses.filter((s) => s === 409).length} × 409`);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(PARALLEL - 1);
    const perNight = await holdersPerNight('purley-close', 'pur-3', 200);
    expect(Math.max(...perNight)).toBe(1);
  });
});
