import { beforeAll, describe, expect, it, vi } from 'vitest';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { fixedClock } from '#lib/clock';
import { ENV } from '#lib/config';
import { calendarItem, emptyCalendar } from '#lib/estate/estate-items';
import { sampleEstate, seedEstate } from '#lib/estate/seed';
import { estateSeedTarget } from '#infra/local/seed-local';
import { SqsMatchingPublisher } from '#lib/matching/sqs-matching-publisher';
import { proposeMatches } from '#lib/matching/propose';
import { proposalFromItem } from '#lib/matching/dynamo-proposal-store';
import type { Proposal } from '#lib/matching/proposal';
import { DynamoPlacementStore } from '#lib/placements/dynamo-placement-store';
import { ManagerDecisions } from '#lib/placements/manager-decisions';
import { DynamoIntakeStore } from '#lib/referrals/dynamo-intake-store';
import { ReferralIntake } from '#lib/referrals/intake';
import { ReferralEvent, type Referral } from '#lib/referrals/schema';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';
import { emulatorClients, provisionStack, useEmulatorEnvironment, type ProvisionedStack } from '#tests/support/emulators';
import { lambdaContext } from '#tests/support/lambda-context';
import { worldCalendars } from '#tests/support/matching-world';
import { receiveAll, sqsEventOf } from '#tests/support/sqs-event';
import { readEvent } from '#tests/support/webhook';

/**
 * The matcher handler against DynamoDB Local and fauxqs, no mocks: referrals
 * go in through the real intake, matching requests are really queued, and the
 * handler is given SQS events built from the messages received off the queue.
 */

/** Every referral version arrives at this instant, so proposals are comparable across runs. */
const RECEIVED_AT = '2026-11-20T10:00:00.000Z';

let stack: ProvisionedStack;
let db: DynamoDBDocumentClient;
let sqs: SQSClient;
let queue: { url: string; arn: string };
let tables: { referrals: string; idempotency: string; estate: string; placements: string };
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let intake: ReferralIntake;

beforeAll(async () => {
  stack = await provisionStack('matcher');
  useEmulatorEnvironment();
  tables = {
    referrals: stack.tables.ReferralsTable!,
    idempotency: stack.tables.IdempotencyTable!,
    estate: stack.tables.EstateTable!,
    placements: stack.tables.PlacementsTable!,
  };
  queue = stack.queues.MatchingQueue!;
  vi.stubEnv(ENV.referralsTable, tables.referrals);
  vi.stubEnv(ENV.estateTable, tables.estate);
  vi.stubEnv(ENV.placementsTable, tables.placements);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  handler = (await import('#functions/matcher/handler')).handler as typeof handler;

  const clients = emulatorClients();
  db = DynamoDBDocumentClient.from(clients.dynamodb);
  sqs = clients.sqs;
  intake = new ReferralIntake(new DynamoIntakeStore(db, tables), new SqsMatchingPublisher(sqs, queue.url), fixedClock(RECEIVED_AT));

  // The sample estate, with the worked examples' residents in its calendars.
  await seedEstate(sampleEstate(), estateSeedTarget(db, tables, fixedClock(RECEIVED_AT)));
  for (const calendar of worldCalendars()) await db.send(new PutCommand({ TableName: tables.estate, Item: calendarItem(calendar) }));
});

let deliveries = 0;
async function deliver(event: ReferralEvent): Promise<void> {
  const outcome = await intake.accept({ webhookId: `msg_${++deliveries}`, bodySha256: String(deliveries).padStart(64, '0'), event });
  expect(outcome.kind).toBe('accepted');
}
const created = (referralId: string, referral: Referral): ReferralEvent => ({ type: 'referral.created', data: { ...referral, referralId } });
const updated = (referralId: string, referral: Referral): ReferralEvent => ({ type: 'referral.updated', data: { ...referral, referralId } });
const withdrawn = (referralId: string): ReferralEvent => ({ type: 'referral.withdrawn', data: { referralId, reason: 'placed-elsewhere' } });

const invoke = (records: SQSRecord[]) => handler(sqsEventOf(records), lambdaContext('matcher', 20_000));

/** Every PROPOSAL item of the referrals with this id prefix: sort key and decoded proposal. */
async function proposals(prefix: string): Promise<Array<{ pk: string; sk: string; proposal: Proposal }>> {
  const found: Array<{ pk: string; sk: string; proposal: Proposal }> = [];
  for (const referralId of ['R1', 'R2', 'R3', 'R4'].map((r) => `${prefix}-${r}`)) {
    const { Items = [] } = await db.send(
      new QueryCommand({
        TableName: tables.referrals,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': `REFERRAL#${referralId}`, ':p': 'PROPOSAL#' },
        ConsistentRead: true,
      }),
    );
    for (const item of Items) {
      found.push({ pk: item.pk, sk: item.sk, proposal: proposalFromItem(item) });
    }
  }
  return found;
}

