import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '#lib/auth/caller';
import { fixedClock } from '#lib/clock';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { EstateCache } from '#lib/estate/estate-cache';
import { ESTATE_CHANGES_PK } from '#lib/estate/estate-keys';
import { loadEstate } from '#lib/estate/estate-store';
import { sampleEstate } from '#lib/estate/seed';
import { DynamoPlacementStore } from '#lib/placements/dynamo-placement-store';
import { ManagerDecisions } from '#lib/placements/manager-decisions';
import { emulatorClients, provisionStack } from '#tests/support/emulators';

/**
 * The estate's change feed against DynamoDB Local: every decision that writes a home's profile or
 * calendar numbers its change in the same transaction, in commit order with no gaps, concurrent
 * decisions included; the estate cache built on it equals a full read of the table after each one,
 * and reads one small Query while nothing moves.
 */

const NOW = '2026-11-20T10:00:00.000Z';
const manager: Caller = { subject: 'staff-rm', name: 'A Manager', roles: ['residential-manager'] };

let db: DynamoDBDocumentClient;
let tables: { estate: string; referrals: string; placements: string };
let decisions: ManagerDecisions;

beforeAll(async () => {
  const stack = await provisionStack('estate-cache');
  db = DynamoDBDocumentClient.from(emulatorClients().dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  tables = { estate: stack.tables.EstateTable!, referrals: stack.tables.ReferralsTable!, placements: stack.tables.PlacementsTable! };
  decisions = new ManagerDecisions(new DynamoPlacementStore(db, tables), fixedClock(NOW));
  for (const home of sampleEstate()) await decisions.putHome(manager, home);
});

const changeNumbers = async () =>
  (
    await db.send(
      new QueryCommand({ TableName: tables.estate, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ESTATE_CHANGES_PK }, ConsistentRead: true }),
    )
  ).Items!.map((i) => i.seq as number);

describe('the estate change feed', () => {
  it('numbers every change to a profile in commit order, one each, no gaps', async () => {
    expect(await changeNumbers()).toEqual(sampleEstate().map((_, i) => i + 1));
  });

  it('concurrent decisions on different homes each get their own number, and the cache sees them all', async () => {
    // Prepare
    let units = 0;
    const cache = new EstateCache(new DynamoEstateStore(db, tables.estate, { onConsumedCapacity: (u) => (units += u) }));
    await cache.snapshot();

    // Act: an edit to each sample home, all at once
    const edits = sampleEstate().map((home, n) => ({ ...home, premiumWeeklyPence: 50_000 + n * 1_000 }));
    await Promise.all(edits.map((home) => decisions.putHome(manager, home)));
    const numbers = await changeNumbers();
    units = 0;
    const snapshot = await cache.snapshot();
    const refreshUnits = units;

    // Assess
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(numbers).toHaveLength(sampleEstate().length + edits.length);
    expect(snapshot).toEqual(await loadEstate(new DynamoEstateStore(db, tables.estate)));
    expect(cache.seq).toBe(numbers.length);
    expect(refreshUnits).toBeGreaterThan(0);
  });

  it('a warm cache reads one GetItem (the next change number) while nothing moves, and follows a decision', async () => {
    // Prepare
    let units = 0;
    const operations: string[] = [];
    const cache = new EstateCache(
      new DynamoEstateStore(db, tables.estate, {
        onConsumedCapacity: (u, operation) => {
          units += u;
          operations.push(operation);
        },
      }),
    );
    await cache.snapshot();

    // Act: nothing moves, then a bed is taken out of use (the home's profile), then nothing again
    units = 0;
    operations.length = 0;
    await cache.snapshot();
    const idle = { units, operations: [...operations] };
    const home = (await new DynamoEstateStore(db, tables.estate).getHome('northfield'))!.home;
    await decisions.putHome(manager, { ...home, beds: home.beds.map((b, i) => (i === 0 ? { ...b, outOfUse: [{ from: '2026-12-01', to: '2026-12-08', reason: 'repairs' }] } : b)) });
    const after = await cache.snapshot();

    // Assess
    expect(idle.operations).toEqual(['get']);
    expect(idle.units).toBeLessThanOrEqual(1);
    expect(after).toEqual(await loadEstate(new DynamoEstateStore(db, tables.estate)));
    expect(after.homes.find((h) => h.id === 'northfield')?.beds[0]?.outOfUse).toHaveLength(1);
  });
});
