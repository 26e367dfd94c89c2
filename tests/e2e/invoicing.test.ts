/**
 * Monthly invoicing on the local stack (`npm start`'s runner, the bundled app): placements in the
 * placements table, the InvoicingRunSchedule rule fired for 1 March 02:00 UTC as
 * `npm run schedule -- InvoicingRunSchedule --at 2026-03-01T02:00:00Z` fires it, then nothing but the
 * stack itself: the run function queues a job per council, the event source mapping hands them to
 * the invoice builder, which queues the numbering, issues the documents and sends their journals,
 * which the ledger poster posts. Read back over HTTP through the manager API. Fired twice, as
 * LocalStack may: nothing more.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '#infra/local/emulators';
import { startLocalStack, type LocalStack } from '#infra/local/runner';
import { storedEmails } from '#infra/local/ses-local';
import { placementOf, seedPlacements } from '#tests/support/invoicing-world';
import { testDir } from '#tests/support/test-dir';
import { bundledAssembly, eventually, sharedStackOptions } from './support';

const dataDir = testDir('invoicing');
let stack: LocalStack;
const logs: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    ...sharedStackOptions('inv'),
    cdkOut: await bundledAssembly(),
    dataDir,
    ports: 0,
    schedules: false,
    log: (source, line) => logs.push(`[${source}] ${line}`),
  });
  const db = DynamoDBDocumentClient.from(dynamoClient(stack.info.endpoints.dynamodb));
  await seedPlacements(db, stack.info.tables.PlacementsTable!, [
    placementOf({ placementId: 'e2e-1', placingLa: '390', startDate: '2026-02-10', weeklyPence: 402_000 }),
    placementOf({ placementId: 'e2e-2', placingLa: '805', startDate: '2026-02-20', endDate: '2026-02-27', weeklyPence: 500_000, extras: [{ kind: 'transport', basis: 'one-off', amountPence: 9_999 }] }),
  ]);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function api(path: string, role = 'finance'): Promise<{ status: number; body: any; type: string }> {
  const response = await fetch(`${stack.info.apiUrl}${path}`, { headers: { authorization: `Bearer ${stack.info.auth!.tokens[role]!}` } });
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, body: type.includes('json') ? await response.json() : await response.text() };
}

describe('the monthly schedule on the local stack', () => {
  it('fires the run for the previous London month; the stack issues, numbers and posts every document', async () => {
    const firing = await stack.fireSchedule('InvoicingRunSchedule', new Date('2026-03-01T02:00:00Z'));
    expect(firing.targets).toEqual([expect.objectContaining({ kind: 'lambda', ok: true, payload: expect.objectContaining({ month: '2026-02', kind: 'started', councils: ['390', '805'] }) })]);

    const run = await eventually(async () => {
      const answer = await api('/api/invoicing/runs/2026-02');
      return answer.body.status === 'complete' && answer.body;
    }, 30_000, 'the February run to complete');
    expect(run).toMatchObject({ councils: { expected: 2, staged: 2, done: 2 }, documentsIssued: 2 });

    const listed = await api('/api/invoices?month=2026-02');
    // 19 nights at £4,020 = 1,091,143; 7 nights at £5,000 = 500,000 and transport 9,999.
    expect(listed.body.items.map((d: any) => [d.number, d.placingAuthority.name, d.netPence])).toEqual([
      ['NT-2526-000001', 'Gateshead', 1_091_143],
      ['NT-2526-000002', 'Hartlepool', 509_999],
    ]);
    const csv = await api('/api/invoices/NT-2526-000002.csv');
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.body.trim().split('\r\n')).toHaveLength(3);

    const tb = await eventually(async () => {
      const answer = await api('/api/ledger/trial-balance?asAt=2026-03-31');
      return answer.body.totalDebitPence === 1_091_143 + 509_999 && answer.body;
    }, 30_000, 'the journals to be posted');
    expect(tb.accounts.find((a: any) => a.account === '99000-9100').balancePence).toBe(1_601_142);
    expect(tb.accounts.find((a: any) => a.account === '04127-5501').balancePence).toBe(-1_601_142);
  });

  it('sends each document to its council: one e-mail per document in the SES emulator, with the PDF attached, and a log entry each', async () => {
    expect(stack.info.ses?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const emails = await eventually(async () => {
      const stored = await storedEmails(stack.info.ses!.url);
      return stored.length >= 2 && stored;
    }, 30_000, 'the documents to be e-mailed');
    expect(emails.map((e) => [e.destination.to, e.subject, e.attachments.map((a) => a.filename)]).sort()).toEqual([
      [['accounts.payable@gateshead.example'], 'Invoice NT-2526-000001 from North Tyneside Council', ['NT-2526-000001.pdf']],
      [['accounts.payable@hartlepool.example'], 'Invoice NT-2526-000002 from North Tyneside Council', ['NT-2526-000002.pdf']],
    ]);
    for (const number of ['NT-2526-000001', 'NT-2526-000002']) {
      const log = await eventually(async () => {
        const answer = await api(`/api/invoices/${number}/deliveries`);
        return answer.body.entries?.some((e: any) => e.event === 'sent') && answer.body.entries;
      }, 30_000, `${number}'s delivery to be logged`);
      expect(log).toEqual([expect.objectContaining({ channel: 'email', event: 'sent', by: 'system', purpose: 'issued' })]);
    }
  });

  it('fired again for the same month, finds the run complete and issues nothing', async () => {
    const again = await stack.fireSchedule('InvoicingRunSchedule', new Date('2026-03-01T02:00:07Z'));
    expect(again.targets[0]).toMatchObject({ ok: true, payload: { month: '2026-02', kind: 'complete' } });
    expect((await api('/api/invoicing/runs/2026-02')).body.documentsIssued).toBe(2);
  });
});
