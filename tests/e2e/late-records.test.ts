/**
 * Late records on the local stack, end to end and only through its public HTTP interfaces: the
 * signed webhook, the manager API with the dev issuer's tokens, and the runner's control endpoint
 * that `npm run clock` calls. The clock starts on a spring day (10 March 2027); children are admitted
 * with dates weeks and months back; the clock is moved across three month ends, the first across the
 * clock change of 28 March (and the financial year's end), and the monthly schedule fires at each; a
 * back-dated end is recorded after its month was invoiced. Every line is checked to the penny, and
 * the credit notes the next run sends.
 *
 * Harbour View's hv-3 and hv-4 cost £4,020.00 a week (402,000 pence): a line is 402,000 × nights / 7,
 * rounded half-up once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClockMove, LocalStack } from '#infra/local/runner';
import { startLocalStack } from '#infra/local/runner';
import { control } from '#infra/local/cli/control';
import { sampleEstate } from '#lib/estate/seed';
import { redate } from '#tests/support/sample-events';
import { readEvent } from '#tests/support/webhook';
import { testDir } from '#tests/support/test-dir';
import { bundledAssembly, eventually, postSignedDelivery, sharedStackOptions } from './support';

const SPRING = '2027-03-10T10:00:00Z';
const dataDir = testDir('late-records');
let stack: LocalStack;
let tokens: Record<string, string>;
const logs: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    ...sharedStackOptions('late', SPRING),
    cdkOut: await bundledAssembly(),
    dataDir,
    ports: 0,
    log: (source, line) => logs.push(`[${source}] ${line}`),
  });
  tokens = stack.info.auth!.tokens;
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

async function api(method: string, path: string, role: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.info.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[role]!}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

/** `npm run clock -- <to>`: the runner's control endpoint moves the clock, firing every schedule due on the way. */
async function moveClock(to: string): Promise<ClockMove> {
  const move = await control<ClockMove>(stack.info, '/clock', { to });
  if (move.tokens) tokens = move.tokens;
  return move;
}

/** When the monthly invoicing schedule fired during a move: once per month end passed. */
const invoicingFirings = (move: ClockMove) => move.fired.filter((f) => f.rule.includes('InvoicingRun')).map((f) => f.time);

async function referral(referralId: string, change: (data: any) => void = () => undefined) {
  const event = JSON.parse(redate(readEvent('referrals/created.json'), '2027-03-10'));
  event.data.referralId = referralId;
  change(event.data);
  expect((await postSignedDelivery(stack.info, JSON.stringify(event))).status).toBe(202);
}

async function runComplete(month: string) {
  return eventually(async () => {
    const answer = await api('GET', `/api/invoicing/runs/${month}`, 'finance');
    return answer.body.status === 'complete' && answer.body;
  }, 120_000, `the ${month} run to complete`);
}

type Line = [placement: 'A' | 'B', component: string, nights: number | null, netPence: number];
/** Every document read so far, by number. */
const issued = new Map<string, Line[]>();

/** A run's documents, each as `number kind council month net [corrects]` with its lines `placement component nights net`. */
async function documentsOf(runMonth: string) {
  const listed = await api('GET', `/api/invoices?month=${runMonth}&limit=100`, 'finance');
  const numbers: string[] = listed.body.items.map((d: any) => d.number).sort();
  return Promise.all(
    numbers.map(async (number) => {
      const d = (await api('GET', `/api/invoices/${number}`, 'finance')).body;
      const lines: Line[] = d.lines.map((l: any) => [l.placementId === placements.a ? 'A' : 'B', l.component, l.nights ?? null, l.netPence]);
      issued.set(d.number, lines);
      return {
        document: [d.number, d.kind, d.placingAuthority.laNumber, d.month, d.netPence, ...(d.corrects ? [d.corrects] : [])].join(' '),
        lines,
      };
    }),
  );
}

const placements = { a: '', b: '' };

/**
 * A month's move fires a daily schedule for every day passed and lets each drain: ~20 s alone, over a
 * minute with the whole suite on a loaded 2-core machine (the suite's own limit is 60 s).
 */
const MOVING_A_MONTH_MS = 240_000;

/** An instant in the given second. */
const within = (second: string) => expect.stringMatching(new RegExp(`^${second}\\.\\d{3}Z$`));

