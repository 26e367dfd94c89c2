/**
 * Matcher latency for one referral against estates of 100, 500 and 2,000
 * homes (6 beds each, a year of placement history behind them), split into
 * the DynamoDB reads and the pure ranking, with the read units consumed.
 *
 *   npm run bench -- matching          (BENCH_N referrals per size, default 30)
 *
 * The year of history stays out of the hot path: a placement that has ended
 * lives in the placements table (one item each, found per bed through its
 * byBed index, which occupancy and invoicing use), and the home's calendar
 * item, which matching reads, keeps only current and future holds. The
 * "history in calendar" rows show what the same reads would cost if the
 * calendar kept the year instead.
 */
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { gzipSync } from 'node:zlib';
import { dynamoClient, REGION, snsClient, sqsClient, startEmulators } from '#infra/local/emulators';
import { provisionTemplate } from '#infra/local/provision';
import { synthesizeTemplate } from '#infra/synth';
import { ENV } from '#lib/config';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { calendarItem, homeItem } from '#lib/estate/estate-items';
import { loadEstate } from '#lib/estate/estate-store';
import type { Home } from '#lib/estate/schema';
import { sampleEstate } from '#lib/estate/seed';
import { northEastCentroids } from '#lib/matching/postcode-geography';
import { proposeMatches } from '#lib/matching/propose';
import type { Hold, HomeCalendar } from '#lib/placements/calendar';
import { placementIndexKeys, placementKeys } from '#lib/placements/placement-keys';
import { Placement } from '#lib/placements/schema';
import { referralKeys, statusIndexKeys } from '#lib/referrals/referral-keys';
import type { ReferralRecord } from '#lib/referrals/lifecycle';
import { addDays } from '#lib/time/calendar';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';
import { lambdaContext } from '#tests/support/lambda-context';
import { percentile, table } from './stats';

const N = Number(process.env.BENCH_N ?? 30);
const SIZES = [100, 500, 2_000];
const BEDS_PER_HOME = 6;
const AS_OF = '2026-11-20T10:00:00.000Z';
const TODAY = '2026-11-20';
const YEAR_AGO = '2025-11-20';

const districts = [...northEastCentroids.keys()];
const templates = sampleEstate();

/** Home i: one of the five sample homes' Statements of Purpose, somewhere in the North East, six beds (two kept back). */
function benchHome(i: number): Home {
  const template = templates[i % templates.length]!;
  const id = `home-${String(i).padStart(5, '0')}`;
  return {
    ...template,
    id,
    name: `${template.name} ${i}`,
    postcode: `${districts[i % districts.length]} ${1 + (i % 9)}AB`,
    maxResidents: BEDS_PER_HOME,
    beds: Array.from({ length: BEDS_PER_HOME }, (_, b) => ({ id: `${id}-b${b + 1}`, sellable: b >= 2, outOfUse: [] })),
  };
}

const resident = (i: number, b: number): Hold['resident'] => ({
  dateOfBirth: `20${String(8 + ((i + b) % 6)).padStart(2, '0')}-0${1 + (b % 9)}-1${b % 9}`,
  sex: (i + b) % 2 ? 'F' : 'M',
  risks: (i + b) % 5 === 0 ? ['missing'] : [],
  placedBy: (i + b) % 3 ? '390' : '392',
});

/** Current and future holds: three beds lived in now (one leaving soon), one offered. */
function currentHolds(home: Home, i: number): Hold[] {
  const bed = (b: number) => home.beds[b]!.id;
  return [
    { id: `${home.id}-now-1`, bedId: bed(0), kind: 'placement', from: '2026-09-01', resident: resident(i, 0) },
    { id: `${home.id}-now-2`, bedId: bed(2), kind: 'placement', from: '2026-06-15', resident: resident(i, 2) },
    { id: `${home.id}-now-3`, bedId: bed(3), kind: 'placement', from: '2026-10-01', to: addDays(TODAY, (i % 40) + 1), resident: resident(i, 3) },
    { id: `${home.id}-offer`, bedId: bed(4), kind: 'offer', from: '2026-12-05', to: '2027-06-05', expiresAt: '2026-11-22T17:00:00.000Z', resident: resident(i, 4) },
  ];
}

