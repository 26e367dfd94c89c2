/**
 * The go-live import of a large council: 300 homes of 7 beds (2,100 beds) and 2,000 placements,
 * 1,300 current and 700 past (each past one on a bed that now has a current one after it), with
 * extras on some, through the same library `POST /api/imports` and `npm run import` run
 * (lib/go-live/go-live-import.ts) against DynamoDB Local.
 *
 *   npm run bench -- import          (BENCH_HOMES, default 300; BENCH_PLACEMENTS, default 2000)
 *
 * Prints, for the first import: the seconds to read and check every row and plan (no write), the
 * seconds to import (check again, then write: one transaction per home, one per home's
 * placements, 4 homes at a time), the transactions, and the read and write units DynamoDB Local
 * reports (ReturnConsumedCapacity TOTAL, counted on the client); then the same for the second
 * import of the same files, which writes nothing.
 */
import type { Caller } from '#lib/auth/caller';
import { fixedClock } from '#lib/clock';
import { DynamoGoLiveReader } from '#lib/go-live/dynamo-go-live-reader';
import { GoLiveImport } from '#lib/go-live/go-live-import';
import { DynamoPlacementStore } from '#lib/placements/dynamo-placement-store';
import { addDays } from '#lib/time/calendar';
import { seededRandom } from '#tests/support/seeded-random';
import { startEmulatorStack } from './emulator-stack';
import { BenchRecorder } from './results';
import { countCapacity } from './stats';

const HOMES = Number(process.env.BENCH_HOMES ?? 300);
const PLACEMENTS = Number(process.env.BENCH_PLACEMENTS ?? 2_000);
const BEDS_PER_HOME = 7;
const NOW = '2026-12-01T10:00:00Z';
const COUNCILS = ['390', '391', '393', '394', '805', '806', '807', '808', '840', '841', '929'];
const finance: Caller = { subject: 'bench', name: 'bench@council.example', roles: ['finance'] };

/** The files of a council with `homes` homes and `placements` placements: 65% current, 35% past. */
function councilFiles(homes: number, placements: number): Record<string, string> {
  const random = seededRandom(2_000);
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const homeRows = ['home_id,name,ofsted_urn,postcode,registration,placement_types,kinds,age_from,age_to,sexes,max_residents,weekly_cost_gbp,void_allowance_percent'];
  const bedRows = ['home_id,bed_id,sellable'];
  const beds: { homeId: string; bedId: string }[] = [];
  for (let h = 0; h < homes; h++) {
    const homeId = `home-${String(h).padStart(3, '0')}`;
    homeRows.push(`${homeId},Home ${h},SC${String(200_000 + h).padStart(6, '0')},NE29 6DL,childrens-home,K2,long-term;short-term,11,17,F;M,${BEDS_PER_HOME},3400.00,10`);
    for (let b = 1; b <= BEDS_PER_HOME; b++) {
      const bedId = `${homeId}-${b}`;
      bedRows.push(`${homeId},${bedId},yes`);
      beds.push({ homeId, bedId });
    }
  }
  const current = Math.round(placements * 0.65);
  const placementRows = ['placement_ref,placing_la,purchase_order,child_reference,date_of_birth,sex,risks,placement_type,home_id,bed_id,start_date,end_date,reason_placement_change,agreed_weekly_price_gbp'];
  const extraRows = ['placement_ref,kind,basis,amount_gbp'];
  for (let i = 0; i < placements; i++) {
    const isCurrent = i < current;
    // Past stays go on the first beds, each ending before that bed's current stay starts.
    const { homeId, bedId } = beds[isCurrent ? i % beds.length : (i - current) % beds.length]!;
    const start = isCurrent ? addDays('2025-06-01', between(0, 300)) : addDays('2024-04-01', between(0, 60));
    const end = isCurrent ? '' : addDays(start, between(30, 300));
    const la = COUNCILS[i % COUNCILS.length]!;
    const ref = `LEG-${String(i).padStart(5, '0')}`;
    const dob = addDays(start, -between(12 * 365, 16 * 365));
    placementRows.push(
      [ref, la, `PO-${la}-${between(1000, 9999)}`, `CH-${la}-${i}`, dob, random() < 0.5 ? 'F' : 'M', random() < 0.3 ? 'missing' : '', 'K2', homeId, bedId, start, end, isCurrent ? '' : 'CARPL', `${between(3800, 5200)}.${String(between(0, 99)).padStart(2, '0')}`].join(','),
    );
    if (random() < 0.3) extraRows.push(`${ref},education-place,weekly,${between(200, 400)}.00`);
  }
  return { 'homes.csv': homeRows.join('\n'), 'beds.csv': bedRows.join('\n'), 'placements.csv': placementRows.join('\n'), 'extras.csv': extraRows.join('\n') };
}

const stack = await startEmulatorStack();
try {
  const counted = countCapacity(stack.clients.dynamodb);
  const db = stack.documentClient();
  const resources = await stack.provision('bench-import');
  const tables = { estate: resources.EstateTable!.name, referrals: resources.ReferralsTable!.name, placements: resources.PlacementsTable!.name };
  const importer = new GoLiveImport(new DynamoGoLiveReader(db, tables), new DynamoPlacementStore(db, tables), fixedClock(NOW));
  const files = councilFiles(HOMES, PLACEMENTS);
  const kb = (Object.values(files).reduce((n, text) => n + Buffer.byteLength(text), 0) / 1024).toFixed(0);

  const rows = [];
  for (const [what, options] of [
    ['check only', { checkOnly: true }],
    ['first import', {}],
    ['second import (same files)', {}],
  ] as const) {
    counted.reset();
    const started = performance.now();
    const outcome = await importer.run(finance, files, options);
    const seconds = (performance.now() - started) / 1000;
    if (outcome.status === 'refused') throw new Error(`the generated files were refused: ${JSON.stringify(outcome.problems.slice(0, 5))}`);
    rows.push({
      run: what,
      seconds: seconds.toFixed(1),
      'homes written': outcome.written.homes,
      'placements written': outcome.written.placements,
      'placements unchanged': outcome.unchanged.placements,
      transactions: outcome.transactions,
      WCU: counted.units.write.toFixed(0),
      'WCU / placement': (counted.units.write / PLACEMENTS).toFixed(2),
      RCU: counted.units.read.toFixed(0),
    });
  }
  const recorder = new BenchRecorder('import');
  recorder.table(`Go-live import: ${HOMES} homes (${HOMES * BEDS_PER_HOME} beds), ${PLACEMENTS} placements, ${kb} KB of CSV, against DynamoDB Local`, rows);
  const [, first, second] = rows;
  recorder.measure({ measure: `go-live import, first: ${HOMES} homes and ${PLACEMENTS} placements`, figure: Number(first!.seconds), unit: 's' });
  recorder.measure({ measure: 'go-live import, first: write units per placement', figure: Number(first!['WCU / placement']), unit: 'WCU' });
  recorder.measure({ measure: 'go-live import, the same files again: placements written', figure: second!['placements written'], unit: 'placements', goal: { op: '<=', value: 0 } });
  recorder.write();
} finally {
  await stack.stop();
}
