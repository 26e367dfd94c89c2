import fc from 'fast-check';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeKpis } from '#lib/kpis/kpi-report';
import { dynamoKpiSources } from '#lib/kpis/dynamo-kpi-sources';
import { KpiService } from '#lib/kpis/kpi-service';
import { ACCOUNTS } from '#lib/ledger/chart';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { Journal, contraOf } from '#lib/ledger/journal';
import { ledgerKeys } from '#lib/ledger/ledger-keys';
import { againstBudgetAndBaseline, budgetReport, spendLines, spendReport, sumBy, type Dimension } from '#lib/section17';
import { addDays, monthOf, nextMonth } from '#lib/time/calendar';
import { emulatorClients, provisionStack } from '#tests/support/emulators';

/**
 * The ledger's balances against DynamoDB Local: whatever is posted (Section 17 lines with any
 * analysis, some keys missing; other accounts; replays; contras), the balances the postings kept
 * equal the ones worked out again from the journals (the rebuild's check), and every report read
 * from them (spend by each dimension, against budget, the KPIs' Section 17 figures, a movement
 * between any two days) equals the same report summed from the journals.
 */

let ledger: DynamoLedger;
let db: DynamoDBDocumentClient;
let table: string;

beforeAll(async () => {
  const stack = await provisionStack('ledger-balances');
  table = stack.tables.LedgerTable!;
  db = DynamoDBDocumentClient.from(emulatorClients().dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  ledger = new DynamoLedger(db, table);
});

const S17 = [ACCOUNTS.section17Support, ACCOUNTS.section17ProfessionalFees];
const OTHER = [ACCOUNTS.bank, ACCOUNTS.creditorsControl, ACCOUNTS.debtorsControl, ACCOUNTS.placementIncome];
const DIMENSIONS: Dimension[] = ['account', 'category', 'team', 'child', 'month'];

const analysisArb = fc.record(
  {
    category: fc.constantFrom('FOOD', 'CLOTHING', 'TOXICOLOGY', 'unknown', 'a "quoted" #one'),
    team: fc.constantFrom('East', 'West', 'North'),
    child: fc.constantFrom('NT-CIN-1', 'NT-CIN-2', 'NT-CIN-3', 'NT-CIN-4'),
    placingLa: fc.constantFrom('390', '394'),
  },
  { requiredKeys: [] },
);

type Command = { kind: 'post'; day: number; lines: { account: string; pence: number; analysis: Record<string, string> }[]; credit: string } | { kind: 'replay'; which: number } | { kind: 'contra'; which: number; after: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      day: fc.integer({ min: 0, max: 364 }),
      lines: fc.array(fc.record({ account: fc.constantFrom(...S17, ...S17, ...OTHER), pence: fc.integer({ min: 1, max: 500_000 }), analysis: analysisArb }), { minLength: 1, maxLength: 4 }),
      credit: fc.constantFrom(...OTHER, ...S17),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), which: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('contra' as const), which: fc.nat(), after: fc.integer({ min: 0, max: 60 }) }) },
);

function monthsOf(financialYear: number): string[] {
  const months = [`${financialYear}-04`];
  while (months.length < 12) months.push(nextMonth(months.at(-1)!));
  return months;
}