/** The same four referrals under an id prefix: created; created then updated; created; created then withdrawn. */
async function referralStory(prefix: string): Promise<void> {
  await deliver(created(`${prefix}-R1`, WORKED_REFERRALS.W01));
  await deliver(created(`${prefix}-R2`, WORKED_REFERRALS.W02));
  await deliver(created(`${prefix}-R3`, WORKED_REFERRALS.W07));
  await deliver(created(`${prefix}-R4`, WORKED_REFERRALS.W13));
  await deliver(updated(`${prefix}-R2`, WORKED_REFERRALS.W04));
  await deliver(withdrawn(`${prefix}-R4`));
}

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('the matcher against the emulators', () => {
  it('stores a proposal for each referral version, equal to the pure ranking of the stored estate', async () => {
    // Prepare
    await referralStory('ONE');
    const records = await receiveAll(sqs, queue.url, queue.arn);
    expect(records).toHaveLength(6);

    // Act
    const response = await invoke(records);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const stored = await proposals('ONE');
    expect(stored.map((p) => `${p.pk} ${p.sk}`)).toEqual([
      'REFERRAL#ONE-R1 PROPOSAL#000001',
      'REFERRAL#ONE-R2 PROPOSAL#000002', // v1 was replaced by the update before it was matched
      'REFERRAL#ONE-R3 PROPOSAL#000001',
    ]);
    const estate = {
      homes: sampleEstate(),
      calendars: new Map(sampleEstate().map((h) => [h.id, worldCalendars().find((c) => c.homeId === h.id) ?? emptyCalendar(h.id)])),
    };
    const expected = (referralId: string, version: number, referral: Referral) =>
      proposeMatches({ referralId, version, referral: { ...referral, referralId }, asOf: RECEIVED_AT }, estate);
    expect(stored[0]!.proposal).toEqual(expected('ONE-R1', 1, WORKED_REFERRALS.W01));
    expect(stored[1]!.proposal).toEqual(expected('ONE-R2', 2, WORKED_REFERRALS.W04));
    expect(stored[2]!.proposal).toEqual(expected('ONE-R3', 1, WORKED_REFERRALS.W07));
    expect(stored[2]!.proposal.candidates.map((c) => c.bedId)).toEqual(['mit-5a', 'mit-5b', 'elm-6']);
  });

  it('redelivering every message twice, out of order and in other batches, leaves exactly the proposals of one delivery', async () => {
    // Prepare: the same story twice over, under two prefixes
    await referralStory('ONCE');
    const once = await receiveAll(sqs, queue.url, queue.arn);
    await referralStory('TWICE');
    const twice = await receiveAll(sqs, queue.url, queue.arn);

    // Act: ONCE as it came; TWICE every message twice, shuffled, in batches of 4
    expect(await invoke(once)).toEqual({ batchItemFailures: [] });
    const redelivered = shuffled([...twice, ...twice.map((r) => ({ ...r, attributes: { ...r.attributes, ApproximateReceiveCount: '2' } }))], 20261120);
    for (let i = 0; i < redelivered.length; i += 4) {
      expect(await invoke(redelivered.slice(i, i + 4))).toEqual({ batchItemFailures: [] });
    }

    // Assess: the same items, but for the prefix in the referral id
    const normalise = (items: Awaited<ReturnType<typeof proposals>>, prefix: string) =>
      JSON.parse(JSON.stringify(items).replaceAll(`${prefix}-`, 'X-'));
    const onceProposals = await proposals('ONCE');
    expect(onceProposals).toHaveLength(3);
    expect(normalise(await proposals('TWICE'), 'TWICE')).toEqual(normalise(onceProposals, 'ONCE'));
  });

  it('a withdrawal releases the offer holding a bed, once, through the placements context', async () => {
    // Prepare: the mother-and-baby referral offered Purley Close's pur-3, then withdrawn
    await deliver(created('OFFER-R1', WORKED_REFERRALS.W09));
    await invoke(await receiveAll(sqs, queue.url, queue.arn));
    const decisions = new ManagerDecisions(new DynamoPlacementStore(db, tables), fixedClock('2026-11-20T11:00:00.000Z'));
    const manager = { subject: 'manager-1', name: 'placements.officer@council.example', roles: ['placements-officer' as const] };
    const offer = await decisions.offer(manager, 'OFFER-R1', { bedId: 'pur-3' });
    await deliver(withdrawn('OFFER-R1'));
    const records = await receiveAll(sqs, queue.url, queue.arn);

    // Act: the withdrawal's message, delivered twice
    expect(await invoke(records)).toEqual({ batchItemFailures: [] });
    expect(await invoke(records)).toEqual({ batchItemFailures: [] });

    // Assess: the offer is released and its hold gone from the calendar
    const store = new DynamoPlacementStore(db, tables);
    expect(await store.getOffer(offer.offerId)).toMatchObject({ status: 'released', released: { reason: 'referral-withdrawn' } });
    expect((await store.getCalendar('purley-close')).holds.map((h) => h.id)).not.toContain(offer.offerId);
  });

  it('a poison record fails alone: the rest of its batch is matched', async () => {
    // Prepare: one good request, and three that cannot succeed, all really queued
    await deliver(created('POISON-R1', WORKED_REFERRALS.W05));
    for (const body of ['not json', '{"referralId":"POISON-R2","version":0,"event":"referral.created"}', '{"referralId":"NEVER-STORED","version":1,"event":"referral.created"}']) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
    }
    const records = await receiveAll(sqs, queue.url, queue.arn);
    const good = records.find((r) => r.body.includes('POISON-R1'))!;

    // Act
    const response = await invoke(records);

    // Assess
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      records.filter((r) => r !== good).map((r) => r.messageId).sort(),
    );
    const { Items = [] } = await db.send(
      new QueryCommand({ TableName: tables.referrals, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'REFERRAL#POISON-R1' } }),
    );
    expect(Items.map((i) => i.sk)).toContain('PROPOSAL#000001');
  });

  it('runs the sample events in events/matcher/ as they are', async () => {
    // Prepare: the sample referral's created, updated and withdrawn events through the intake
    const sample = (name: string) => ReferralEvent.parse(JSON.parse(readEvent(`referrals/${name}.json`)));
    await deliver(sample('created'));
    await receiveAll(sqs, queue.url, queue.arn);
    const withPoison = JSON.parse(readEvent('matcher/with-poison.json')) as SQSEvent;

    // Act + Assess: version 1 is matched; the schema-invalid and non-JSON records fail alone
    expect(await handler(withPoison, lambdaContext('matcher', 20_000))).toEqual({
      batchItemFailures: withPoison.Records.slice(1).map((r) => ({ itemIdentifier: r.messageId })),
    });
    const { Items = [] } = await db.send(
      new QueryCommand({ TableName: tables.referrals, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'REFERRAL#NE12-2026-000123' } }),
    );
    expect(Items.map((i) => i.sk)).toEqual(['CURRENT', 'HISTORY#000001', 'PROPOSAL#000001']);

    // Then updated and withdrawn: the three-version batch closes it, matching nothing more
    await deliver(sample('updated'));
    await deliver(sample('withdrawn'));
    await receiveAll(sqs, queue.url, queue.arn);
    expect(await handler(JSON.parse(readEvent('matcher/batch.json')) as SQSEvent, lambdaContext('matcher', 20_000))).toEqual({ batchItemFailures: [] });
    const after = await db.send(
      new QueryCommand({ TableName: tables.referrals, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': 'REFERRAL#NE12-2026-000123', ':p': 'PROPOSAL#' } }),
    );
    expect(after.Items?.map((i) => i.sk)).toEqual(['PROPOSAL#000001']);
  });

  it('a warm batch asks for its referrals, their proposals and the estate\'s next change in one BatchGetItem, then writes each proposal', async () => {
    // Prepare: the handler warm (its estate loaded), then two referrals queued
    await deliver(created('WARM-R0', WORKED_REFERRALS.W01));
    expect(await invoke(await receiveAll(sqs, queue.url, queue.arn))).toEqual({ batchItemFailures: [] });
    await deliver(created('CALLS-R1', WORKED_REFERRALS.W01));
    await deliver(created('CALLS-R2', WORKED_REFERRALS.W07));
    const records = await receiveAll(sqs, queue.url, queue.arn);
    const send = vi.spyOn(DynamoDBDocumentClient.prototype, 'send');

    // Act
    const response = await invoke(records);
    const calls = send.mock.calls.map(([command]) => command.constructor.name);
    send.mockRestore();

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual(['BatchGetCommand', 'PutCommand', 'PutCommand']);
    expect((await proposals('CALLS')).map((p) => p.sk)).toEqual(['PROPOSAL#000001', 'PROPOSAL#000001']);
  });

  it('a batch in which every record fails throws, as Lambda needs to retry all of it', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{"referralId":"NEVER-STORED","version":3,"event":"referral.updated"}' }));
    await expect(invoke(await receiveAll(sqs, queue.url, queue.arn))).rejects.toThrow(/All records failed/);
  });
});
