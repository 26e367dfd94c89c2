import { beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { DynamoLedger, JournalConflict } from '#lib/ledger/dynamo-ledger';
import { Journal, contraOf, movements } from '#lib/ledger/journal';
import { trialBalance } from '#lib/ledger/trial-balance';
import { glExportCsv } from '#lib/ledger/gl-export';
import { journalForDocument } from '#lib/ledger/postings';
import { ENV } from '#lib/config';
import { emulatorClients, provisionStack, useEmulatorEnvironment } from '#tests/support/emulators';
import { lambdaContext } from '#tests/support/lambda-context';

let ledger: DynamoLedger;
let table: string;

beforeAll(async () => {
  const stack = await provisionStack('ledger');
  table = stack.tables.LedgerTable!;
  ledger = new DynamoLedger(DynamoDBDocumentClient.from(emulatorClients().dynamodb), table);
});

const ACCOUNTS = ['99000-9100', '99000-9200', '99000-9300', '04127-5501', '04130-3019', '04130-2904'];
const POSTED_AT = '2026-11-23T09:00:00.000Z';

/** A balanced journal: some debits, one balancing credit, dated in 2026–27. */
const journalArb = (key: string) =>
  fc
    .record({
      debits: fc.array(fc.record({ account: fc.constantFrom(...ACCOUNTS), pence: fc.integer({ min: 1, max: 5_000_000 }) }), { minLength: 1, maxLength: 6 }),
      creditAccount: fc.constantFrom(...ACCOUNTS),
      day: fc.integer({ min: 0, max: 420 }),
    })
    .map(({ debits, creditAccount, day }) =>
      Journal.parse({
        idempotencyKey: key,
        date: new Date(Date.UTC(2026, 3, 1 + day)).toISOString().slice(0, 10),
        description: 'property test',
        source: { type: 'adjustment', id: key },
        lines: [
          ...debits.map((d) => ({ account: d.account, debitPence: d.pence })),
          { account: creditAccount, creditPence: debits.reduce((s, d) => s + d.pence, 0) },
        ],
      }),
    );

type Command = { kind: 'post'; journal: Journal } | { kind: 'replay'; index: number } | { kind: 'contra'; index: number; day: number };

describe('ledger postings against DynamoDB Local', () => {
  it('property: postings, replays and contras keep every journal balanced and every balance the sum of its postings', async () => {
    const model: Journal[] = [];
    const reversed = new Set<string>();
    let run = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            { weight: 3, arbitrary: fc.constant('post' as const) },
            { weight: 2, arbitrary: fc.constant('replay' as const) },
            { weight: 1, arbitrary: fc.constant('contra' as const) },
          ),
          { minLength: 1, maxLength: 12 },
        ).chain((kinds) =>
          fc.tuple(...kinds.map((kind, i): fc.Arbitrary<Command> =>
            kind === 'post'
              ? journalArb(`run${run}-j${i}`).map((journal) => ({ kind, journal }))
              : kind === 'replay'
                ? fc.nat().map((index) => ({ kind, index }))
                : fc.tuple(fc.nat(), fc.integer({ min: 0, max: 60 })).map(([index, day]) => ({ kind, index, day })),
          )),
        ),
        fc.integer({ min: 0, max: 480 }),
        async (commands, asAtDay) => {
          run++;
          for (const command of commands) {
            if (command.kind === 'post') {
              const key = `run${run}-${command.journal.idempotencyKey}`;
              const journal = { ...command.journal, idempotencyKey: key, source: { ...command.journal.source, id: key } };
              expect(await ledger.post(journal, POSTED_AT)).toBe('posted');
              model.push(journal);
            } else if (model.length > 0 && command.kind === 'replay') {
              // Replaying any idempotency key changes nothing.
              expect(await ledger.post(model[command.index % model.length]!, POSTED_AT)).toBe('already-posted');
            } else if (model.length > 0 && command.kind === 'contra') {
              const original = model[command.index % model.length]!;
              if (original.reverses || reversed.has(original.idempotencyKey)) continue;
              const date = new Date(Date.parse(`${original.date}T00:00:00Z`) + command.day * 86_400_000).toISOString().slice(0, 10);
              const contra = contraOf(original, date, 'property test');
              expect(await ledger.post(contra, POSTED_AT)).toBe('posted');
              reversed.add(original.idempotencyKey);
              model.push(contra);
            }
          }

          // Assess: the balances as at a random date equal the sum of the modelled postings up to it.
          const asAt = new Date(Date.UTC(2026, 3, 1 + asAtDay)).toISOString().slice(0, 10);
          const expected = new Map<string, { debitPence: number; creditPence: number }>();
          for (const journal of model.filter((j) => j.date <= asAt)) {
            for (const [account, m] of movements(journal)) {
              const e = expected.get(account) ?? { debitPence: 0, creditPence: 0 };
              expected.set(account, { debitPence: e.debitPence + m.debitPence, creditPence: e.creditPence + m.creditPence });
            }
          }
          const tb = trialBalance(asAt, await ledger.sumsAsAt(asAt));
          for (const row of tb.accounts) {
            expect({ account: row.account, ...(expected.get(row.account) ?? { debitPence: 0, creditPence: 0 }) }).toEqual({
              account: row.account,
              debitPence: row.debitPence,
              creditPence: row.creditPence,
            });
          }
          expect(tb.totalDebitPence).toBe(tb.totalCreditPence);
        },
      ),
      { numRuns: 25 },
    );
    expect(model.length).toBeGreaterThan(25);
  });

  it('refuses a second contra of one journal, a contra of a journal it never posted, and a reused key with other content', async () => {
    const invoice = Journal.parse(journalForDocument({ number: 'NT-2627-000900', kind: 'invoice', issueDate: '2026-12-01', placingLa: '390', netPence: 10_000, vatPence: 0 }));
    await ledger.post(invoice, POSTED_AT);
    await ledger.post(contraOf(invoice, '2026-12-02', 'raised in error'), POSTED_AT);

    await expect(ledger.post({ ...contraOf(invoice, '2026-12-03', 'again'), idempotencyKey: 'contra-again' }, POSTED_AT)).rejects.toBeInstanceOf(JournalConflict);
    await expect(ledger.post({ ...invoice, idempotencyKey: 'contra-ghost', reverses: 'never-posted' }, POSTED_AT)).rejects.toThrow(/not in the ledger/);
    await expect(ledger.post({ ...invoice, description: 'changed' }, POSTED_AT)).rejects.toThrow(/different content/);
  });

  it('exports a period as GL CSV, one row per line', async () => {
    const journals = await ledger.allJournalsInPeriod('2026-12');
    const csv = glExportCsv(journals.filter((j) => j.source.id === 'NT-2627-000900'));
    expect(csv.split('\r\n')[0]).toBe('journal,date,period,cost_centre,subjective,account_name,debit_pence,credit_pence,description,source_type,source_id,reverses,analysis');
    expect(csv).toContain('invoice:NT-2627-000900,2026-12-01,2026-12,99000,9100,Sundry debtors control,10000,0,Invoice NT-2627-000900 to LA 390,invoice,NT-2627-000900,,placingLa=390');
  });

  it('the ledger-poster handler posts a batch once, and fails only the record that does not balance', async () => {
    useEmulatorEnvironment();
    vi.stubEnv(ENV.ledgerTable, table);
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const { handler } = await import('#functions/ledger-poster/handler');
    const good = journalForDocument({ number: 'NT-2627-000901', kind: 'invoice', issueDate: '2026-12-01', placingLa: '391', netPence: 25_000, vatPence: 0 });
    const bad = { ...good, idempotencyKey: 'unbalanced', lines: [{ account: '99000-9100', debitPence: 1 }, { account: '04127-5501', creditPence: 2 }] };
    const record = (id: string, body: unknown) => ({ messageId: id, body: JSON.stringify(body), receiptHandle: id, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:ledger', awsRegion: 'eu-west-2' });
    const event = { Records: [record('m1', good), record('m2', good), record('m3', bad)] } as unknown as SQSEvent;

    const response = await handler(event, lambdaContext('ledger-poster'));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm3' }] });
    const stored = await ledger.getJournal('invoice:NT-2627-000901');
    expect(stored?.journal.lines.map((l) => l.debitPence)).toEqual([25_000, 0]);
  });
});
