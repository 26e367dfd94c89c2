import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { Journal } from '#lib/ledger/journal';
import { trialBalance } from '#lib/ledger/trial-balance';
import { emulatorClients } from '#tests/support/emulators';
import { startApiHarness, type ApiHarness, type CallOptions } from '#tests/support/api-harness';
import { applicationBody as application } from '#tests/support/section17';
import { TEST_NOW } from '#tests/support/clock';
import { addDays } from '#lib/time/calendar';

/** Section 17 through the manager API against the emulators: applications, the authorisation pathway, postings, reports. */

let api: ApiHarness;
let ledger: DynamoLedger;
let ledgerQueueUrl: string;
const S17_ACCOUNTS = ['04130-3019', '04130-2904'];
const posted: Journal[] = [];
/** This file's own instant: the sample application (events/section17/application.json) and the reports below are in the financial year 2026/27. */
const NOW = '2026-11-23T12:00:00.000Z';

beforeAll(async () => {
  api = await startApiHarness('section17', { now: NOW });
  ledger = new DynamoLedger(api.db, api.stack.tables.LedgerTable!);
  ledgerQueueUrl = api.stack.queues.LedgerPostingsQueue!.url;
});

/** Plays the ledger-poster: every journal on the queue is posted (idempotently) and remembered. */
async function postQueuedJournals(): Promise<Journal[]> {
  const sqs = emulatorClients().sqs;
  const journals: Journal[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: ledgerQueueUrl, MaxNumberOfMessages: 10 }));
    if (Messages.length === 0) break;
    for (const m of Messages) {
      const journal = Journal.parse(JSON.parse(m.Body!));
      if ((await ledger.post(journal, NOW)) === 'posted') posted.push(journal);
      journals.push(journal);
    }
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: ledgerQueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return journals;
}


/** The invariants every scenario must leave: the ledger balances, and the reports total the Section 17 postings. */
async function expectLedgerAndReportsAgree() {
  const tb = trialBalance('2027-03-31', await ledger.sumsAsAt('2027-03-31'));
  expect(tb.totalDebitPence).toBe(tb.totalCreditPence);
  const onS17 = posted.flatMap((j) => j.lines).filter((l) => S17_ACCOUNTS.includes(l.account)).reduce((s, l) => s + l.debitPence - l.creditPence, 0);
  const s17Balances = tb.accounts.filter((a) => S17_ACCOUNTS.includes(a.account)).reduce((s, a) => s + a.balancePence, 0);
  expect(s17Balances).toBe(onS17);
  for (const by of ['category', 'account', 'team', 'child', 'month']) {
    const report = await api.call('GET', '/api/section17/reports/spend', { as: 'finance', query: { from: '2026-04', to: '2027-03', by } });
    expect(report.status).toBe(200);
    expect(report.body.totalPence).toBe(onS17);
  }
}

