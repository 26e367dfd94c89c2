import fc from 'fast-check';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReasonPlacementChange } from '#lib/codes/ssda903';
import type { Home } from '#lib/estate/schema';
import { DynamoKpiBook } from '#lib/placements/dynamo-kpi-book';
import { kpiBookKey, storedEntry } from '#lib/placements/kpi-book';
import { kpiPlacementOf, type KpiPlacement } from '#lib/placements/kpi-placement';
import { computeKpis } from '#lib/kpis/kpi-report';
import { KpiService } from '#lib/kpis/kpi-service';
import { DynamoPlacementStore } from '#lib/placements/dynamo-placement-store';
import type { Placement } from '#lib/placements/schema';
import type { Write } from '#lib/placements/writes';
import { addDays } from '#lib/time/calendar';
import { emulatorClients, provisionStack } from '#tests/support/emulators';
import { byBed, kpiHomes, placementOf } from '#tests/support/kpi-world';

/**
 * The homes' KPI books against DynamoDB Local: whatever decisions commit (admissions, ends, moves
 * within and between homes, a go-live import's many placements at once, decisions refused on a
 * stale version), every book equals the one worked out again from the placements (the rebuild's
 * check), the books read after each decision (kept between reads, read again when their version
 * moves) hold every placement as it stands, and the KPIs read from the books equal the pure
 * computation over every placement, for any period.
 */

let store: DynamoPlacementStore;
let books: DynamoKpiBook;
let db: DynamoDBDocumentClient;
let placementsTable: string;

