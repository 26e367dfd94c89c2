import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '#lib/api/docs/write';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { managerRoutes } from '#lib/api/routes/index';
import { extraFields, fieldPaths, presentFields } from '#lib/http/schema-fields';
import { ALL_ROLES, type Role } from '#lib/auth/roles';
import { sampleEstate } from '#lib/estate/seed';
import { responseSchemaFor, type Route } from '#lib/http/router';
import { invoicingRuns } from '#functions/invoicing/wiring';
import { DynamoLedger } from '#lib/ledger/dynamo-ledger';
import { Journal } from '#lib/ledger/journal';
import { addDays, financialYearOf, monthOf, previousMonth } from '#lib/time/calendar';
import { startApiHarness, type ApiHarness, type CallOptions } from '#tests/support/api-harness';
import { TEST_NOW, testToday } from '#tests/support/clock';
import { emulatorClients } from '#tests/support/emulators';
import { placementOf, runInProcess, seedPlacements } from '#tests/support/invoicing-world';
import { applicationBody } from '#tests/support/section17';
import { changedTables, snapshotTables } from '#tests/support/table-snapshot';

/**
 * The role × field matrix (docs/roles-and-fields.md), held against the real
 * handler for EVERY route and EVERY role: a role the route does not name gets
 * 403 and nothing is written; a role it names is let through (reads answer
 * 200, writes reach validation); and every answer carries only the fields of
 * that role's view, while the wider views really do carry what the narrower
 * ones leave out (so the check is not vacuous).
 */

let h: ApiHarness;
const today = testToday;
const lastMonth = previousMonth(monthOf(today));
const ids: Record<string, string> = {};
type Sample = { path: string; query?: Record<string, string>; body?: unknown };
const key = (route: Route<unknown>) => `${route.method} ${route.path}`;
const routes = managerRoutes as readonly Route<unknown>[];

async function ok(answer: Promise<{ status: number; body: any }>, status = 200) {
  const settled = await answer;
  expect(settled.status, JSON.stringify(settled.body)).toBe(status);
  return settled.body;
}