describe('late records on the local stack, from a spring day', () => {
  it('takes admissions dated back weeks and months, and refuses one before the previous financial year', async () => {
    expect((await api('PUT', '/api/homes/harbour-view', 'residential-manager', sampleEstate().find((h) => h.id === 'harbour-view'))).status).toBe(200);
    await referral('E2E-LATE-A');
    await referral('E2E-LATE-B', (data) => {
      data.placingAuthority.laNumber = '391';
      data.placingAuthority.name = 'Newcastle upon Tyne';
      data.placingAuthority.purchaseOrder = 'PO-NC-2027-9';
    });

    const tooEarly = await api('POST', '/api/referrals/E2E-LATE-A/admission', 'residential-manager', { bedId: 'hv-3', startDate: '2025-03-31' });
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.errors).toEqual([{ field: 'startDate', rule: 'too_small', message: 'startDate may go back to the start of the previous financial year: 2025-04-01 or later' }]);

    const a = await api('POST', '/api/referrals/E2E-LATE-A/admission', 'residential-manager', { bedId: 'hv-3', startDate: '2027-02-15' });
    const b = await api('POST', '/api/referrals/E2E-LATE-B/admission', 'placements-officer', { bedId: 'hv-4', startDate: '2027-01-04' });
    expect([a.status, b.status]).toEqual([201, 201]);
    placements.a = a.body.placementId;
    placements.b = b.body.placementId;
    // A standing clock stands between requests; within one, the function's time runs on by the milliseconds it takes.
    expect(a.body).toMatchObject({ startDate: '2027-02-15', agreedWeeklyPricePence: 402_000, admitted: { at: within('2027-03-10T10:00:00') } });
  });

  it('1 April, across the clock change and the year end: the schedule invoices March, and January and February late', async () => {
    const move = await moveClock('2027-04-01T06:00:00Z');
    // 02:00 UTC on the 1st; 03:00 in London by then, the clocks having gone forward on 28 March.
    expect(invoicingFirings(move)).toEqual(['2027-04-01T02:00:00Z']);
    await runComplete('2027-03');

    expect(await documentsOf('2027-03')).toEqual([
      // Gateshead: March, 31 nights; February from the 15th, 14 nights (a late invoice: nobody was invoiced then).
      { document: 'NT-2728-000001 invoice 390 2027-03 1780286', lines: [['A', 'bed', 31, 1_780_286]] },
      { document: 'NT-2728-000002 invoice 390 2027-02 804000', lines: [['A', 'bed', 14, 804_000]] },
      // Newcastle: March 31 nights; January from the 4th, 28 nights; February 28 nights.
      { document: 'NT-2728-000003 invoice 391 2027-03 1780286', lines: [['B', 'bed', 31, 1_780_286]] },
      { document: 'NT-2728-000004 invoice 391 2027-01 1608000', lines: [['B', 'bed', 28, 1_608_000]] },
      { document: 'NT-2728-000005 invoice 391 2027-02 1608000', lines: [['B', 'bed', 28, 1_608_000]] },
    ]);
  }, MOVING_A_MONTH_MS);

  it('1 May: April, 30 nights each', async () => {
    expect(invoicingFirings(await moveClock('2027-05-01T06:00:00Z'))).toEqual(['2027-05-01T02:00:00Z']);
    await runComplete('2027-04');
    expect(await documentsOf('2027-04')).toEqual([
      { document: 'NT-2728-000006 invoice 390 2027-04 1722857', lines: [['A', 'bed', 30, 1_722_857]] },
      { document: 'NT-2728-000007 invoice 391 2027-04 1722857', lines: [['B', 'bed', 30, 1_722_857]] },
    ]);
  }, MOVING_A_MONTH_MS);

  it('2 May: A left on 20 March, recorded now; it keeps when and by whom beside the date it took effect', async () => {
    await moveClock('2027-05-02T08:00:00Z');
    const ended = await api('POST', `/api/placements/${placements.a}/end`, 'residential-manager', { endDate: '2027-03-20', reasonPlacementChange: 'CARPL' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({
      startDate: '2027-02-15',
      admitted: { at: within('2027-03-10T10:00:00'), by: { roles: ['residential-manager'] } },
      ending: { endDate: '2027-03-20', planned: true, decision: { at: within('2027-05-02T08:00:00'), by: { roles: ['residential-manager'] } } },
    });
  });

  it('1 June: May for B, and credit notes for what A was charged after she left, against the invoices that charged it', async () => {
    expect(invoicingFirings(await moveClock('2027-06-01T06:00:00Z'))).toEqual(['2027-06-01T02:00:00Z']);
    await runComplete('2027-05');
    expect(await documentsOf('2027-05')).toEqual([
      // March should have been 19 nights (1,091,143): 1,780,286 − 1,091,143 back. April: all of it back.
      { document: 'NT-2728-000008 credit-note 390 2027-03 -689143 NT-2728-000001', lines: [['A', 'bed', 19, -689_143]] },
      { document: 'NT-2728-000009 credit-note 390 2027-04 -1722857 NT-2728-000006', lines: [['A', 'bed', null, -1_722_857]] },
      { document: 'NT-2728-000010 invoice 391 2027-05 1780286', lines: [['B', 'bed', 31, 1_780_286]] },
    ]);
    // No night billed twice: over every document issued, A was charged for 15 February to 19 March, 14 + 19 nights.
    const chargedFor = (who: Line[0]) => [...issued.values()].flat().filter(([placement]) => placement === who).reduce((sum, line) => sum + line[3], 0);
    expect(issued.size).toBe(10);
    expect(chargedFor('A')).toBe(804_000 + 1_091_143);
    // B, from 4 January to the end of May: 28 + 28 + 31 + 30 + 31 nights.
    expect(chargedFor('B')).toBe(1_608_000 * 2 + 1_780_286 * 2 + 1_722_857);
  }, MOVING_A_MONTH_MS);
});