beforeAll(async () => {
  const stack = await provisionStack('kpi-books');
  db = DynamoDBDocumentClient.from(emulatorClients().dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const tables = { estate: stack.tables.EstateTable!, referrals: stack.tables.ReferralsTable!, placements: stack.tables.PlacementsTable! };
  store = new DynamoPlacementStore(db, tables);
  books = new DynamoKpiBook(db, tables.placements);
  placementsTable = tables.placements;
});

const REASONS: ReasonPlacementChange[] = ['CARPL', 'ALLEG', 'CHILD', 'CREQB', 'STAND', 'LAREQ'];
const DAY0 = '2025-01-01';
const day = (n: number) => addDays(DAY0, n);

type Command =
  | { kind: 'admit'; bed: number; start: number; decidedBefore: number; la: number }
  | { kind: 'end'; which: number; after: number; recordedBefore: number; reason: number; planned: boolean }
  | { kind: 'move'; which: number; bed: number; after: number }
  | { kind: 'import'; home: number; count: number; start: number }
  | { kind: 'stale'; which: number; bed: number; start: number };

const admit = fc.record({ kind: fc.constant('admit' as const), bed: fc.nat(), start: fc.integer({ min: 0, max: 900 }), decidedBefore: fc.integer({ min: 0, max: 60 }), la: fc.nat(3) });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: admit },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('end' as const), which: fc.nat(), after: fc.integer({ min: 0, max: 300 }), recordedBefore: fc.integer({ min: -10, max: 40 }), reason: fc.nat(), planned: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), which: fc.nat(), bed: fc.nat(), after: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('import' as const), home: fc.nat(), count: fc.integer({ min: 1, max: 40 }), start: fc.integer({ min: 0, max: 600 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stale' as const), which: fc.nat(), bed: fc.nat(), start: fc.integer({ min: 0, max: 900 }) }) },
);

/** This run's own homes (ids prefixed), so each run's books start empty. */
function homesOf(run: number): Home[] {
  return kpiHomes().map((h) => ({ ...h, id: `r${run}-${h.id}`, beds: h.beds.map((b) => ({ ...b, id: `r${run}-${b.id}` })) }));
}

const RUNS = 15;

describe('the KPI books', () => {
  it('property: after any decisions, every book equals its rebuild from the placements, and the KPIs from the books equal the pure computation', async () => {
    let run = 0;
    let committed = 0;
    await fc.assert(
      // Each run starts with an admission, so no run is vacuous: there is always a placement to book.
      fc.asyncProperty(fc.tuple(admit, fc.array(command, { maxLength: 9 })).map(([first, rest]) => [first, ...rest]), fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 1, max: 400 }), async (commands, periodStart, nights) => {
        run++;
        const homes = homesOf(run);
        const beds = homes.flatMap((h) => h.beds.map((b) => ({ homeId: h.id, bedId: b.id })));
        const model = new Map<string, Placement>();
        let n = 0;
        const newPlacement = (bed: { homeId: string; bedId: string }, start: string, admittedOn: string, la = '390', movedFrom?: string) =>
          placementOf({ id: `r${run}-p${n++}`, ...bed, start, admittedOn, placingLa: la, ...(movedFrom ? { movedFrom } : {}) });
        const ended = (p: Placement, endDate: string, recordedOn: string, reason: ReasonPlacementChange | undefined, planned: boolean): Placement => ({
          ...p,
          status: 'ended',
          version: p.version + 1,
          ending: { endDate, ...(reason ? { reasonPlacementChange: reason, planned } : {}), decision: { ...p.admitted, at: `${recordedOn}T10:00:00.000Z` } },
        });
        const commit = async (writes: Write[], expect: 'committed' | 'conflict') => {
          const result = await store.commit(writes);
          if (result.kind !== expect) throw new Error(`expected ${expect}, got ${result.kind}`);
          if (result.kind === 'committed') {
            committed++;
            for (const w of writes) if (w.kind === 'placement') model.set(w.placement.placementId, w.placement);
          }
        };
        const open = () => [...model.values()].filter((p) => p.ending === undefined);

        for (const c of commands) {
          if (c.kind === 'admit') {
            const p = newPlacement(beds[c.bed % beds.length]!, day(c.start), day(c.start - c.decidedBefore), ['390', '391', '393', '394'][c.la]);
            await commit([{ kind: 'placement', placement: p, expectedVersion: 0 }], 'committed');
          } else if (c.kind === 'end' && open().length > 0) {
            const p = open()[c.which % open().length]!;
            const endDate = addDays(p.startDate, c.after);
            const next = ended(p, endDate, addDays(endDate, -c.recordedBefore), REASONS[c.reason % REASONS.length], c.planned);
            await commit([{ kind: 'placement', placement: next, expectedVersion: p.version }], 'committed');
          } else if (c.kind === 'move' && open().length > 0) {
            // To any bed, this home's or another's: two placements, maybe two books, in one transaction.
            const p = open()[c.which % open().length]!;
            const date = addDays(p.startDate, c.after);
            const to = beds[c.bed % beds.length]!;
            const continued = newPlacement(to, date, date, p.placingLa, p.placementId);
            const within = to.homeId === p.homeId;
            await commit(
              [
                { kind: 'placement', placement: ended(p, date, date, within ? undefined : 'CARPL', true), expectedVersion: p.version },
                { kind: 'placement', placement: continued, expectedVersion: 0 },
              ],
              'committed',
            );
          } else if (c.kind === 'import') {
            // As the go-live import writes a home's placements: many at once, some ended already.
            const home = homes[c.home % homes.length]!;
            const list = Array.from({ length: c.count }, (_, i) => {
              const bed = home.beds[i % home.beds.length]!;
              const p = newPlacement({ homeId: home.id, bedId: bed.id }, day(c.start + i * 7), day(c.start + i * 7));
              return i % 3 === 0 ? ended(p, day(c.start + i * 7 + 30), day(c.start + i * 7 + 30), 'CARPL', true) : p;
            });
            await commit(list.map((placement): Write => ({ kind: 'placement', placement, expectedVersion: 0 })), 'committed');
          } else if (c.kind === 'stale' && model.size > 0) {
            // A decision made from a stale read: refused whole, its new placement and book entries with it.
            const p = [...model.values()][c.which % model.size]!;
            const fresh = newPlacement(beds[c.bed % beds.length]!, day(c.start), day(c.start));
            await commit(
              [
                { kind: 'placement', placement: fresh, expectedVersion: 0 },
                { kind: 'placement', placement: { ...p, version: p.version + 1 }, expectedVersion: p.version - 1 },
              ],
              'conflict',
            );
          }
          // Read after every decision through the same instance, which keeps the books it read: only moved versions are read again.
          const byId = (list: readonly KpiPlacement[]) => [...list].sort((a, b) => a.placementId.localeCompare(b.placementId));
          expect(byId(await books.placementsOfHomes(homes.map((h) => h.id)))).toEqual(byId([...model.values()].map(kpiPlacementOf)));
        }

        expect((await books.rebuild(homes, { check: true })).differing).toEqual([]);
        const period = { from: day(periodStart), to: day(periodStart + nights) };
        const service = new KpiService({ listHomes: async () => homes, placementsOfHomes: (ids) => books.placementsOfHomes(ids), journalsInMonth: async () => [] });
        const fromBooks = await service.kpis(period);
        // As the service always has: the placements of sellable beds (kept-back beds are the council's own).
        const sellable = new Set(homes.flatMap((h) => h.beds.filter((b) => b.sellable).map((b) => b.id)));
        const pure = computeKpis({ period, homes, placementsByBed: byBed([...model.values()].filter((p) => sellable.has(p.bedId))), documents: { unavailable: 'no invoicing here' }, journals: [] });
        expect({ ...fromBooks, income: null }).toEqual({ ...pure, income: null });
      }),
      { numRuns: RUNS },
    );
    expect(committed).toBeGreaterThanOrEqual(RUNS);
  });

  it('the rebuild puts back a book that went missing or wrong, and leaves one that is right alone', async () => {
    const homes = homesOf(1_000);
    const bed = { homeId: homes[0]!.id, bedId: homes[0]!.beds[0]!.id };
    const placements = [0, 40, 80].map((start, i) => placementOf({ id: `rb-${i}`, ...bed, start: day(start), end: day(start + 30), reason: 'CARPL', planned: true }));
    expect((await store.commit(placements.map((placement): Write => ({ kind: 'placement', placement, expectedVersion: 0 })))).kind).toBe('committed');
    expect((await books.rebuild(homes, { check: true })).differing).toEqual([]);

    // The book lost: the rebuild writes it again from the placements.
    await db.send(new DeleteCommand({ TableName: placementsTable, Key: kpiBookKey(bed.homeId) }));
    expect(await books.placementsOfHomes([bed.homeId])).toEqual([]);
    expect((await books.rebuild(homes)).differing).toEqual([bed.homeId]);
    expect((await books.placementsOfHomes([bed.homeId])).map((p) => p.placementId).sort()).toEqual(['rb-0', 'rb-1', 'rb-2']);
    expect((await books.rebuild(homes)).differing).toEqual([]);

    // An entry wrong (a leaving day that is not the placement's): the check says so, the rebuild puts it right.
    const [wrong] = (await books.placementsOfHomes([bed.homeId])).filter((p) => p.placementId === 'rb-1');
    const entry = storedEntry({ ...wrong!, ending: { ...wrong!.ending!, endDate: day(45) } });
    await db.send(new UpdateCommand({ TableName: placementsTable, Key: kpiBookKey(bed.homeId), UpdateExpression: 'SET #p = :e', ExpressionAttributeNames: { '#p': 'P#rb-1' }, ExpressionAttributeValues: { ':e': entry } }));
    expect((await books.rebuild(homes, { check: true })).differing).toEqual([bed.homeId]);
    expect((await books.rebuild(homes)).differing).toEqual([bed.homeId]);
    expect((await books.placementsOfHomes([bed.homeId])).find((p) => p.placementId === 'rb-1')?.ending?.endDate).toBe(day(70));
    expect((await books.rebuild(homes, { check: true })).differing).toEqual([]);
  });
});
