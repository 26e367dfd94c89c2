/**
 * KPI computation for a year of 5,000 placements: the pure computation (lib/kpis/kpi-report.ts) on
 * its own; the whole KpiService as GET /api/kpis runs it, reading the homes, their KPI books (one
 * item per home, lib/placements/kpi-book.ts) and the Section 17 accounts' ledger balances, from DynamoDB
 * Local; beside it the way it was read before the books (one byBed query per sellable bed). The
 * placements are loaded in bulk, then the books built by the rebuild (`npm run kpis:rebuild`), whose
 * time is measured too.
 *
 *   npm run bench -- kpis          (BENCH_N runs of each, default 10; BENCH_PLACEMENTS, default 5000)
 *
 * The estate: 200 homes of six beds (four sellable, two kept back: 800 sellable beds). The year:
 * 2026-04-01 to 2027-04-01. Placements are generated back to back with voids between, in a fixed
 * pseudo-random sequence, so every run measures the same data.
 */
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { EstateCache } from '#lib/estate/estate-cache';
import { homeItem } from '#lib/estate/estate-items';
import { dynamoKpiSources } from '#lib/kpis/dynamo-kpi-sources';
import { DynamoKpiBook } from '#lib/placements/dynamo-kpi-book';
import { computeKpis } from '#lib/kpis/kpi-report';
import { KpiService } from '#lib/kpis/kpi-service';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { section17Ranges } from '#lib/kpis/section17';
import { SECTION17_ACCOUNTS } from '#lib/section17';
import { DynamoOccupancyReader } from '#lib/placements/dynamo-occupancy-reader';
import { placementIndexKeys, placementKeys } from '#lib/placements/placement-keys';
import type { Placement } from '#lib/placements/schema';
import { startEmulatorStack } from './emulator-stack';
import { BenchRecorder } from './results';
import { percentile } from './stats';
import { batchPut, benchHomes, ledgerItemsOf, section17Journals, yearOfPlacements } from './year-of-data';

const N = Number(process.env.BENCH_N ?? 10);
const PLACEMENTS = Number(process.env.BENCH_PLACEMENTS ?? 5_000);
const HOMES = 200;
const YEAR = { from: '2026-04-01', to: '2027-04-01' };
const ms = (values: number[], q: number) => percentile([...values].sort((a, b) => a - b), q).toFixed(1);

const homes = benchHomes(HOMES);
const placements = yearOfPlacements(homes, PLACEMENTS, YEAR);
const journals = section17Journals(YEAR);
const byBed = new Map<string, Placement[]>();
for (const p of placements) byBed.set(p.bedId, [...(byBed.get(p.bedId) ?? []), p]);

// The pure computation.
const pure: number[] = [];
let report = computeKpis({ period: YEAR, homes, placementsByBed: byBed, documents: [], journals });
for (let i = 0; i < N + 3; i++) {
  const t = performance.now();
  report = computeKpis({ period: YEAR, homes, placementsByBed: byBed, documents: [], journals });
  if (i >= 3) pure.push(performance.now() - t);
}

