import { describe, expect, it } from 'vitest';
import type { Decision } from '#lib/auth/caller';
import type { VersionedHome } from '#lib/estate/estate-items';
import { sampleEstate } from '#lib/estate/seed';
import type { Bed, Home } from '#lib/estate/schema';
import type { DecisionContext } from '#lib/placements/bed-rules';
import type { HomeCalendar, Hold } from '#lib/time/home-calendar';
import { DecisionConflict } from '#lib/placements/decision-errors';
import { decideHomeChange } from '#lib/placements/estate-changes';
import { bedsGainingOutOfUse } from '#lib/placements/estate-conflicts';
import type { BedHistory } from '#lib/time/bed-history';

/** Issue 11 item 9: an estate change that contradicts an offer or placement is refused, naming it. */

const NOW = '2026-11-23T10:00:00.000Z';
const TODAY = '2026-11-23';
const decision: Decision = { by: { subject: 'm-1', name: 'a.manager@council.example', roles: ['residential-manager'] }, at: NOW };
const ctx: DecisionContext = { nowMs: Date.parse(NOW), today: TODAY, decision, newId: () => 'id' };

const existing: VersionedHome = { home: structuredClone(sampleEstate().find((h) => h.id === 'harbour-view')!), version: 3 };
const withBed = (bedId: string, change: Partial<Bed>, home: Home = existing.home): Home => ({ ...home, beds: home.beds.map((b) => (b.id === bedId ? { ...b, ...change } : b)) });
const resident = { referralId: 'R', dateOfBirth: '2010-01-01', sex: 'F' as const, risks: [], placedBy: '391' };
const calendar = (holds: Hold[]): HomeCalendar => ({ homeId: 'harbour-view', version: 5, holds });
const stay = (id: string, from: string, to?: string): Hold => ({ id, bedId: 'hv-3', kind: 'placement', from, ...(to ? { to } : {}), resident });
const offer = (id: string, expiresAt: string): Hold => ({ id, bedId: 'hv-3', kind: 'offer', from: '2026-12-01', to: '2027-03-01', expiresAt, resident });
const historyOf = (...stays: BedHistory['stays']): BedHistory => ({ homeId: 'harbour-view', bedId: 'hv-3', version: 4, stays });

function conflict(act: () => unknown): DecisionConflict {
  try {
    act();
  } catch (error) {
    if (error instanceof DecisionConflict) return error;
    throw error;
  }
  throw new Error('expected a 409');
}

describe('keeping a bed back for the council’s own children', () => {
  it('is refused while a placement or live offer holds it from today on, naming each', () => {
    const held = calendar([stay('p-now', '2026-10-01'), offer('o-next', '2026-11-25T10:00:00.000Z')]);
    const error = conflict(() => decideHomeChange({ existing, next: withBed('hv-3', { sellable: false }), calendar: held }, ctx));
    expect(error.reason).toBe('bed-in-use');
    expect(error.extensions.holds).toEqual([
      { field: 'beds.2.sellable', kind: 'placement', id: 'p-now', from: '2026-10-01' },
      { field: 'beds.2.sellable', kind: 'offer', id: 'o-next', from: '2026-12-01', to: '2027-03-01' },
    ]);
    expect(error.message).toContain("beds.2.sellable: the bed cannot be kept for the council's own children: placement p-now holds it from 2026-10-01 (open-ended)");
  });

  it('is allowed once its child has left, and over an offer that lapsed', () => {
    const left = calendar([stay('p-gone', '2026-10-01', '2026-11-20'), offer('o-lapsed', '2026-11-22T10:00:00.000Z')]);
    expect(decideHomeChange({ existing, next: withBed('hv-3', { sellable: false }), calendar: left }, ctx).result.version).toBe(4);
  });
});

describe('putting a bed out of use', () => {
  const refit = (from: string, to?: string) => [{ from, ...(to ? { to } : {}), reason: 'refit' }];

  it("is refused over nights a placement ended long ago had (in the bed's history, beyond the calendar), naming it", () => {
    const next = withBed('hv-3', { outOfUse: refit('2026-09-01', '2026-09-08') });
    const error = conflict(() => decideHomeChange({ existing, next, calendar: calendar([]), histories: [historyOf({ id: 'p-summer', from: '2026-08-01', to: '2026-09-05' })] }, ctx));
    expect(error.extensions.holds).toEqual([{ field: 'beds.2.outOfUse.0', kind: 'placement', id: 'p-summer', from: '2026-08-01', to: '2026-09-05' }]);
  });

  it('is allowed from the night its child leaves', () => {
    const next = withBed('hv-3', { outOfUse: refit('2026-12-01') });
    expect(decideHomeChange({ existing, next, calendar: calendar([stay('p-1', '2026-10-01', '2026-12-01')]) }, ctx).result.version).toBe(4);
  });

  it('checks only the spells the change adds: an unchanged one is not judged again', () => {
    const before: VersionedHome = { home: withBed('hv-3', { outOfUse: refit('2026-09-01', '2026-09-08') }), version: 3 };
    const renamed = withBed('hv-3', { outOfUse: [{ from: '2026-09-01', to: '2026-09-08', reason: 'refit (kitchen)' }] }, before.home);
    expect(bedsGainingOutOfUse(before.home, renamed)).toEqual([]);
    const longer = withBed('hv-3', { outOfUse: refit('2026-09-01', '2026-09-09') }, before.home);
    expect(bedsGainingOutOfUse(before.home, longer)).toEqual(['hv-3']);
    const summer = historyOf({ id: 'p-summer', from: '2026-08-01', to: '2026-09-05' });
    expect(decideHomeChange({ existing: before, next: renamed, calendar: calendar([]), histories: [] }, ctx).result.version).toBe(4);
    expect(conflict(() => decideHomeChange({ existing: before, next: longer, calendar: calendar([]), histories: [summer] }, ctx)).extensions.holds).toHaveLength(1);
  });
});

describe('removing a bed', () => {
  it('is refused while it is held, naming the placement', () => {
    const next = { ...existing.home, beds: existing.home.beds.filter((b) => b.id !== 'hv-3') };
    const error = conflict(() => decideHomeChange({ existing, next, calendar: calendar([stay('p-now', '2026-10-01')]) }, ctx));
    expect(error.extensions.holds).toEqual([{ field: 'beds', kind: 'placement', id: 'p-now', from: '2026-10-01' }]);
  });
});