describe('the ledger balances', () => {
  it('property: after any postings, the balances equal their rebuild from the journals, and every report from them equals the same report from the journals', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(commandArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 0, max: 364 }),
        fc.integer({ min: 0, max: 364 }),
        async (commands, m1, m2, d1, d2) => {
          // Each run its own financial year, so its balances start empty.
          const year = 2030 + run++;
          const start = `${year}-04-01`;
          const posted: Journal[] = [];
          const reversed = new Set<string>();
          for (const [i, c] of commands.entries()) {
            if (c.kind === 'post') {
              const journal = Journal.parse({
                idempotencyKey: `y${year}-j${i}`,
                date: addDays(start, c.day),
                description: 'property test',
                source: { type: 'section17-award', id: `y${year}-j${i}` },
                lines: [
                  ...c.lines.map((l) => ({ account: l.account, debitPence: l.pence, analysis: l.analysis })),
                  { account: c.credit, creditPence: c.lines.reduce((s, l) => s + l.pence, 0), analysis: c.lines[0]!.analysis },
                ],
              });
              expect(await ledger.post(journal, '2030-01-01T00:00:00.000Z')).toBe('posted');
              posted.push(journal);
            } else if (c.kind === 'replay' && posted.length > 0) {
              expect(await ledger.post(posted[c.which % posted.length]!, '2030-01-01T00:00:00.000Z')).toBe('already-posted');
            } else if (c.kind === 'contra' && posted.length > 0) {
              const original = posted[c.which % posted.length]!;
              if (original.reverses || reversed.has(original.idempotencyKey)) continue;
              const date = addDays(original.date, c.after) < `${year + 1}-04-01` ? addDays(original.date, c.after) : original.date;
              const contra = contraOf(original, date, 'property test');
              expect(await ledger.post(contra, '2030-01-01T00:00:00.000Z')).toBe('posted');
              reversed.add(original.idempotencyKey);
              posted.push(contra);
            }
          }

          const months = monthsOf(year);
          expect((await ledger.rebuildBalances(months, { check: true })).differing).toEqual([]);

          const [fromMonth, toMonth] = [months[Math.min(m1, m2)]!, months[Math.max(m1, m2)]!];
          const inMonths = posted.filter((j) => monthOf(j.date) >= fromMonth && monthOf(j.date) <= toMonth);
          for (const by of DIMENSIONS) {
            const expected = sumBy(spendLines(inMonths), by);
            expect((await spendReport(ledger, fromMonth, toMonth, by)).rows).toEqual(expected);
          }

          const asAt = addDays(start, d1);
          const budget = await budgetReport(ledger, asAt);
          expect(budget).toEqual({ financialYear: year, asAt, ...againstBudgetAndBaseline(spendLines(posted.filter((j) => j.date <= asAt)), year, asAt) });

          const [from, to] = [addDays(start, Math.min(d1, d2)), addDays(start, Math.max(d1, d2))];
          for (const account of [...S17, ACCOUNTS.bank]) {
            const lines = posted.filter((j) => j.date >= from && j.date <= to).flatMap((j) => j.lines.filter((l) => l.account === account));
            expect(await ledger.movementBetween(account, from, to)).toEqual({
              debitPence: lines.reduce((s, l) => s + l.debitPence, 0),
              creditPence: lines.reduce((s, l) => s + l.creditPence, 0),
            });
          }

          const period = { from, to: addDays(to, 1) };
          const fromBalances = await new KpiService({ ...dynamoKpiSources({ estate: { listHomes: async () => [] }, books: { placementsOfHomes: async () => [] }, ledger }) }).kpis(period);
          const fromJournals = computeKpis({ period, homes: [], placementsByBed: new Map(), documents: { unavailable: 'no invoicing' }, journals: posted });
          expect(fromBalances.section17).toEqual(fromJournals.section17);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('the rebuild adds the analysis to balances kept before it, writes missing ones, and leaves damaged money alone', async () => {
    const journal = Journal.parse({
      idempotencyKey: 'rebuild-1',
      date: '2029-05-10',
      description: 'rebuild test',
      source: { type: 'section17-award', id: 'rebuild-1' },
      lines: [
        { account: ACCOUNTS.section17Support, debitPence: 12_000, analysis: { category: 'FOOD', team: 'East', child: 'NT-CIN-9' } },
        { account: ACCOUNTS.bank, creditPence: 12_000, analysis: { category: 'FOOD', team: 'East', child: 'NT-CIN-9' } },
      ],
    });
    await ledger.post(journal, '2029-05-10T10:00:00.000Z');
    const monthKey = ledgerKeys.monthBalance(ACCOUNTS.section17Support, '2029-05');
    const kept = (await db.send(new GetCommand({ TableName: table, Key: monthKey }))).Item!;
    // As kept before the analysis: debits and credits only. And a day balance lost.
    await db.send(new PutCommand({ TableName: table, Item: { ...monthKey, debitPence: 12_000, creditPence: 0 } }));
    await db.send(new DeleteCommand({ TableName: table, Key: ledgerKeys.dayBalance(ACCOUNTS.bank, '2029-05-10') }));
    // Damaged money on another account's month: reported, not rewritten.
    await db.send(new UpdateCommand({ TableName: table, Key: ledgerKeys.monthBalance(ACCOUNTS.bank, '2029-05'), UpdateExpression: 'ADD creditPence :x', ExpressionAttributeValues: { ':x': 1 } }));

    expect((await spendReport(ledger, '2029-05', '2029-05', 'category')).rows).toEqual([{ key: 'unknown', pence: 12_000 }]);
    const check = await ledger.rebuildBalances(['2029-05'], { check: true });
    expect(check.differing.sort()).toEqual([`BALANCE#${ACCOUNTS.section17Support} M#2029-05`, `BALANCE#${ACCOUNTS.bank} D#2029-05-10`, `BALANCE#${ACCOUNTS.bank} M#2029-05`].sort());

    const rebuilt = await ledger.rebuildBalances(['2029-05'], { check: false });
    expect(rebuilt.conflicting).toEqual([`BALANCE#${ACCOUNTS.bank} M#2029-05`]);
    expect((await db.send(new GetCommand({ TableName: table, Key: monthKey }))).Item).toEqual(kept);
    expect(await ledger.movementBetween(ACCOUNTS.bank, '2029-05-10', '2029-05-10')).toEqual({ debitPence: 0, creditPence: 12_000 });
    expect((await spendReport(ledger, '2029-05', '2029-05', 'category')).rows).toEqual([{ key: 'FOOD', pence: 12_000 }]);
    expect((await ledger.rebuildBalances(['2029-05'], { check: true })).differing).toEqual([`BALANCE#${ACCOUNTS.bank} M#2029-05`]);
  });
});
