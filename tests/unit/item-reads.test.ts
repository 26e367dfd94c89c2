import { describe, expect, it } from 'vitest';
import type { BatchGetCommandInput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchedItemReads } from '#lib/aws/item-reads';

/**
 * Batched item reads (lib/aws/item-reads.ts): the reads asked for in one turn of the event loop go
 * out as one strongly consistent BatchGetItem, and each caller gets its own item back.
 */

type Item = Record<string, unknown>;

/** A client whose BatchGetItem answers from `tables`, leaving out the first `unprocessed` keys of its first call. */
function fakeClient(tables: Record<string, Item[]>, options: { unprocessed?: number; fail?: boolean } = {}) {
  const calls: BatchGetCommandInput[] = [];
  const send = async ({ input }: { input: BatchGetCommandInput }) => {
    calls.push(structuredClone(input));
    if (options.fail) throw new Error('ProvisionedThroughputExceededException');
    const held = calls.length === 1 ? (options.unprocessed ?? 0) : 0;
    const Responses: Record<string, Item[]> = {};
    const UnprocessedKeys: Record<string, { Keys: Item[] }> = {};
    let skipped = 0;
    for (const [table, { Keys = [] }] of Object.entries(input.RequestItems ?? {})) {
      for (const key of Keys) {
        if (skipped < held) {
          skipped += 1;
          (UnprocessedKeys[table] ??= { Keys: [] }).Keys.push(key);
          continue;
        }
        const item = tables[table]?.find((i) => i.pk === key.pk && i.sk === key.sk);
        if (item) (Responses[table] ??= []).push(item);
      }
    }
    const ConsumedCapacity = Object.keys(input.RequestItems ?? {}).map((TableName) => ({ TableName, CapacityUnits: 1 }));
    return { Responses, UnprocessedKeys, ConsumedCapacity };
  };
  return { db: { send } as unknown as DynamoDBDocumentClient, calls };
}

const referral = { pk: 'REFERRAL#R1', sk: 'CURRENT', record: { status: 'open' } };
const change = { pk: 'ESTATE#CHANGES', sk: '000000000008', seq: 8 };

describe('batched item reads', () => {
  it('sends the reads of one turn as one strongly consistent BatchGetItem across tables, each caller getting its own item', async () => {
    // Prepare
    const { db, calls } = fakeClient({ referrals: [referral], estate: [change] });
    const units: Array<[string, number]> = [];
    const reads = batchedItemReads(db, (table, u) => units.push([table, u]));

    // Act
    const [current, proposal, next] = await Promise.all([
      reads.get({ table: 'referrals', key: { pk: 'REFERRAL#R1', sk: 'CURRENT' } }),
      reads.get({ table: 'referrals', key: { pk: 'REFERRAL#R1', sk: 'PROPOSAL#000001' }, attributes: [] }),
      reads.get({ table: 'estate', key: { pk: 'ESTATE#CHANGES', sk: '000000000008' }, attributes: [] }),
    ]);

    // Assess
    expect(current).toEqual(referral);
    expect(proposal).toBeUndefined();
    expect(next).toEqual(change);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.RequestItems!.referrals!.ConsistentRead).toBe(true);
    expect(calls[0]!.RequestItems!.estate!.ConsistentRead).toBe(true);
    expect(units).toEqual([
      ['referrals', 1],
      ['estate', 1],
    ]);
  });

  it('asks for a key once however many callers want it, and asks afresh in a later turn', async () => {
    // Prepare
    const { db, calls } = fakeClient({ referrals: [referral] });
    const reads = batchedItemReads(db);
    const key = { pk: 'REFERRAL#R1', sk: 'CURRENT' };

    // Act
    const both = await Promise.all([reads.get({ table: 'referrals', key }), reads.get({ table: 'referrals', key: { sk: 'CURRENT', pk: 'REFERRAL#R1' } })]);
    const later = await reads.get({ table: 'referrals', key });

    // Assess
    expect(both).toEqual([referral, referral]);
    expect(later).toEqual(referral);
    expect(calls.map((c) => c.RequestItems!.referrals!.Keys)).toEqual([[key], [key]]);
  });

  it('projects a table to the key and the named attributes only when every read of it names them', async () => {
    // Prepare
    const { db, calls } = fakeClient({ referrals: [referral], estate: [change] });
    const reads = batchedItemReads(db);

    // Act
    await Promise.all([
      reads.get({ table: 'referrals', key: { pk: 'REFERRAL#R1', sk: 'CURRENT' } }),
      reads.get({ table: 'referrals', key: { pk: 'REFERRAL#R1', sk: 'PROPOSAL#000001' }, attributes: [] }),
      reads.get({ table: 'estate', key: { pk: 'ESTATE#CHANGES', sk: '000000000008' }, attributes: ['seq'] }),
    ]);

    // Assess
    const [{ RequestItems }] = calls as [BatchGetCommandInput];
    expect(RequestItems!.referrals!.ProjectionExpression).toBeUndefined();
    expect(RequestItems!.estate!.ProjectionExpression).toBe('#a0, #a1, #a2');
    expect(RequestItems!.estate!.ExpressionAttributeNames).toEqual({ '#a0': 'pk', '#a1': 'sk', '#a2': 'seq' });
  });

  it('asks again for the keys DynamoDB left unprocessed', async () => {
    // Prepare
    const { db, calls } = fakeClient({ referrals: [referral], estate: [change] }, { unprocessed: 1 });
    const reads = batchedItemReads(db);

    // Act
    const [current, next] = await Promise.all([
      reads.get({ table: 'referrals', key: { pk: 'REFERRAL#R1', sk: 'CURRENT' } }),
      reads.get({ table: 'estate', key: { pk: 'ESTATE#CHANGES', sk: '000000000008' } }),
    ]);

    // Assess
    expect([current, next]).toEqual([referral, change]);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.RequestItems).toEqual({ referrals: { Keys: [{ pk: 'REFERRAL#R1', sk: 'CURRENT' }], ConsistentRead: true } });
  });

  it('fails every read of a call that failed', async () => {
    // Prepare
    const { db } = fakeClient({ referrals: [referral] }, { fail: true });
    const reads = batchedItemReads(db);

    // Act
    const results = await Promise.allSettled([
      reads.get({ table: 'referrals', key: { pk: 'REFERRAL#R1', sk: 'CURRENT' } }),
      reads.get({ table: 'estate', key: { pk: 'ESTATE#CHANGES', sk: '000000000008' } }),
    ]);

    // Assess
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
