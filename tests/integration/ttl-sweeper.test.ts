import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { provisionTemplate } from '#infra/local/provision';
import { TtlSweeper } from '#infra/local/ttl-sweeper';
import { emulatorClients } from '#tests/support/emulators';
import { manualClock, TEST_NOW_MS } from '#tests/support/clock';
import { PK_SK, PK_SK_ATTRIBUTES } from '#tests/support/pk-sk-keys';

/** Time to live on the stack's clock: DynamoDB Local's own (by the wall clock) is off, and the runner's sweep deletes by the stack's. */

const template = {
  Resources: {
    Sessions: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: PK_SK,
        AttributeDefinitions: PK_SK_ATTRIBUTES,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    },
  },
};

const db = DynamoDBDocumentClient.from(emulatorClients().dynamodb);
let table: { name: string; attribute: string; keys: string[] };

beforeAll(async () => {
  const { resources } = await provisionTemplate(template, emulatorClients(), { prefix: `ttl-${randomUUID().slice(0, 8)}` });
  table = { name: resources.Sessions!.name, ...resources.Sessions!.ttl! };
});

const keysLeft = async () => ((await db.send(new ScanCommand({ TableName: table.name, ConsistentRead: true }))).Items ?? []).map((i) => i.pk).sort();

describe('the TTL sweep', () => {
  it('deletes what the stack\'s clock has passed the TTL of, whatever the wall clock says, and nothing else', async () => {
    const clock = manualClock(TEST_NOW_MS);
    const seconds = (ms: number) => Math.floor(ms / 1000);
    // Written on a clock years away from the wall clock: DynamoDB Local would delete the first at once.
    await db.send(new PutCommand({ TableName: table.name, Item: { pk: 'a-ten-minutes', sk: 's', expiresAt: seconds(TEST_NOW_MS + 10 * 60_000) } }));
    await db.send(new PutCommand({ TableName: table.name, Item: { pk: 'b-a-day', sk: 's', expiresAt: seconds(TEST_NOW_MS + 86_400_000) } }));
    await db.send(new PutCommand({ TableName: table.name, Item: { pk: 'c-forever', sk: 's' } }));
    const sweeper = new TtlSweeper(db, [table], clock);

    expect(await sweeper.sweep()).toBe(0);
    clock.advance(11 * 60_000);
    expect(await sweeper.sweep()).toBe(1);
    expect(await keysLeft()).toEqual(['b-a-day', 'c-forever']);
    clock.advance(86_400_000);
    expect(await sweeper.sweep()).toBe(1);
    expect(await keysLeft()).toEqual(['c-forever']);
  });
});