/** Plays the ledger poster: every journal queued so far is posted. */
async function postQueuedJournals(): Promise<void> {
  const sqs = emulatorClients().sqs;
  const ledger = new DynamoLedger(h.db, h.stack.tables.LedgerTable!);
  const queueUrl = h.stack.queues.LedgerPostingsQueue!.url;
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    if (Messages.length === 0) return;
    for (const m of Messages) await ledger.post(Journal.parse(JSON.parse(m.Body!)), TEST_NOW);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

beforeAll(async () => {
  h = await startApiHarness('roles');
  for (const home of sampleEstate()) await ok(h.call('PUT', `/api/homes/${home.id}`, { body: home }));

  // A placement admitted today and ending tomorrow, with its SSDA903 reasons: in tonight's occupancy.
  await h.createReferral('ROLE-1');
  await h.createReferral('ROLE-2');
  const offer = await ok(h.call('POST', '/api/referrals/ROLE-1/offers', { body: { bedId: 'hv-3' } }), 201);
  ids.offerId = offer.offerId;
  await ok(h.call('POST', `/api/offers/${offer.offerId}/acceptance`, { body: {} }));
  const placement = await ok(h.call('POST', '/api/referrals/ROLE-1/admission', { body: { startDate: today } }), 201);
  ids.placementId = placement.placementId;
  await ok(h.call('POST', `/api/placements/${placement.placementId}/end`, { body: { endDate: addDays(today, 1), reasonPlacementChange: 'CARPL', reasonEpisodeCeased: 'E11' } }));

  // Section 17: one application by the social worker the matrix calls as (approved, so it posts), one by another.
  const own = await ok(h.call('POST', '/api/section17/applications', { as: 'social-worker', body: applicationBody({ startDate: today }) }), 201);
  ids.applicationId = own.applicationId;
  await ok(h.call('POST', `/api/section17/applications/${own.applicationId}/decision`, { as: 'team-manager', body: { decision: 'approve', reason: 'Meets the guidance' } }));
  const other = { token: await h.issuer.tokenFor('social-worker', 'another-social-worker') };
  ids.othersApplicationId = (await ok(h.call('POST', '/api/section17/applications', { as: other, body: applicationBody({ startDate: today, childReference: 'NT-CIN-2002' }) }), 201)).applicationId;

  // Last month's invoicing run over one placement for Gateshead (390), and the ledger.
  const sqs = emulatorClients().sqs;
  const wiring = {
    placementsTable: h.tables.placements,
    invoicesTable: h.stack.tables.InvoicesTable!,
    invoiceJobsQueueUrl: h.stack.queues.InvoiceJobsQueue!.url,
    ledgerPostingsQueueUrl: h.stack.queues.LedgerPostingsQueue!.url,
    deliveriesQueueUrl: h.stack.queues.DeliveriesQueue!.url,
    prefix: 'NT',
    paymentTermsDays: 30,
  };
  await seedPlacements(h.db, wiring.placementsTable, [placementOf({ placementId: 'roles-billed', placingLa: '390', startDate: `${lastMonth}-03`, weeklyPence: 402_000 })]);
  await runInProcess(invoicingRuns(h.db, sqs, wiring, h.clock), lastMonth, sqs, h.stack.queues.InvoiceJobsQueue!);
  const invoices = await ok(h.call('GET', '/api/invoices', { as: 'finance', query: { month: lastMonth } }));
  ids.invoiceNumber = invoices.items[0].number;
  // A payment from Gateshead, part-allocated to its invoice.
  ids.remittanceId = (await ok(h.call('POST', '/api/remittances', { as: 'finance', body: { placingLa: '390', date: h.clock.today(), amountPence: 10_000, reference: ids.invoiceNumber } }), 201)).remittanceId;
  await ok(h.call('POST', '/api/allocations', { as: 'finance', body: { source: { type: 'remittance', remittanceId: ids.remittanceId }, lines: [{ invoice: ids.invoiceNumber, amountPence: 5_000 }] } }), 201);
  await postQueuedJournals();
}, 180_000);
afterAll(() => h.stop());

/** A request for each route: reads that find something, writes that pass the role check and stop at validation. */
const invalidBody = { unexpected: true };
function sampleOf(route: Route<unknown>): Sample {
  const samples: Record<string, () => Sample> = {
    'GET /api/homes': () => ({ path: '/api/homes' }),
    'GET /api/homes/{homeId}': () => ({ path: '/api/homes/harbour-view' }),
    'PUT /api/homes/{homeId}': () => ({ path: '/api/homes/harbour-view', body: invalidBody }),
    'PUT /api/homes/{homeId}/beds/{bedId}/out-of-use': () => ({ path: '/api/homes/harbour-view/beds/hv-3/out-of-use', body: invalidBody }),
    'GET /api/referrals': () => ({ path: '/api/referrals', query: { status: 'open' } }),
    'GET /api/referrals/{referralId}': () => ({ path: '/api/referrals/ROLE-1' }),
    'POST /api/referrals/{referralId}/offers': () => ({ path: '/api/referrals/ROLE-2/offers', body: invalidBody }),
    'POST /api/offers/{offerId}/acceptance': () => ({ path: `/api/offers/${ids.offerId}/acceptance`, body: invalidBody }),
    'POST /api/offers/{offerId}/decline': () => ({ path: `/api/offers/${ids.offerId}/decline`, body: invalidBody }),
    'POST /api/referrals/{referralId}/admission': () => ({ path: '/api/referrals/ROLE-2/admission', body: invalidBody }),
    'GET /api/placements/{placementId}': () => ({ path: `/api/placements/${ids.placementId}` }),
    'POST /api/placements/{placementId}/end': () => ({ path: `/api/placements/${ids.placementId}/end`, body: invalidBody }),
    'POST /api/placements/{placementId}/move': () => ({ path: `/api/placements/${ids.placementId}/move`, body: invalidBody }),
    'GET /api/placements/{placementId}/confirmation': () => ({ path: `/api/placements/${ids.placementId}/confirmation` }),
    'GET /api/occupancy': () => ({ path: '/api/occupancy', query: { date: today } }),
    'GET /api/beds/{bedId}/void-nights': () => ({ path: '/api/beds/hv-3/void-nights', query: { from: today, to: addDays(today, 7) } }),
    'POST /api/section17/applications': () => ({ path: '/api/section17/applications', body: invalidBody }),
    'GET /api/section17/applications': () => ({ path: '/api/section17/applications', query: { status: 'approved', financialYear: String(financialYearOf(today)) } }),
    'GET /api/section17/applications/{applicationId}': () => ({ path: `/api/section17/applications/${ids.applicationId}` }),
    'POST /api/section17/applications/{applicationId}/decision': () => ({ path: `/api/section17/applications/${ids.othersApplicationId}/decision`, body: invalidBody }),
    'POST /api/section17/applications/{applicationId}/reapproval': () => ({ path: `/api/section17/applications/${ids.applicationId}/reapproval`, body: invalidBody }),
    'POST /api/section17/applications/{applicationId}/cancellation': () => ({ path: `/api/section17/applications/${ids.applicationId}/cancellation`, body: invalidBody }),
    'POST /api/section17/applications/{applicationId}/reduction': () => ({ path: `/api/section17/applications/${ids.applicationId}/reduction`, body: invalidBody }),
    'GET /api/section17/reports/spend': () => ({ path: '/api/section17/reports/spend', query: { from: monthOf(today), to: monthOf(today), by: 'child' } }),
    'GET /api/section17/reports/budget': () => ({ path: '/api/section17/reports/budget', query: { asAt: today } }),
    'GET /api/section17/reports/decisions': () => ({ path: '/api/section17/reports/decisions', query: { financialYear: String(financialYearOf(today)) } }),
    'GET /api/invoices': () => ({ path: '/api/invoices', query: { council: '390' } }),
    'GET /api/invoices/{number}.csv': () => ({ path: `/api/invoices/${ids.invoiceNumber}.csv` }),
    'GET /api/invoices/{number}.html': () => ({ path: `/api/invoices/${ids.invoiceNumber}.html` }),
    'GET /api/invoices/{number}.pdf': () => ({ path: `/api/invoices/${ids.invoiceNumber}.pdf` }),
    'GET /api/invoices/{number}': () => ({ path: `/api/invoices/${ids.invoiceNumber}` }),
    'GET /api/invoices/{number}/deliveries': () => ({ path: `/api/invoices/${ids.invoiceNumber}/deliveries` }),
    'POST /api/invoices/{number}/deliveries': () => ({ path: `/api/invoices/${ids.invoiceNumber}/deliveries`, body: invalidBody }),
    'POST /api/remittances': () => ({ path: '/api/remittances', body: invalidBody }),
    'GET /api/remittances/{remittanceId}': () => ({ path: `/api/remittances/${ids.remittanceId}` }),
    'POST /api/allocations': () => ({ path: '/api/allocations', body: invalidBody }),
    'POST /api/bank-files': () => ({ path: '/api/bank-files', body: invalidBody }),
    'GET /api/councils/{la}/open-items': () => ({ path: '/api/councils/390/open-items' }),
    'GET /api/councils/{la}/statement': () => ({ path: '/api/councils/390/statement', query: { from: `${lastMonth}-01`, to: today } }),
    'GET /api/aged-debt': () => ({ path: '/api/aged-debt' }),
    'POST /api/invoicing/runs': () => ({ path: '/api/invoicing/runs', body: invalidBody }),
    'GET /api/invoicing/runs/{month}': () => ({ path: `/api/invoicing/runs/${lastMonth}` }),
    'GET /api/ledger/journals': () => ({ path: '/api/ledger/journals', query: { period: monthOf(today) } }),
    'GET /api/ledger/trial-balance': () => ({ path: '/api/ledger/trial-balance', query: { asAt: today } }),
    'GET /api/ledger/gl-export': () => ({ path: '/api/ledger/gl-export', query: { period: monthOf(today) } }),
    'GET /api/reports/overrides': () => ({ path: '/api/reports/overrides', query: { from: monthOf(today), to: monthOf(today) } }),
    'POST /api/imports': () => ({ path: '/api/imports', body: invalidBody }),
    'GET /api/openapi.json': () => ({ path: '/api/openapi.json' }),
    'GET /api/kpis': () => ({ path: '/api/kpis', query: { from: monthOf(today) + '-01', to: addDays(today, 1) } }),
  };
  const sample = samples[key(route)];
  if (!sample) throw new Error(`no sample request for ${key(route)}: add one so the matrix covers it`);
  return sample();
}

const call = (route: Route<unknown>, role: Role) => {
  const sample = sampleOf(route);
  const options: CallOptions = { as: role, ...(sample.query ? { query: sample.query } : {}), ...(sample.body !== undefined ? { body: sample.body } : {}) };
  return h.call(route.method, sample.path, options);
};

describe('the role × field matrix, every route × every role', () => {
  it(`covers all ${routes.length} routes × ${ALL_ROLES.length} roles: 403 outside the matrix, and each answer within its role's view`, async () => {
    const before = await snapshotTables(h.db, h.stack.tables);
    const outcomes: string[] = [];
    for (const route of routes) {
      // Per route: the fields some role's view saw that a narrower view of the same route leaves out.
      const seenByWider = new Set<string>();
      const narrowerViews: { role: Role; paths: Set<string> }[] = [];
      for (const role of ALL_ROLES) {
        const answer = await call(route, role);
        const where = `${key(route)} as ${role}`;
        if (!route.roles.includes(role)) {
          expect(answer.status, where).toBe(403);
          outcomes.push(`${where}: 403`);
          continue;
        }
        if (route.method !== 'GET') {
          // Let through the role check, stopped by validation: nothing is written.
          expect(answer.status, `${where}: ${JSON.stringify(answer.body)}`).toBe(400);
          outcomes.push(`${where}: 400 (validation)`);
          continue;
        }
        expect(answer.status, `${where}: ${JSON.stringify(answer.body)}`).toBe(200);
        outcomes.push(`${where}: 200`);
        if (typeof answer.body !== 'object') continue; // CSV and HTML: rendered from the same validated view
        const view = responseSchemaFor(route, [role]);
        expect(extraFields(answer.body, view.schema), `${where} got fields outside the ${view.name} view`).toEqual([]);
        const present = presentFields(answer.body, route.response);
        if (view.name === 'full') present.forEach((p) => seenByWider.add(p));
        else narrowerViews.push({ role, paths: new Set(fieldPaths(view.schema)) });
      }
      for (const { role, paths } of narrowerViews) {
        const withheld = [...seenByWider].filter((p) => !paths.has(p));
        expect(withheld.length, `${key(route)}: the full view carried nothing that ${role}'s view leaves out, so the data does not test it`).toBeGreaterThan(0);
      }
    }
    expect(outcomes).toHaveLength(routes.length * ALL_ROLES.length);
    expect(changedTables(before, await snapshotTables(h.db, h.stack.tables))).toEqual([]);
  }, 120_000);

  it('finance sees a placement without the child\'s date of birth, sex, risks or reasons; a manager sees them', async () => {
    const manager = await ok(h.call('GET', `/api/placements/${ids.placementId}`, { as: 'residential-manager' }));
    const finance = await ok(h.call('GET', `/api/placements/${ids.placementId}`, { as: 'finance' }));
    expect(manager.resident.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(manager.ending).toMatchObject({ reasonPlacementChange: 'CARPL', reasonEpisodeCeased: 'E11', planned: true });
    expect(finance.resident).toBeUndefined();
    expect(finance.ending).toEqual({ endDate: addDays(today, 1), decision: manager.ending.decision });
    expect(finance).toMatchObject({ agreedWeeklyPricePence: manager.agreedWeeklyPricePence, purchaseOrder: manager.purchaseOrder });
    const confirmation = await ok(h.call('GET', `/api/placements/${ids.placementId}/confirmation`, { as: 'finance' }));
    expect(confirmation.reasonPlacementChange).toBeUndefined();
    expect(confirmation.reasonEpisodeCeased).toBeUndefined();
  });

  it('a social worker lists and reads only the applications they made; approvers and finance see all', async () => {
    const query = { status: 'approved', financialYear: String(financialYearOf(today)) };
    const awaiting = { status: 'awaiting-approval', financialYear: String(financialYearOf(today)) };
    const mine = await ok(h.call('GET', '/api/section17/applications', { as: 'social-worker', query }));
    expect(mine.items.map((a: any) => a.applicationId)).toEqual([ids.applicationId]);
    expect((await ok(h.call('GET', '/api/section17/applications', { as: 'social-worker', query: awaiting }))).items).toEqual([]);
    expect((await ok(h.call('GET', '/api/section17/applications', { as: 'team-manager', query: awaiting }))).items.map((a: any) => a.applicationId)).toEqual([ids.othersApplicationId]);
    const others = await h.call('GET', `/api/section17/applications/${ids.othersApplicationId}`, { as: 'social-worker' });
    expect(others.status).toBe(404);
    const forFinance = await ok(h.call('GET', `/api/section17/applications/${ids.othersApplicationId}`, { as: 'finance' }));
    expect(forFinance.request.justification).toBeUndefined();
    expect(forFinance.request.evidence).toBeUndefined();
    expect(forFinance.request).toMatchObject({ amountPence: 12_000, category: 'CLOTHING' });
  });

  it('the printable invoice carries a strict Content-Security-Policy (its own styles by hash, nothing else), nosniff and no-store', async () => {
    const html = await h.call('GET', `/api/invoices/${ids.invoiceNumber}.html`, { as: 'finance' });
    expect(html.status).toBe(200);
    expect(html.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'( 'sha256-[A-Za-z0-9+/=]+')*; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    expect(html.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  });

  it('serves the OpenAPI document at /api/openapi.json to any role: the one published as docs/openapi.json', async () => {
    const served = await h.call('GET', '/api/openapi.json', { as: 'social-worker' });
    expect(served.status).toBe(200);
    expect(served.body).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
  });
});