/** A year of ended stays: three per bed, back to back with voids between. */
function pastStays(home: Home, i: number): Array<{ bedId: string; from: string; to: string; b: number }> {
  return home.beds.flatMap((bed, b) =>
    [0, 1, 2].map((k) => {
      const from = addDays(YEAR_AGO, k * 110 + ((i + b) % 20));
      return { bedId: bed.id, from, to: addDays(from, 90), b };
    }),
  );
}

function historyPlacement(home: Home, i: number, stay: { bedId: string; from: string; to: string; b: number }, n: number): Placement {
  const decision = { by: { subject: 'bench', name: 'bench', roles: [] }, at: `${stay.from}T09:00:00.000Z` };
  return Placement.parse({
    placementId: `${home.id}-past-${n}`,
    referralId: `PAST-${home.id}-${n}`,
    placingLa: '390',
    placingAuthorityName: 'Gateshead',
    purchaseOrder: 'PO-BENCH',
    childReference: `GH-${i}-${n}`,
    homeId: home.id,
    bedId: stay.bedId,
    ofstedUrn: home.ofstedUrn,
    homePostcode: home.postcode,
    placementType: home.placementTypes[0],
    provider: 'PR2',
    startDate: stay.from,
    agreedWeeklyPricePence: 400_000,
    extras: [],
    status: 'ended',
    resident: resident(i, stay.b),
    version: 2,
    admitted: decision,
    ending: { endDate: stay.to, reasonPlacementChange: 'CARPL', planned: true, decision: { ...decision, at: `${stay.to}T09:00:00.000Z` } },
  });
}

async function batchPut(db: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
  const chunks = Array.from({ length: Math.ceil(items.length / 25) }, (_, c) => items.slice(c * 25, c * 25 + 25));
  for (let c = 0; c < chunks.length; c += 16) {
    await Promise.all(
      chunks.slice(c, c + 16).map(async (chunk) => {
        type Requests = NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>;
        let request: Requests | undefined = { [tableName]: chunk.map((Item) => ({ PutRequest: { Item } })) };
        while (request && Object.keys(request).length > 0) {
          const out: { UnprocessedItems?: Requests } = await db.send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems;
        }
      }),
    );
  }
}

