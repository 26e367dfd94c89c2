import { describe, expect, it, vi } from 'vitest';
import type { Caller } from '#lib/auth/caller';
import { fixedClock } from '#lib/clock';
import { sampleEstate } from '#lib/estate/seed';
import { ConcurrentChanges, DecisionConflict } from '#lib/placements/decision-errors';
import { ManagerDecisions } from '#lib/placements/manager-decisions';
import type { PlacementStore } from '#lib/placements/placement-store';
import type { CommitResult, Write } from '#lib/placements/writes';

/** Deciding again from a fresh read whenever another writer got there first. */

const caller: Caller = { subject: 'm-1', name: 'a.manager@council.example', roles: ['residential-manager'] };
const home = sampleEstate().find((h) => h.id === 'northfield')!;

function storeCommitting(results: CommitResult[]): PlacementStore & { commits: Write[][] } {
  const commits: Write[][] = [];
  return {
    commits,
    getReferral: vi.fn(async () => undefined),
    offersOfReferral: vi.fn(async () => []),
    placementsOfReferral: vi.fn(async () => []),
    getOffer: vi.fn(async () => undefined),
    getPlacement: vi.fn(async () => undefined),
    getHome: vi.fn(async () => undefined),
    homeOfBed: vi.fn(async () => undefined),
    getCalendar: vi.fn(async (homeId: string) => ({ homeId, version: commits.length, holds: [] })),
    getBedHistory: vi.fn(async (homeId: string, bedId: string) => ({ homeId, bedId, version: 0, stays: [] })),
    commit: vi.fn(async (writes: Write[]): Promise<CommitResult> => {
      commits.push(writes);
      return results.shift() ?? ({ kind: 'committed' } as const);
    }),
  };
}

describe('ManagerDecisions', () => {
  it('reads again and decides again after a conflicting write, conditioning the retry on the new version', async () => {
    // Prepare
    const store = storeCommitting([{ kind: 'conflict', failed: [] }, { kind: 'conflict', failed: [] }]);
    const decisions = new ManagerDecisions(store, fixedClock('2026-11-23T10:00:00Z'));

    // Act
    const result = await decisions.putHome(caller, home);

    // Assess
    expect(result.version).toBe(1);
    expect(store.getCalendar).toHaveBeenCalledTimes(3);
    expect(store.commits.map((writes) => writes.find((w) => w.kind === 'calendar-unchanged'))).toEqual([0, 1, 2].map((version) => ({ kind: 'calendar-unchanged', homeId: 'northfield', version })));
    expect(store.commits[2]![0]).toMatchObject({ kind: 'home', changed: { by: caller, at: '2026-11-23T10:00:00.000Z' } });
  });

  it('gives up with ConcurrentChanges (a 503) after 8 attempts in a row lose', async () => {
    const store = storeCommitting(Array.from({ length: 8 }, () => ({ kind: 'conflict', failed: [] })));
    await expect(new ManagerDecisions(store, fixedClock('2026-11-23T10:00:00Z')).putHome(caller, home)).rejects.toBeInstanceOf(ConcurrentChanges);
    expect(store.commits).toHaveLength(8);
  });

  it('does not retry a bed id another home has claimed: that will not change by trying again', async () => {
    const store = storeCommitting([{ kind: 'conflict', failed: [{ kind: 'bed-claim', bedId: 'nf-1', homeId: 'northfield' }] }]);
    const refused = await new ManagerDecisions(store, fixedClock('2026-11-23T10:00:00Z')).putHome(caller, home).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DecisionConflict);
    expect(refused).toMatchObject({ reason: 'bed-id-taken' });
    expect(store.commits).toHaveLength(1);
  });
});
