/**
 * The matcher against estates of 100, 500 and 2,000 homes (six beds each, current residents and an
 * offer in every home), from DynamoDB Local: the whole handler for one referral, the pure ranking,
 * and the estate reads, warm (the cache asking the change feed whether anything moved) and cold (a
 * full read through the byKind index, which is what every batch read before the cache), with the
 * read units each consumes.
 *
 *   npm run bench -- matching          (BENCH_N referrals per size, default 30; BENCH_SIZES, default 100,500,2000)
 *
 * The estate grows between sizes by bulk writes, each followed by an estate change naming the new
 * homes, as a decision would record it, so the warm matcher takes them in.
 */
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { emulatorEnvironment, REGION } from '#infra/local/emulators';
import { ENV } from '#lib/config';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { EstateCache } from '#lib/estate/estate-cache';
import { calendarItem, changeItem, homeItem } from '#lib/estate/estate-items';
import { loadEstate } from '#lib/estate/estate-store';
import { fitProposal } from '#lib/matching/dynamo-proposal-store';
import { proposeMatches } from '#lib/matching/propose';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { referralKeys, statusIndexKeys } from '#lib/referrals/referral-keys';
import type { ReferralRecord } from '#lib/referrals/lifecycle';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';
import { BEDS_PER_HOME, generatedHolds, generatedHome } from '#tests/support/generated-estate';
import { lambdaContext } from '#tests/support/lambda-context';
import { startEmulatorStack } from './emulator-stack';
import { BenchRecorder } from './results';
import { percentile } from './stats';
import { batchPut } from './year-of-data';

const N = Number(process.env.BENCH_N ?? 30);
const SIZES = (process.env.BENCH_SIZES ?? '100,500,2000').split(',').map(Number);
const AS_OF = '2026-11-20T10:00:00.000Z';
const TODAY = '2026-11-20';
const recorder = new BenchRecorder('matching');

const p = (values: number[], q: number) => percentile([...values].sort((a, b) => a - b), q);

