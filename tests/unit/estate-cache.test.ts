import { describe, expect, it } from 'vitest';
import { EstateCache, RECHECKED_CHANGES } from '#lib/estate/estate-cache';
import { sampleEstate } from '#lib/estate/seed';
import type { Hold } from '#lib/time/home-calendar';
import { InMemoryEstate } from '#tests/support/in-memory-estate';

/**
 * The estate cache (lib/estate/estate-cache.ts): loaded once, then brought up to date from the
 * change feed, reading only the homes a change names; always equal to what the table holds.
 */

const hold = (id: string, bedId: string, from: string): Hold => ({
  id,
  bedId,
  kind: 'placement',
  from,
  resident: { referralId: `R-${id}`, dateOfBirth: '2011-03-14', sex: 'M', risks: [], placedBy: '390' },
});

function seeded(): InMemoryEstate {
  const estate = new InMemoryEstate();
  for (const home of sampleEstate()) estate.putHome(home);
  estate.putHolds('harbour-view', [hold('p1', 'hv-3', '2026-11-01')]);
  return estate;
}

/** The seeded estate and a cache that has loaded it. */
async function warmCache(): Promise<{ estate: InMemoryEstate; cache: EstateCache }> {
  const estate = seeded();
  const cache = new EstateCache(estate);
  await cache.snapshot();
  return { estate, cache };
}

describe('the estate cache', () => {
  it('loads the whole estate once, then reads only the change feed while nothing moves', async () => {
    const estate = seeded();
    const cache = new EstateCache(estate);

    const first = await cache.snapshot();
    const reads = { ...estate.reads };
    const again = await cache.snapshot();
    await cache.snapshot();

    expect(first).toEqual(estate.stored());
    expect(again).toBe(first);
    expect(reads.index).toBe(2);
    expect(estate.reads.index).toBe(2);
    expect(estate.reads.homesRead).toBe(reads.homesRead);
    expect(estate.reads.changeQueries).toBe(reads.changeQueries + 2);
  });

  it('after a decision reads just the home it changed, and equals the table again', async () => {
    const { estate, cache } = await warmCache();
    const before = estate.reads.homesRead;

    estate.putHolds('northfield', [hold('p2', 'nf-1', '2026-12-01')]);
    estate.putHome({ ...estate.home('elm-house')!, premiumWeeklyPence: 60_000 });
    const after = await cache.snapshot();

    expect(after).toEqual(estate.stored());
    expect(estate.reads.homesRead - before).toBe(2);
    expect(cache.seq).toBe(sampleEstate().length + 3);
  });

  it('takes a new home from the feed', async () => {
    const { estate, cache } = await warmCache();

    estate.putHome({ ...estate.home('elm-house')!, id: 'elm-annex', name: 'Elm Annex', beds: [{ id: 'ea-1', sellable: true, outOfUse: [] }] });

    expect((await cache.snapshot()).homes.map((h) => h.id)).toContain('elm-annex');
    expect(await cache.snapshot()).toEqual(estate.stored());
  });

  it('reads from the table the homes the lagging index gives older than the last changes wrote', async () => {
    const estate = seeded();
    estate.lagIndex();
    estate.putHolds('harbour-view', [hold('p1', 'hv-3', '2026-11-01'), hold('p3', 'hv-4', '2026-12-10')]);
    estate.putHome({ ...estate.home('purley-close')!, premiumWeeklyPence: 55_000 });

    const cache = new EstateCache(estate);
    const snapshot = await cache.snapshot();

    expect(snapshot.calendars.get('harbour-view')?.holds.map((h) => h.id)).toEqual(['p1', 'p3']);
    expect(snapshot.homes.find((h) => h.id === 'purley-close')?.premiumWeeklyPence).toBe(55_000);
    expect(estate.reads.homesRead).toBe(2);
  });

  it(`checks only the last ${RECHECKED_CHANGES} changes against the index when it loads`, async () => {
    const estate = seeded();
    for (let i = 0; i < RECHECKED_CHANGES + 10; i++) estate.putHolds('northfield', [hold(`q${i}`, 'nf-1', '2026-12-01')]);

    await new EstateCache(estate).snapshot();

    // One home named by all of them, and level with the index: nothing to read again.
    expect(estate.reads.homesRead).toBe(0);
  });

  it('callers at the same moment share one refresh', async () => {
    const { estate, cache } = await warmCache();
    const queries = estate.reads.changeQueries;

    estate.putHolds('northfield', [hold('p2', 'nf-1', '2026-12-01')]);
    const [a, b] = await Promise.all([cache.snapshot(), cache.snapshot()]);

    expect(a).toBe(b);
    expect(estate.reads.changeQueries - queries).toBe(1);
  });

  it('never goes back to an older version than it holds', async () => {
    const { estate, cache } = await warmCache();
    estate.putHolds('northfield', [hold('p2', 'nf-1', '2026-12-01')]);
    estate.putHolds('northfield', [hold('p2', 'nf-1', '2026-12-01'), hold('p4', 'nf-2', '2027-01-01')]);

    const snapshot = await cache.snapshot();

    expect(snapshot.calendars.get('northfield')).toEqual(estate.calendar('northfield'));
    expect(snapshot.calendars.get('northfield')?.version).toBe(2);
  });
});
