/**
 * Placements for invoicing tests and benchmarks, written straight into the placements table (with
 * their index keys and the placing-council registry) by BatchWriteItem: what admissions would have
 * left there, without the estate and referrals behind them.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { InvoicingRuns } from '#lib/invoicing/invoicing-run';
import { InvoiceJob } from '#lib/invoicing/jobs';
import { placementIndexKeys, placementKeys } from '#lib/placements/placement-keys';
import { Placement, type Extra } from '#lib/placements/schema';
import { addDays, daysBetween } from '#lib/time/calendar';
import { lambdaContext } from './lambda-context';
import { seededRandom } from './seeded-random';
import { receiveAll, sqsEventOf } from './sqs-event';

const DECISION = { by: { subject: 'staff-test', name: 'staff-test@council.example', roles: ['residential-manager'] }, at: '2026-01-05T09:00:00.000Z' };

export interface PlacementSpec {
  placementId: string;
  placingLa: string;
  startDate: string;
  endDate?: string;
  weeklyPence: number;
  extras?: Extra[];
  purchaseOrder?: string;
  homeId?: string;
}

export function placementOf(spec: PlacementSpec): Placement {
  return Placement.parse({
    placementId: spec.placementId,
    referralId: `REF-${spec.placementId}`,
    placingLa: spec.placingLa,
    placingAuthorityName: `Council ${spec.placingLa}`,
    purchaseOrder: spec.purchaseOrder ?? `PO-${spec.placingLa}-001`,
    childReference: `CR-${spec.placementId}`,
    homeId: spec.homeId ?? 'harbour-view',
    bedId: `bed-${spec.placementId}`,
    ofstedUrn: 'SC123456',
    homePostcode: 'NE29 6AA',
    placementType: 'K2',
    provider: 'PR2',
    startDate: spec.startDate,
    agreedWeeklyPricePence: spec.weeklyPence,
    extras: spec.extras ?? [],
    status: spec.endDate ? 'ended' : 'active',
    resident: { dateOfBirth: '2012-05-01', sex: 'F', risks: [], placedBy: spec.placingLa },
    version: spec.endDate ? 2 : 1,
    admitted: DECISION,
    ...(spec.endDate ? { ending: { endDate: spec.endDate, reasonPlacementChange: 'CARPL', planned: true, decision: DECISION } } : {}),
  });
}

export function placementItem(p: Placement): Record<string, unknown> {
  return { ...placementKeys.placement(p.placementId), ...placementIndexKeys(p), ...p };
}

/** Writes the placements and their councils' registry items, 25 to a request, `concurrency` requests at a time. */
export async function seedPlacements(db: DynamoDBDocumentClient, table: string, placements: readonly Placement[], concurrency = 8): Promise<void> {
  const councils = [...new Set(placements.map((p) => p.placingLa))];
  const items = [...placements.map(placementItem), ...councils.map((la) => ({ ...placementKeys.placingCouncil(la), laNumber: la }))];
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        let pending = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const { UnprocessedItems } = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (UnprocessedItems?.[table] ?? []) as typeof pending;
        }
      }
    }),
  );
}

/** Lambda's side of an event source mapping, for tests: receive what is queued, hand it to the handler in batches, until the queue is empty. */
export async function drainThrough(
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>,
  sqs: SQSClient,
  queue: { url: string; arn: string },
  batchSize: number,
  functionName: string,
): Promise<{ records: number; failures: string[] }> {
  let records = 0;
  const failures: string[] = [];
  for (;;) {
    const received = await receiveAll(sqs, queue.url, queue.arn);
    if (received.length === 0) return { records, failures };
    records += received.length;
    for (let i = 0; i < received.length; i += batchSize) {
      const response = await handler(sqsEventOf(received.slice(i, i + batchSize)), lambdaContext(functionName, 120_000));
      failures.push(...(response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    }
  }
}

/** Eleven NE12 councils (not ourselves, 392) and one from outside the region. */
export const TWELVE_COUNCILS = ['390', '391', '393', '394', '805', '806', '807', '808', '840', '841', '929', '873'];

export interface GeneratedPlacements {
  /** Seed of the PRNG. */
  seed: number;
  count: number;
  /** Start dates fall in [from, to). */
  from: string;
  to: string;
  councils?: readonly string[];
  idPrefix?: string;
}

/**
 * Placements as a busy year would leave them: start dates spread over a window, about a third
 * ended after 1 to 17 weeks, weekly prices between £2,800 and £6,500 in odd pence, and extras on
 * some (weekly education places and staffing, one-off transport).
 */
export function generatePlacements(spec: GeneratedPlacements): Placement[] {
  const random = seededRandom(spec.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const councils = spec.councils ?? TWELVE_COUNCILS;
  const span = daysBetween(spec.from, spec.to);
  return Array.from({ length: spec.count }, (_, i) => {
    const placingLa = councils[i % councils.length]!;
    const startDate = addDays(spec.from, between(0, span - 1));
    const extras: Extra[] = [];
    if (random() < 0.3) extras.push({ kind: 'education-place', basis: 'weekly', amountPence: between(20_000, 60_000) });
    if (random() < 0.1) extras.push({ kind: 'additional-staffing', basis: 'weekly', amountPence: between(50_000, 150_000) });
    if (random() < 0.15) extras.push({ kind: 'transport', basis: 'one-off', amountPence: between(5_000, 25_000) });
    return placementOf({
      placementId: `${spec.idPrefix ?? 'gen'}-${String(i).padStart(6, '0')}`,
      placingLa,
      startDate,
      ...(random() < 0.35 ? { endDate: addDays(startDate, between(7, 120)) } : {}),
      weeklyPence: between(280_000, 650_000),
      extras,
      purchaseOrder: `PO-${placingLa}-${pick(['A', 'B', 'C'])}${between(100, 999)}`,
    });
  });
}

/** A month's run in this process, through the library the invoicing functions wrap: start it, then handle every job it queues. */
export async function runInProcess(runs: InvoicingRuns, month: string, sqs: SQSClient, queue: { url: string; arn: string }): Promise<void> {
  await runs.start(month);
  for (;;) {
    const records = await receiveAll(sqs, queue.url, queue.arn);
    if (records.length === 0) return;
    for (const record of records) {
      const job = InvoiceJob.parse(JSON.parse(record.body));
      if (job.type === 'run') await runs.start(job.month);
      else if (job.type === 'council') await runs.council(job.month, job.placingLa);
      else await runs.number(job.month);
    }
  }
}