const stack = await startEmulatorStack();
try {
  const resources = await stack.provision('bench-kpis');
  const tables = { estate: resources.EstateTable!.name, placements: resources.PlacementsTable!.name, ledger: resources.LedgerTable!.name };
  const db = stack.documentClient();
  const t0 = performance.now();
  await batchPut(db, tables.estate, homes.map((h) => homeItem(h, 1)));
  await batchPut(db, tables.placements, placements.map((p) => ({ ...placementKeys.placement(p.placementId), ...placementIndexKeys(p), ...p })));
  await batchPut(db, tables.ledger, ledgerItemsOf(journals));
  const loadS = ((performance.now() - t0) / 1000).toFixed(1);

  const books = new DynamoKpiBook(db, tables.placements);
  const r0 = performance.now();
  const rebuilt = await books.rebuild(homes);
  const rebuildMs = performance.now() - r0;
  const c0 = performance.now();
  const checked = await books.rebuild(homes, { check: true });
  const checkMs = performance.now() - c0;
  if (rebuilt.placements !== placements.length || checked.differing.length > 0) throw new Error(`the rebuild left ${checked.differing.length} books differing`);

  const estate = new DynamoEstateStore(db, tables.estate);
  const ledger = new DynamoLedger(db, tables.ledger);
  // As the API builds it: the homes from a cache of the estate kept up to date from its change feed.
  const estateCache = new EstateCache(estate);
  const service = new KpiService(dynamoKpiSources({ estate: estateCache, books, ledger }));
  const whole: number[] = [];
  let coldMs = 0;
  for (let i = 0; i < N + 1; i++) {
    const t = performance.now();
    const answer = await service.kpis(YEAR);
    if (i >= 1) whole.push(performance.now() - t);
    else coldMs = performance.now() - t;
    if (JSON.stringify({ ...answer, income: null }) !== JSON.stringify({ ...report, income: null })) throw new Error('the service and the pure computation disagree');
  }

  // Where the service's time goes: each read on its own, then the computation.
  const steps = { homes: [] as number[], books: [] as number[], section17: [] as number[], compute: [] as number[] };
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    const list = (await estateCache.snapshot()).homes;
    steps.homes.push(performance.now() - t);
    t = performance.now();
    const entries = await books.placementsOfHomes(list.map((h) => h.id));
    steps.books.push(performance.now() - t);
    t = performance.now();
    const { inPeriod, years } = section17Ranges(YEAR);
    await Promise.all(SECTION17_ACCOUNTS.flatMap((account) => [inPeriod, ...years].map((r) => ledger.movementBetween(account, r.from, r.to))));
    steps.section17.push(performance.now() - t);
    t = performance.now();
    const sellableBeds = new Map(list.flatMap((h) => h.beds.filter((b) => b.sellable).map((b): [string, typeof entries] => [b.id, []])));
    for (const e of entries) sellableBeds.get(e.bedId)?.push(e);
    computeKpis({ period: YEAR, homes: list, placementsByBed: sellableBeds, documents: [], journals });
    steps.compute.push(performance.now() - t);
  }

  // Before the books: each sellable bed's placements through byBed, 16 at a time.
  const reads = new DynamoOccupancyReader(db, tables);
  const perBed: number[] = [];
  for (let i = 0; i < Math.min(N, 5) + 1; i++) {
    const t = performance.now();
    const list = (await estate.listHomes()).map((h) => h.home);
    const beds = list.flatMap((h) => h.beds.filter((b) => b.sellable).map((b) => b.id));
    const found = new Map<string, Placement[]>();
    for (let b = 0; b < beds.length; b += 16) {
      await Promise.all(beds.slice(b, b + 16).map(async (bedId) => found.set(bedId, await reads.placementsOfBed(bedId, YEAR.from, YEAR.to))));
    }
    for (const m of ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03']) await ledger.allJournalsInPeriod(m);
    const old = computeKpis({ period: YEAR, homes: list, placementsByBed: found, documents: [], journals });
    if (i >= 1) perBed.push(performance.now() - t);
    if (old.occupancy.overall.occupiedBedNights !== report.occupancy.overall.occupiedBedNights) throw new Error('the per-bed reads and the pure computation disagree');
  }

  const o = report.occupancy.overall;
  console.log(
    `\nA year (${YEAR.from} to ${YEAR.to}) of ${placements.length.toLocaleString('en-GB')} placements in ${HOMES} homes ` +
      `(${o.beds} sellable beds), ${journals.length.toLocaleString('en-GB')} Section 17 journals; loaded into DynamoDB Local in ${loadS} s.`,
  );
  console.log(
    `Figures: ${report.placementsAgreed.count} placements agreed; occupancy ${o.occupiedBedNights.toLocaleString('en-GB')} of ` +
      `${o.sellableBedNights.toLocaleString('en-GB')} sellable bed nights (${o.occupiedPercent}%; planned ${o.plannedPercent}%, target ${report.occupancy.targetPercent}%); ` +
      `${report.endings.plannedMoveOns} planned move-ons, ${report.endings.breakdowns} breakdowns.\n`,
  );
  const l0 = performance.now();
  const ledgerCheck = await ledger.rebuildBalances(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03'], { check: true });
  const ledgerCheckMs = performance.now() - l0;
  if (ledgerCheck.differing.length > 0) throw new Error(`${ledgerCheck.differing.length} ledger balances differ from their journals`);
  const recorder = new BenchRecorder('kpis');
  recorder.table('KPIs for a year', [
    { what: 'computeKpis (pure, in memory)', runs: N, 'p50 ms': ms(pure, 50), 'p95 ms': ms(pure, 95), 'max ms': ms(pure, 100) },
    { what: 'KpiService, cold: the first read (every home and book)', runs: 1, 'p50 ms': coldMs.toFixed(1), 'p95 ms': '', 'max ms': '' },
    { what: `KpiService, warm: homes (estate cache) + ${HOMES} KPI books (versions) + Section 17 balances`, runs: N, 'p50 ms': ms(whole, 50), 'p95 ms': ms(whole, 95), 'max ms': ms(whole, 100) },
    { what: `before the books: ${o.beds} byBed queries + 12 byPeriod months`, runs: perBed.length, 'p50 ms': ms(perBed, 50), 'p95 ms': ms(perBed, 95), 'max ms': ms(perBed, 100) },
  ]);
  recorder.table('the service, step by step (p50 ms)', [
    { 'homes (estate cache: its change feed)': ms(steps.homes, 50), 'KPI books (versions; books only when moved)': ms(steps.books, 50), 'Section 17 spends (month and day balances)': ms(steps.section17, 50), computeKpis: ms(steps.compute, 50) },
  ]);
  recorder.table('KPI books rebuilt from the placements (npm run kpis:rebuild)', [
    { what: `rebuild: ${rebuilt.homes} books from ${rebuilt.placements.toLocaleString('en-GB')} placements (${o.beds} byBed queries, consistent BatchGets)`, ms: rebuildMs.toFixed(0), 'books rewritten': rebuilt.differing.length },
    { what: 'check (the same reads, nothing written)', ms: checkMs.toFixed(0), 'books rewritten': checked.differing.length },
  ]);
  recorder.table('Ledger balances checked against the journals (npm run ledger:rebuild -- --check)', [
    { what: `${ledgerCheck.months} months, ${ledgerCheck.journals.toLocaleString('en-GB')} journals`, ms: ledgerCheckMs.toFixed(0), differing: ledgerCheck.differing.length },
  ]);
  recorder.measure({ measure: `KPIs for a year, ${HOMES} homes, ${placements.length} placements (p95)`, figure: Number(ms(whole, 95)), unit: 'ms', goal: { op: '<', value: 200 }, note: `p50 ${ms(whole, 50)} ms; before the books ${ms(perBed, 50)} ms p50` });
  recorder.measure({ measure: `KPI books rebuilt from ${placements.length} placements`, figure: Math.round(rebuildMs), unit: 'ms' });
  recorder.write();
} finally {
  await stack.stop();
}
