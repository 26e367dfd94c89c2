import { describe, expect, it } from 'vitest';
import { EstateCache } from '#lib/estate/estate-cache';
import type { Home } from '#lib/estate/schema';
import { proposeMatches } from '#lib/matching/propose';
import { HardRule, type Proposal } from '#lib/matching/proposal';
import type { Hold } from '#lib/time/home-calendar';
import { addDays } from '#lib/time/calendar';
import { generatedHolds, generatedHome, generatedResident, pick, randomReferral } from '#tests/support/generated-estate';
import { seededRandom } from '#tests/support/seeded-random';
import { InMemoryEstate } from '#tests/support/in-memory-estate';
import { referenceProposeMatches } from '#tests/support/reference-propose';

/**
 * The matcher as it now runs (the estate from the cache, brought up to date from the change feed;
 * home-level score parts worked out once per home) against its plain reference (every home and
 * calendar read afresh for each referral; every bed scored by every rule; who lives where counted
 * night by night): 1,000 random referrals against a 500-home estate that changes between them, byte
 * for byte the same proposals.
 */

const HOMES = 500;
const REFERRALS = 1_000;
const TODAY = '2026-11-20';

/** One random change a decision or an estate edit could make. */
function changeSomething(estate: InMemoryEstate, random: () => number, n: number): void {
  const homeId = pick(random, estate.homeIds());
  const home = estate.home(homeId)!;
  const calendar = estate.calendar(homeId);
  const bed = pick(random, home.beds);
  switch (pick(random, ['hold', 'hold', 'release', 'out-of-use', 'price', 'sellable', 'capacity', 'statement', 'new-home'] as const)) {
    case 'hold': {
      const from = addDays(TODAY, Math.floor(random() * 90) - 30);
      const hold: Hold = {
        id: `change-${n}`,
        bedId: bed.id,
        kind: random() < 0.5 ? 'offer' : 'placement',
        from,
        ...(random() < 0.7 ? { to: addDays(from, 7 + Math.floor(random() * 200)) } : {}),
        resident: { ...generatedResident(n, 1), risks: random() < 0.5 ? ['missing', 'criminal-exploitation'] : [] },
      };
      // An offer lapses: some before the referrals are matched, some after.
      if (hold.kind === 'offer') hold.expiresAt = `${addDays(TODAY, Math.floor(random() * 4) - 1)}T${String(Math.floor(random() * 24)).padStart(2, '0')}:00:00.000Z`;
      estate.putHolds(homeId, [...calendar.holds, hold]);
      return;
    }
    case 'release':
      estate.putHolds(homeId, calendar.holds.filter((_, i) => i !== Math.floor(random() * calendar.holds.length)));
      return;
    case 'out-of-use': {
      const from = addDays(TODAY, Math.floor(random() * 60));
      const beds = home.beds.map((b) => (b.id === bed.id ? { ...b, outOfUse: [...b.outOfUse, { from, to: addDays(from, 14), reason: 'repairs' }] } : b));
      estate.putHome({ ...home, beds });
      return;
    }
    case 'price':
      estate.putHome({ ...home, premiumWeeklyPence: 30_000 + Math.floor(random() * 60_000) });
      return;
    case 'sellable':
      estate.putHome({ ...home, beds: home.beds.map((b) => (b.id === bed.id ? { ...b, sellable: !b.sellable } : b)) });
      return;
    case 'statement':
      // A placement type its registration does not take: the registration rule then has something to say.
      estate.putHome({ ...home, placementTypes: [...new Set([...home.placementTypes, pick(random, ['K1', 'K2', 'K3', 'R3'] as const)])] });
      return;
    case 'capacity':
      estate.putHome({ ...home, maxResidents: 1 + Math.floor(random() * 6) });
      return;
    case 'new-home': {
      const added: Home = generatedHome(HOMES + n);
      estate.putHome(added);
      estate.putHolds(added.id, generatedHolds(added, HOMES + n, TODAY));
      return;
    }
  }
}

describe('matching from the estate cache against the matcher as it was', () => {
  it(`${REFERRALS} random referrals against a ${HOMES}-home estate that changes between them: the same proposals, byte for byte`, async () => {
    // Prepare
    const random = seededRandom(20261120);
    const estate = new InMemoryEstate();
    for (let i = 0; i < HOMES; i++) {
      const home = generatedHome(i);
      estate.putHome(home);
      estate.putHolds(home.id, generatedHolds(home, i, TODAY));
    }
    let cache = new EstateCache(estate);
    let stored = estate.stored();
    const differing: string[] = [];
    const rulesSeen = new Set<string>();
    let candidates = 0;
    let changes = 0;

    // Act
    for (let n = 0; n < REFERRALS; n++) {
      if (random() < 0.15) {
        const burst = 1 + Math.floor(random() * 3);
        for (let c = 0; c < burst; c++) changeSomething(estate, random, changes++);
        stored = estate.stored();
      }
      // Now and then a cold start while the index lags behind the last changes.
      if (n % 250 === 125) {
        estate.lagIndex();
        changeSomething(estate, random, changes++);
        stored = estate.stored();
        cache = new EstateCache(estate);
      }
      if (n % 250 === 130) estate.catchUpIndex();

      const request = {
        referralId: `RND-${n}`,
        version: 1,
        referral: randomReferral(random, `RND-${n}`, TODAY),
        asOf: `${addDays(TODAY, Math.floor(random() * 3))}T${String(Math.floor(random() * 24)).padStart(2, '0')}:30:00.000Z`,
      };
      const was: Proposal = referenceProposeMatches(request, stored);
      const now: Proposal = proposeMatches(request, await cache.snapshot());
      if (JSON.stringify(now) !== JSON.stringify(was)) differing.push(request.referralId);
      candidates += was.candidates.length;
      for (const e of was.excluded) rulesSeen.add(e.rule);
    }

    // Assess
    expect(differing).toEqual([]);
    // The comparison means something: beds were proposed, and every hard rule excluded something.
    expect(candidates).toBeGreaterThan(REFERRALS);
    expect([...rulesSeen].sort()).toEqual([...HardRule.options].sort());
    expect(changes).toBeGreaterThan(100);
  });
});
