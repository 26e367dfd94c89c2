/**
 * A year of data for the benchmarks that read it (kpis, console): 200 homes of six beds (four
 * sellable, two kept back), placements back to back with voids between over the sellable beds, and
 * a year of Section 17 journals (with the ledger balances their postings keep), all from fixed pseudo-random sequences so every run measures the
 * same data; and a BatchWriteItem loader.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReasonPlacementChange } from '#lib/codes/ssda903';
import type { Home } from '#lib/estate/schema';
import { balanceItemsOf } from '#lib/ledger/balances';
import { periodOf, type Journal } from '#lib/ledger/journal';
import { ledgerKeys } from '#lib/ledger/ledger-keys';
import type { Placement } from '#lib/placements/schema';
import { addDays, daysBetween } from '#lib/time/calendar';
import { BEDS_PER_HOME, homeLikeTheSamples } from '#tests/support/generated-estate';
import { placementOf } from '#tests/support/kpi-world';
import { seededRandom } from '#tests/support/seeded-random';

export interface Year {
  from: string;
  /** Exclusive. */
  to: string;
}

const REASONS: ReasonPlacementChange[] = ['CARPL', 'CARPL', 'CARPL', 'ALLEG', 'CHILD', 'CREQB', 'STAND'];

/** `count` homes of six beds modelled on the sample estate; one bed in twenty out of use for a fortnight's refit in October 2026. */
export function benchHomes(count: number): Home[] {
  const refit = (i: number, b: number) => ((i * BEDS_PER_HOME + b) % 20 === 0 ? [{ from: '2026-10-01', to: '2026-10-15', reason: 'refit' }] : []);
  return Array.from({ length: count }, (_, i) => homeLikeTheSamples(i, `home-${String(i).padStart(4, '0')}`, (b) => refit(i, b)));
}

/** `count` placements spread over the sellable beds, back to back with short voids, across `year` (some in before it, some still there). */
export function yearOfPlacements(homes: readonly Home[], count: number, year: Year): Placement[] {
  const next = seededRandom(42);
  const beds = homes.flatMap((h) => h.beds.filter((b) => b.sellable).map((b) => ({ home: h, bed: b })));
  const perBed = Math.ceil(count / beds.length);
  const placements: Placement[] = [];
  const stayNights = Math.floor(daysBetween(year.from, year.to) / perBed);
  for (const [n, { home, bed }] of beds.entries()) {
    let day = addDays(year.from, -Math.floor(next() * 20));
    for (let k = 0; k < perBed && placements.length < count; k++) {
      const length = Math.max(3, Math.floor(stayNights * (0.6 + next() * 0.5)));
      const end = addDays(day, length);
      const open = k === perBed - 1 && next() < 0.5;
      const reason = REASONS[Math.floor(next() * REASONS.length)]!;
      placements.push(
        placementOf({
          id: `p-${n}-${k}`,
          bedId: bed.id,
          homeId: home.id,
          start: day,
          admittedOn: addDays(day, -Math.floor(next() * 30)),
          ...(open ? {} : { end, endRecordedOn: addDays(end, -Math.floor(next() * 40)), reason, planned: reason === 'CARPL' }),
          placingLa: ['390', '391', '393', '394'][n % 4]!,
        }),
      );
      day = addDays(end, Math.floor(next() * 10));
    }
  }
  return placements;
}

/** 1,000 Section 17 awards' journals spread over `year`. */
export function section17Journals(year: Year): Journal[] {
  const next = seededRandom(7);
  const days = daysBetween(year.from, year.to);
  return Array.from({ length: 1_000 }, (_, i): Journal => {
    const pence = 1_000 + Math.floor(next() * 20_000);
    const account = i % 3 === 0 ? '04130-2904' : '04130-3019';
    return {
      idempotencyKey: `s17-${i}`,
      date: addDays(year.from, Math.floor(next() * days)),
      description: 'Section 17 award',
      source: { type: 'section17-award', id: `award-${i}` },
      lines: [
        { account, debitPence: pence, creditPence: 0, analysis: { category: 'food', team: `team-${i % 5}` } },
        { account: '99000-9200', debitPence: 0, creditPence: pence, analysis: {} },
      ],
    };
  });
}

/** Writes `items` 25 at a time, 16 batches in flight, until DynamoDB has taken every one. */
export async function batchPut(db: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
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

/** The ledger items posting these journals leaves: each journal, and the month and day balances of its accounts (with their analysis). */
export function ledgerItemsOf(journals: readonly Journal[]): Record<string, unknown>[] {
  return [
    ...journals.map((j) => ({ ...ledgerKeys.journal(j.idempotencyKey), ...ledgerKeys.period(periodOf(j), j.date, j.idempotencyKey), journal: j, postedAt: `${j.date}T12:00:00.000Z` })),
    ...balanceItemsOf(journals).values(),
  ];
}
