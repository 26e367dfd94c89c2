import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { fixedClock } from '#lib/clock';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { calendarItem, homeItem } from '#lib/estate/estate-items';
import { loadEstate } from '#lib/estate/estate-store';
import { sampleEstate, seedEstate } from '#lib/estate/seed';
import { estateSeedTarget, seedLocalStack } from '#infra/local/seed-local';
import { REGION } from '#infra/local/emulators';
import { emulatorClients, emulatorEndpoints, provisionStack, type ProvisionedStack } from '#tests/support/emulators';
import { worldCalendars } from '#tests/support/matching-world';

/** The estate table against DynamoDB Local: the seed, and whole-estate reads through the byKind index. */

let stack: ProvisionedStack;
let db: DynamoDBDocumentClient;
let tables: { estate: string; referrals: string; placements: string };

beforeAll(async () => {
  stack = await provisionStack('estate');
  db = DynamoDBDocumentClient.from(emulatorClients().dynamodb);
  tables = { estate: stack.tables.EstateTable!, referrals: stack.tables.ReferralsTable!, placements: stack.tables.PlacementsTable! };
});

const profileItems = async () =>
  (await db.send(new QueryCommand({ TableName: tables.estate, IndexName: 'byKind', KeyConditionExpression: 'gsi1pk = :k', ExpressionAttributeValues: { ':k': 'HOME' } }))).Items ?? [];

describe('seeding the sample estate', () => {
  it('creates every home with its beds claimed; a second run changes nothing', async () => {
    // Act
    const first = await seedLocalStack({ region: REGION, endpoints: { dynamodb: emulatorEndpoints().dynamodb }, tables: stack.tables });
    const afterFirst = await profileItems();
    const second = await seedLocalStack({ region: REGION, endpoints: { dynamodb: emulatorEndpoints().dynamodb }, tables: stack.tables });

    // Assess
    const ids = sampleEstate().map((h) => h.id).sort();
    expect(first).toEqual({ created: sampleEstate().map((h) => h.id), alreadyPresent: [] });
    expect(second).toEqual({ created: [], alreadyPresent: sampleEstate().map((h) => h.id) });
    expect(await profileItems()).toEqual(afterFirst);
    expect(afterFirst.map((i) => i.gsi1sk)).toEqual(ids);
    const bedClaim = await db.send(new QueryCommand({ TableName: tables.estate, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'BED#hv-3' } }));
    expect(bedClaim.Items).toEqual([expect.objectContaining({ homeId: 'harbour-view' })]);
  });

  it('leaves a home a manager has changed since as it is', async () => {
    // Prepare: Harbour View's premium raised after the first seed
    const store = new DynamoEstateStore(db, tables.estate);
    const before = (await store.getHome('harbour-view'))!;
    await db.send(new PutCommand({ TableName: tables.estate, Item: homeItem({ ...before.home, premiumWeeklyPence: 60_000 }, before.version + 1) }));

    // Act
    await seedEstate(sampleEstate(), estateSeedTarget(db, tables, fixedClock('2026-11-20T10:00:00Z')));

    // Assess
    expect(await store.getHome('harbour-view')).toEqual({ home: { ...before.home, premiumWeeklyPence: 60_000 }, version: before.version + 1 });
  });
});

describe('reading the whole estate', () => {
  it('lists every home and every calendar through the byKind index, in home id order, counting read units', async () => {
    // Prepare
    for (const calendar of worldCalendars()) await db.send(new PutCommand({ TableName: tables.estate, Item: calendarItem(calendar) }));
    let units = 0;
    const store = new DynamoEstateStore(db, tables.estate, { onConsumedCapacity: (u) => (units += u) });

    // Act
    const estate = await loadEstate(store);

    // Assess
    expect(estate.homes.map((h) => h.id)).toEqual(sampleEstate().map((h) => h.id).sort());
    expect([...estate.calendars.values()]).toEqual(worldCalendars().sort((a, b) => a.homeId.localeCompare(b.homeId)));
    expect(units).toBeGreaterThan(0);
  });

  it('pages through an estate bigger than one 1 MB query page', async () => {
    // Prepare: 400 more homes of ~3 KB each, in a table of their own
    const big = await provisionStack('estate-big');
    const template = sampleEstate()[1]!;
    const homes = Array.from({ length: 400 }, (_, i) => ({
      ...template,
      id: `home-${String(i).padStart(4, '0')}`,
      name: `Home ${i} ${'x'.repeat(100)}`,
      beds: Array.from({ length: 10 }, (_, b) => ({ id: `b${i}-${b}`, sellable: true, outOfUse: [{ from: '2026-01-01', to: '2026-01-02', reason: 'r'.repeat(150) }] })),
    }));
    await Promise.all(homes.map((home) => db.send(new PutCommand({ TableName: big.tables.EstateTable!, Item: homeItem(home, 1) }))));
    let queries = 0;
    const store = new DynamoEstateStore(db, big.tables.EstateTable!, { onConsumedCapacity: (_u, operation) => (queries += operation === 'query' ? 1 : 0) });

    // Act
    const listed = await store.listHomes();

    // Assess
    expect(listed.map((h) => h.home.id)).toEqual(homes.map((h) => h.id));
    expect(queries).toBeGreaterThan(1);
  });
});