const stack = await startEmulatorStack();
try {
  const resources = await stack.provision('bench');
  const tables = { referrals: resources.ReferralsTable!.name, estate: resources.EstateTable!.name, placements: resources.PlacementsTable!.name };
  Object.assign(process.env, {
    ...emulatorEnvironment(stack.endpoints),
    [ENV.referralsTable]: tables.referrals,
    [ENV.estateTable]: tables.estate,
    [ENV.placementsTable]: tables.placements,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const { handler } = await import('#functions/matcher/handler');
  const db = stack.documentClient();
  let units = 0;
  const counted = new DynamoEstateStore(db, tables.estate, { onConsumedCapacity: (u) => (units += u) });
  // The bench's own cache, read the way the handler's is, to see what a warm request reads.
  const cache = new EstateCache(counted);

  const rows: Record<string, string | number>[] = [];
  const setupRows: Record<string, string | number>[] = [];
  const warmUnitsBySize = new Map<number, number>();
  let built = 0;
  let seq = 0;
  for (const size of SIZES) {
    // Grow the estate to `size` homes, then record the change as a decision would.
    const t0 = performance.now();
    const homes = Array.from({ length: size - built }, (_, k) => generatedHome(built + k));
    const calendars = homes.map((home, k): HomeCalendar => ({ homeId: home.id, version: 1, holds: generatedHolds(home, built + k, TODAY) }));
    await batchPut(db, tables.estate, [...homes.map((h) => homeItem(h, 1)), ...calendars.map(calendarItem)]);
    seq += 1;
    await db.send(new PutCommand({ TableName: tables.estate, Item: changeItem({ seq, homes: homes.map((h) => ({ homeId: h.id, profileVersion: 1, calendarVersion: 1 })) }) }));
    built = size;
    setupRows.push({ homes: size, beds: size * BEDS_PER_HOME, 'load s': ((performance.now() - t0) / 1000).toFixed(1) });

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

    const fullRead: number[] = [];
    const warmRead: number[] = [];
    const ranking: number[] = [];
    const handlerMs: number[] = [];
    let fullUnits = 0;
    let warmUnits = 0;
    let candidates = 0;
    let proposalBytes = 0;
    for (let i = 0; i < referralIds.length; i++) {
      const warmup = i < 3;
      // What every batch read before the cache: every profile and calendar through byKind.
      units = 0;
      let t = performance.now();
      const estate = await loadEstate(counted);
      const fullMs = performance.now() - t;
      const full = units;
      // What a warm request reads now: the changes since the last it saw (none).
      units = 0;
      t = performance.now();
      await cache.snapshot();
      const warmMs = performance.now() - t;
      const warm = units;

      const request = { referralId: referralIds[i]!, version: 1, referral: WORKED_REFERRALS.W01, asOf: AS_OF };
      t = performance.now();
      const proposal = proposeMatches(request, estate);
      const rankMs = performance.now() - t;
      const body = JSON.stringify({ referralId: referralIds[i], version: 1, event: 'referral.created' });
      t = performance.now();
      const response = await handler(
        { Records: [{ messageId: `m-${size}-${i}`, receiptHandle: 'r', body, attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'bench', ApproximateFirstReceiveTimestamp: '0' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: resources.MatchingQueue!.arn, awsRegion: REGION }] },
        lambdaContext('matcher', 20_000),
      );
      const handlerTook = performance.now() - t;
      if (response.batchItemFailures.length > 0) throw new Error(`referral ${referralIds[i]} failed to match`);
      if (warmup) continue;
      fullRead.push(fullMs);
      warmRead.push(warmMs);
      ranking.push(rankMs);
      handlerMs.push(handlerTook);
      fullUnits = full;
      warmUnits = warm;
      candidates = proposal.candidates.length;
      proposalBytes = fitProposal(proposal).bytes.length;
    }
    warmUnitsBySize.set(size, warmUnits);
    rows.push({
      homes: size,
      'handler p50 ms': p(handlerMs, 50).toFixed(1),
      'handler p95 ms': p(handlerMs, 95).toFixed(1),
      'ranking p50 ms': p(ranking, 50).toFixed(1),
      'warm estate read p50 ms': p(warmRead, 50).toFixed(1),
      'warm read units': warmUnits.toFixed(1),
      'full estate read p50 ms': p(fullRead, 50).toFixed(1),
      'full read units': fullUnits.toFixed(1),
      candidates,
      'stored proposal bytes': proposalBytes,
    });
    if (size === 500 || size === 2_000) {
      recorder.measure({ measure: `matcher handler, one referral vs ${size.toLocaleString('en-GB')} homes (p50)`, figure: Number(p(handlerMs, 50).toFixed(1)), unit: 'ms', goal: { op: '<', value: size === 500 ? 20 : 50 }, note: `p95 ${p(handlerMs, 95).toFixed(1)} ms; ranking p50 ${p(ranking, 50).toFixed(1)} ms; ${N} runs` });
    }
  }
  recorder.table('Estates loaded into DynamoDB Local', setupRows);
  recorder.table(
    `Matching one referral (${N} runs per size after 3 warm-up runs; DynamoDB Local on this machine).\n` +
      'handler = the whole matcher Lambda handler for one SQS record (one BatchGetItem: the referral, whether its version\n' +
      'has a proposal, whether the estate has a change after the cache\'s; ranking; zstd; conditional PutItem). warm estate\n' +
      'read = the cache asking whether the next change exists (one consistent GetItem); full estate read = every profile\n' +
      'and calendar through byKind (what each batch read before). Read units are ConsumedCapacity TOTAL.',
    rows,
  );
  if (warmUnitsBySize.has(100) && warmUnitsBySize.has(2_000)) {
    const [small, large] = [warmUnitsBySize.get(100)!, warmUnitsBySize.get(2_000)!];
    // DynamoDB Local reports no units for a Query that finds nothing (DynamoDB charges its minimum, alike for any estate).
    const warmGrowth = small === large ? 1 : large / small;
    recorder.measure({ measure: 'matcher estate read units once warm, 2,000 homes vs 100', figure: Number(warmGrowth.toFixed(2)), unit: '×', goal: { op: '<=', value: 1 }, note: `${warmUnitsBySize.get(2_000)} vs ${warmUnitsBySize.get(100)} units a request` });
  }
  recorder.write();
} finally {
  await stack.stop();
}