describe('Section 17 through the API', () => {
  it('a social worker applies, a team manager approves, and a balanced journal reaches the ledger', async () => {
    const applied = await api.call('POST', '/api/section17/applications', { as: 'social-worker', body: application() });
    expect(applied).toMatchObject({ status: 201, body: { status: 'awaiting-approval', period: { requiredRole: 'team-manager', valuePence: 12_000 } } });
    expect(await postQueuedJournals()).toEqual([]);

    const approved = await api.call('POST', `/api/section17/applications/${applied.body.applicationId}/decision`, {
      as: 'team-manager',
      body: { decision: 'approve', reason: 'Meets the guidance' },
    });

    expect(approved).toMatchObject({ status: 200, body: { status: 'approved' } });
    expect(approved.body.decisions.at(-1)).toMatchObject({ decision: 'approve', role: 'team-manager', by: { subject: 'staff-team-manager' }, guidanceVersion: '2018-01' });
    const journals = await postQueuedJournals();
    expect(journals.map((j) => j.lines.map((l) => [l.account, l.debitPence, l.creditPence]))).toEqual([
      [
        ['04130-3019', 12_000, 0],
        ['99000-9300', 0, 12_000],
      ],
    ]);
    await expectLedgerAndReportsAgree();
  });

  it('a caller with a lower role than the amount needs gets 403, and nothing is posted or changed', async () => {
    const nrpf = application({ category: 'NRPF_ACCOMMODATION', amountPence: 50_000, evidence: [{ type: 'child-in-need-assessment', reference: 'a' }, { type: 'nrpf-assessment', reference: 'b' }] });
    const applied = await api.call('POST', '/api/section17/applications', { as: 'social-worker', body: nrpf });
    expect(applied.body.period.requiredRole).toBe('service-manager');
    const before = await api.call('GET', `/api/section17/applications/${applied.body.applicationId}`, { as: 'finance' });

    const refused = await api.call('POST', `/api/section17/applications/${applied.body.applicationId}/decision`, { as: 'team-manager', body: { decision: 'approve', reason: 'ok' } });

    expect(refused).toMatchObject({ status: 403, body: { type: expect.stringMatching(/insufficient-role$/) } });
    expect(await postQueuedJournals()).toEqual([]);
    expect((await api.call('GET', `/api/section17/applications/${applied.body.applicationId}`, { as: 'finance' })).body).toEqual(before.body);
    expect((await api.call('POST', `/api/section17/applications/${applied.body.applicationId}/decision`, { as: 'service-manager', body: { decision: 'approve', reason: 'ok' } })).status).toBe(200);
    expect(await postQueuedJournals()).toHaveLength(1);
  });

  it('refuses self-approval with 403', async () => {
    const applied = await api.call('POST', '/api/section17/applications', { as: 'team-manager', body: application({ childReference: 'NT-CIN-2002' }) });
    const own = await api.call('POST', `/api/section17/applications/${applied.body.applicationId}/decision`, { as: 'team-manager', body: { decision: 'approve', reason: 'mine' } });
    expect(own).toMatchObject({ status: 403, body: { type: expect.stringMatching(/self-approval$/) } });
    expect(await postQueuedJournals()).toEqual([]);
  });

  it('records a guidance refusal with its rule and posts nothing; bad input is a 400 naming the field, with nothing written', async () => {
    const refused = await api.call('POST', '/api/section17/applications', { as: 'social-worker', body: application({ amountPence: 20_000 }) });
    expect(refused).toMatchObject({ status: 201, body: { status: 'refused', refusal: { rule: 'over-award-cap' } } });
    const before = await api.snapshot();
    const invalid = await api.call('POST', '/api/section17/applications', { as: 'social-worker', body: application({ amountPence: 12.5, basis: 'recurring' }) });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(['amountPence']);
    expect(await api.snapshot()).toBe(before);
    expect(await postQueuedJournals()).toEqual([]);
  });

  it('a cancelled award is reversed by a contra journal; the ledger still balances and the reports still agree', async () => {
    const applied = await api.call('POST', '/api/section17/applications', { as: 'social-worker', body: application({ childReference: 'NT-CIN-2003', startDate: '2026-12-20' }) });
    await api.call('POST', `/api/section17/applications/${applied.body.applicationId}/decision`, { as: 'team-manager', body: { decision: 'approve', reason: 'ok' } });
    await postQueuedJournals();

    const cancelled = await api.call('POST', `/api/section17/applications/${applied.body.applicationId}/cancellation`, { as: 'service-manager', body: { reason: 'family moved away' } });

    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    const [contra] = await postQueuedJournals();
    expect(contra).toMatchObject({ reverses: `s17:${applied.body.applicationId}:1`, source: { type: 'section17-adjustment' } });
    await expectLedgerAndReportsAgree();
  });

  it('holds the child\'s yearly cap under concurrent applications: £400 of clothing a year, however they race', async () => {
    const child = { childReference: 'NT-CIN-2004' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => api.call('POST', '/api/section17/applications', { as: 'social-worker', body: application({ ...child, amountPence: 10_000 }) })));
    const statuses = answers.map((a) => a.body.status).sort();
    expect(statuses.filter((s) => s === 'awaiting-approval')).toHaveLength(4);
    expect(answers.filter((a) => a.body.refusal?.rule === 'over-child-yearly-cap')).toHaveLength(2);
  });

  it('reports decisions by rule and by role, and spend as CSV for the finance system', async () => {
    const stats = await api.call('GET', '/api/section17/reports/decisions', { as: 'finance', query: { financialYear: '2026' } });
    expect(stats.body.refusedByRule).toEqual(expect.arrayContaining([{ rule: 'over-award-cap', count: 1, pence: 20_000 }]));
    expect(stats.body.approvedByRole.map((r: { role: string }) => r.role)).toEqual(['service-manager', 'team-manager']);

    const spend = await api.call('GET', '/api/section17/reports/spend', { as: 'finance', query: { from: '2026-04', to: '2027-03', by: 'category', format: 'csv' } });
    expect(spend.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(spend.body.split('\r\n')[0]).toBe('category,pence');

    expect((await api.call('GET', '/api/section17/reports/spend', { as: 'residential-manager', query: { from: '2026-04', to: '2027-03' } })).status).toBe(403);
  });

  it('spend by team and by child as CSV keeps a formula-like team or child reference as text', async () => {
    const hostile = { team: '=HYPERLINK("http://evil.example","Click")', childReference: '@SUM(A1)' };
    const applied = await api.call('POST', '/api/section17/applications', { as: 'social-worker', body: application({ ...hostile, amountPence: 1_000 }) });
    await api.call('POST', `/api/section17/applications/${applied.body.applicationId}/decision`, { as: 'team-manager', body: { decision: 'approve', reason: 'ok' } });
    await postQueuedJournals();
    const byTeam = await api.call('GET', '/api/section17/reports/spend', { as: 'finance', query: { from: '2026-04', to: '2027-03', by: 'team', format: 'csv' } });
    const byChild = await api.call('GET', '/api/section17/reports/spend', { as: 'finance', query: { from: '2026-04', to: '2027-03', by: 'child', format: 'csv' } });
    expect(byTeam.body.split('\r\n')).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")",1000`);
    expect(byChild.body.split('\r\n')).toContain(`'@SUM(A1),1000`);
  });

  it('re-approval of a recurring award: only by the applicant or an approver, and only in the 7 days before its period ends', async () => {
    const weekly = application({ category: 'FOOD', amountPence: 2_000, basis: 'recurring', startDate: '2026-11-30', endDate: '2027-03-01', childReference: 'NT-CIN-3003' });
    const applied = await api.call('POST', '/api/section17/applications', { as: 'social-worker', body: weekly });
    const id = applied.body.applicationId;
    const approved = await api.call('POST', `/api/section17/applications/${id}/decision`, { as: 'team-manager', body: { decision: 'approve', reason: 'Food for six weeks' } });
    const until: string = approved.body.period.until;
    // Tokens are minted at the moment the clock is moved to (the harness's own would have expired by then).
    const as = async (role: 'social-worker' | 'team-manager', subject = `staff-${role}`) => ({ token: await api.issuer.tokenFor(role, subject) });
    const ask = async (who: Promise<CallOptions['as']>) => api.call('POST', `/api/section17/applications/${id}/reapproval`, { as: await who, body: {} });
    try {
      api.clock.set(`${addDays(until, -10)}T12:00:00Z`);
      expect(await ask(as('social-worker', 'another-social-worker'))).toMatchObject({ status: 403, body: { type: expect.stringMatching(/not-applicant-or-approver$/) } });
      expect(await ask(as('social-worker'))).toMatchObject({ status: 409, body: { type: expect.stringMatching(/reapproval-not-due$/), detail: expect.stringContaining(addDays(until, -6)) } });
      expect(await ask(as('team-manager'))).toMatchObject({ status: 409 });

      api.clock.set(`${addDays(until, -6)}T09:00:00Z`);
      expect(await ask(as('social-worker', 'another-social-worker'))).toMatchObject({ status: 403 });
      expect(await ask(as('social-worker'))).toMatchObject({ status: 200, body: { status: 'awaiting-reapproval', period: { index: 2, from: addDays(until, 1) } } });
    } finally {
      api.clock.set(TEST_NOW);
    }
  });
});