const emulators = await startEmulators();
try {
  const { endpoints } = emulators;
  const clients = { dynamodb: dynamoClient(endpoints.dynamodb), sqs: sqsClient(endpoints.sqs), sns: snsClient(endpoints.sns) };
  const template = synthesizeTemplate({ bundle: false });
  const { resources } = await provisionTemplate(template, clients, { prefix: 'bench' });
  // A second estate table whose calendars keep the whole year, to show what pruning saves.
  const { resources: fat } = await provisionTemplate(template, clients, { prefix: 'bench-fat' });
  const tables = { referrals: resources.ReferralsTable!.name, estate: resources.EstateTable!.name, placements: resources.PlacementsTable!.name };
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    [ENV.referralsTable]: tables.referrals,
    [ENV.estateTable]: tables.estate,
    [ENV.placementsTable]: tables.placements,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const { handler } = await import('#functions/matcher/handler');
  const db = DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });

  const rows: Record<string, string | number>[] = [];
  const setupRows: Record<string, string | number>[] = [];
  let built = 0;
  for (const size of SIZES) {
    // Grow the estate to `size` homes: profiles, pruned calendars, the year's placements; and the fat variant.
    const t0 = performance.now();
    const homes = Array.from({ length: size - built }, (_, k) => benchHome(built + k));
    const calendars = homes.map((home, k): HomeCalendar => ({ homeId: home.id, version: 1, holds: currentHolds(home, built + k) }));
    const history = homes.flatMap((home, k) => pastStays(home, built + k).map((stay, n) => historyPlacement(home, built + k, stay, n)));
    await batchPut(db, tables.estate, [...homes.map((h) => homeItem(h, 1)), ...calendars.map(calendarItem)]);
    await batchPut(db, tables.placements, history.map((p) => ({ ...placementKeys.placement(p.placementId), ...placementIndexKeys(p), ...p })));
    const withHistory = calendars.map((c): HomeCalendar => ({
      ...c,
      holds: [
        ...history.filter((p) => p.homeId === c.homeId).map((p): Hold => ({ id: p.placementId, bedId: p.bedId, kind: 'placement', from: p.startDate, to: p.ending!.endDate, resident: p.resident })),
        ...c.holds,
      ],
    }));
    await batchPut(db, fat.EstateTable!.name, [...homes.map((h) => homeItem(h, 1)), ...withHistory.map(calendarItem)]);
    built = size;
    setupRows.push({ homes: size, beds: size * BEDS_PER_HOME, 'past placements (placements table)': size * BEDS_PER_HOME * 3, 'load s': ((performance.now() - t0) / 1000).toFixed(1) });

    // Referrals to match: the sample referral (K2, a 15-year-old from Gateshead), one per measured run.
    const referralIds = Array.from({ length: N + 3 }, (_, i) => `BENCH-${size}-${i}`);
    for (const referralId of referralIds) {
      const record: ReferralRecord = {
        referralId, status: 'open', version: 1, placingLa: '390',
        referral: { ...WORKED_REFERRALS.W01, referralId, sought: { ...WORKED_REFERRALS.W01.sought, maxWeeklyBudgetPence: 600_000 } },
        createdAt: AS_OF, updatedAt: AS_OF,
      };
      await db.send(new PutCommand({ TableName: tables.referrals, Item: { ...referralKeys.current(referralId), ...statusIndexKeys(record), version: 1, record } }));
    }

    const measure = async (estateTable: string) => {
      let units = 0;
      const store = new DynamoEstateStore(db, estateTable, { onConsumedCapacity: (u) => (units += u) });
      const t = performance.now();
      const estate = await loadEstate(store);
      return { estate, ms: performance.now() - t, units };
    };

    const reads: number[] = [];
    const fatReads: number[] = [];
    const ranking: number[] = [];
    const handlerMs: number[] = [];
    let units = 0;
    let fatUnits = 0;
    let candidates = 0;
    let proposalBytes = 0;
    for (let i = 0; i < referralIds.length; i++) {
      const warmup = i < 3;
      const { estate, ms, units: u } = await measure(tables.estate);
      const fatRead = await measure(fat.EstateTable!.name);
      const request = { referralId: referralIds[i]!, version: 1, referral: WORKED_REFERRALS.W01, asOf: AS_OF };
      const t = performance.now();
      const proposal = proposeMatches(request, estate);
      const rankMs = performance.now() - t;
      const body = JSON.stringify({ referralId: referralIds[i], version: 1, event: 'referral.created' });
      const h = performance.now();
      const response = await handler(
        { Records: [{ messageId: `m-${size}-${i}`, receiptHandle: 'r', body, attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'bench', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: resources.MatchingQueue!.arn, awsRegion: REGION }] },
        lambdaContext('matcher', 20_000),
      );
      const handlerTook = performance.now() - h;
      if (response.batchItemFailures.length > 0) throw new Error(`referral ${referralIds[i]} failed to match`);
      if (warmup) continue;
      reads.push(ms);
      fatReads.push(fatRead.ms);
      ranking.push(rankMs);
      handlerMs.push(handlerTook);
      units = u;
      fatUnits = fatRead.units;
      candidates = proposal.candidates.length;
      proposalBytes = gzipSync(JSON.stringify(proposal)).length;
    }
    const p = (values: number[], q: number) => percentile([...values].sort((a, b) => a - b), q).toFixed(1);
    rows.push({
      homes: size,
      'reads p50 ms': p(reads, 50),
      'reads p95 ms': p(reads, 95),
      'ranking p50 ms': p(ranking, 50),
      'ranking p95 ms': p(ranking, 95),
      'handler p50 ms': p(handlerMs, 50),
      'handler p95 ms': p(handlerMs, 95),
      'read units': units.toFixed(1),
      'history-in-calendar reads p50 ms': p(fatReads, 50),
      'history-in-calendar read units': fatUnits.toFixed(1),
      candidates,
      'proposal gzip bytes': proposalBytes,
    });
  }
  console.log('\nEstates loaded into DynamoDB Local');
  table(setupRows);
  console.log(
    `\nMatching one referral (${N} runs per size after 3 warm-up runs; DynamoDB Local on this machine).\n` +
      'reads = every home profile and calendar through the byKind index (two paginated Queries in parallel, zod-parsed);\n' +
      'ranking = proposeMatches (pure); handler = the whole matcher Lambda handler for one SQS record (referral reads,\n' +
      'estate reads, ranking, gzip, conditional PutItem). Read units are ConsumedCapacity TOTAL of the estate reads\n' +
      '(eventually consistent index queries: 0.5 unit per 4 KB).',
  );
  table(rows);
} finally {
  await emulators.stop();
}
