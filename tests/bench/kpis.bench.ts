/**
 * KPI computation for a year of 5,000 placements: the pure computation (lib/kpis/kpi-report.ts) on
 * its own, and the whole KpiService as GET /api/kpis runs it, reading every sellable bed's
 * placements through the byBed index, the year's journals through byPeriod and the invoicing runs'
 * documents through byRun, from DynamoDB Local.
 *
 *   npm run bench -- kpis          (BENCH_N runs of each, default 10; BENCH_PLACEMENTS, default 5000)
 *
 * The estate: 200 homes of six beds (four sellable, two kept back: 800 sellable beds). The year:
 * 2026-04-01 to 2027-04-01. Placements are generated back to back with voids between, in a fixed
 * pseudo-random sequence, so every run measures the same data.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoClient, snsClient, sqsClient, startEmulators } from '#infra/local/emulators';
import { provisionTemplate } from '#infra/local/provision';
import { synthesizeTemplate } from '#infra/synth';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { homeItem } from '#lib/estate/estate-items';
import { dynamoKpiSources } from '#lib/kpis/dynamo-kpi-sources';
import { computeKpis } from '#lib/kpis/kpi-report';
import { KpiService } from '#lib/kpis/kpi-service';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { ledgerKeys } from '#lib/ledger/ledger-keys';
import { DynamoOccupancyReader } from '#lib/placements/dynamo-occupancy-reader';
import { placementIndexKeys, placementKeys } from '#lib/placements/placement-keys';
import type { Placement } from '#lib/placements/schema';
import { percentile, table } from './stats';
import { batchPut, benchHomes, section17Journals, yearOfPlacements } from './year-of-data';

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

const emulators = await startEmulators();
try {
  const { endpoints } = emulators;
  const clients = { dynamodb: dynamoClient(endpoints.dynamodb), sqs: sqsClient(endpoints.sqs), sns: snsClient(endpoints.sns) };
  const { resources } = await provisionTemplate(synthesizeTemplate({ bundle: false }), clients, { prefix: 'bench-kpis' });
  const tables = { estate: resources.EstateTable!.name, placements: resources.PlacementsTable!.name, ledger: resources.LedgerTable!.name };
  const db = DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const t0 = performance.now();
  await batchPut(db, tables.estate, homes.map((h) => homeItem(h, 1)));
  await batchPut(db, tables.placements, placements.map((p) => ({ ...placementKeys.placement(p.placementId), ...placementIndexKeys(p), ...p })));
  await batchPut(
    db,
    tables.ledger,
    journals.map((j) => ({ ...ledgerKeys.journal(j.idempotencyKey), ...ledgerKeys.period(j.date.slice(0, 7), j.date, j.idempotencyKey), journal: j, postedAt: `${j.date}T12:00:00.000Z` })),
  );
  const loadS = ((performance.now() - t0) / 1000).toFixed(1);

  const service = new KpiService(
    dynamoKpiSources({
      estate: new DynamoEstateStore(db, tables.estate),
      reads: new DynamoOccupancyReader(db, tables),
      ledger: new DynamoLedger(db, tables.ledger),
    }),
  );
  const whole: number[] = [];
  for (let i = 0; i < N + 1; i++) {
    const t = performance.now();
    const answer = await service.kpis(YEAR);
    if (i >= 1) whole.push(performance.now() - t);
    if (answer.occupancy.overall.occupiedBedNights !== report.occupancy.overall.occupiedBedNights) throw new Error('the service and the pure computation disagree');
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
  table([
    { what: 'computeKpis (pure, in memory)', runs: N, 'p50 ms': ms(pure, 50), 'p95 ms': ms(pure, 95), 'max ms': ms(pure, 100) },
    { what: `KpiService from DynamoDB Local (${o.beds} byBed queries, 12 byPeriod months)`, runs: N, 'p50 ms': ms(whole, 50), 'p95 ms': ms(whole, 95), 'max ms': ms(whole, 100) },
  ]);
} finally {
  await emulators.stop();
}
