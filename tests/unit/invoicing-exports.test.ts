import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routesFor, Router } from '#lib/http/router';
import type { DraftDocument } from '#lib/invoicing/documents';
import { customerOf } from '#lib/invoicing/customers';
import { documentModel } from '#lib/invoicing/document-model';
import { spreadsheetSafe } from '#lib/csv';
import { escapeHtml, invoiceCsv, invoiceHtml, type ExportedDocument } from '#lib/invoicing/exports';
import { billableFrom } from '#lib/invoicing/from-placement';
import { journalOf } from '#lib/invoicing/invoicing-run';
import { InvoiceJob } from '#lib/invoicing/jobs';
import { statusOf } from '#lib/invoicing/run-state';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';
import { packJson, unpackJson } from '#lib/invoicing/stored-lines';
import { linesForMonth } from '#lib/invoicing/lines';
import { PlacementCharges } from '#lib/placements/placement-charges';
import { placementOf } from '#tests/support/invoicing-world';

describe('a placement as invoicing sees it', () => {
  // Prepare
  const placement = placementOf({
    placementId: 'p-1',
    placingLa: '391',
    startDate: '2026-11-10',
    endDate: '2027-01-05',
    weeklyPence: 402_000,
    purchaseOrder: 'NCL-9',
    extras: [
      { kind: 'education-place', basis: 'weekly', amountPence: 35_000 },
      { kind: 'transport', basis: 'one-off', amountPence: 12_345 },
    ],
  });

  it('keeps the agreed price, the period (leaving day not charged), the purchase order and the council’s reference only', () => {
    // Act
    const billable = billableFrom(placement, INVOICING_SETTINGS.extraVatCodes);
    // Assess
    expect(billable).toMatchObject({ placementId: 'p-1', placingLa: '391', purchaseOrder: 'NCL-9', childReference: 'CR-p-1', from: '2026-11-10', to: '2027-01-05', weeklyPricePence: 402_000 });
    expect(JSON.stringify(billable)).not.toMatch(/dateOfBirth|2012-05-01/);
  });

  it('is the same read from the stored item as its charges alone (what the billable source parses)', () => {
    const stored = JSON.parse(JSON.stringify(placement)) as Record<string, unknown>;
    const charges = PlacementCharges.parse(stored);
    expect(Object.keys(charges).sort()).toEqual(['agreedWeeklyPricePence', 'bedId', 'childReference', 'ending', 'extras', 'homeId', 'placementId', 'placingLa', 'purchaseOrder', 'startDate']);
    expect(billableFrom(charges, INVOICING_SETTINGS.extraVatCodes)).toEqual(billableFrom(placement, INVOICING_SETTINGS.extraVatCodes));
  });

  it('gives each extra a stable id and the VAT officer’s code; a one-off is charged in the month the placement began', () => {
    const billable = billableFrom(placement, { ...INVOICING_SETTINGS.extraVatCodes, transport: 'SR' });
    expect(billable.extras).toEqual([
      { id: '1-education-place', basis: 'weekly', kind: 'education-place', description: 'Education place', weeklyPence: 35_000, vatCode: 'OS' },
      { id: '2-transport', basis: 'one-off', kind: 'transport', description: 'Transport', amountPence: 12_345, date: '2026-11-10', vatCode: 'SR' },
    ]);
    // November: 21 nights; £350 × 21 / 7 = 105,000; transport once.
    expect(linesForMonth(billable, '2026-11').map((l) => [l.component, l.netPence, l.vatCode])).toEqual([
      ['bed', 1_206_000, 'OS'],
      ['extra:1-education-place', 105_000, 'OS'],
      ['extra:2-transport', 12_345, 'SR'],
    ]);
    expect(linesForMonth(billable, '2026-12').map((l) => l.component)).toEqual(['bed', 'extra:1-education-place']);
  });
});

const credit: ExportedDocument = {
  number: 'NT-2627-000007',
  kind: 'credit-note',
  placingLa: '390',
  month: '2026-11',
  issueDate: '2027-01-01',
  dueDate: '2027-01-31',
  corrects: 'NT-2627-000003',
  purchaseOrders: ['=HYPERLINK("x")'],
  lines: [
    {
      description: '<script>alert(1)</script>, child ref -7',
      homeName: 'Harbour View',
      childReference: '-7',
      purchaseOrder: '=HYPERLINK("x")',
      account: '04127-5501',
      vatCode: 'OS',
      netPence: -287_143,
      vatPence: 0,
      firstNight: '2026-11-03',
      lastNight: '2026-11-07',
      nights: 5,
      weeklyPence: 402_000,
    },
  ],
  netPence: -287_143,
  vatPence: 0,
  grossPence: -287_143,
};
const creditModel = documentModel(credit, INVOICING_SETTINGS.issuer, customerOf('390'));

describe('exports', () => {
  it('CSV: one row per line in the finance system’s layout, pence signed, formulas defused', () => {
    expect(invoiceCsv([creditModel]).split('\r\n')).toEqual([
      'invoice_number,invoice_date,customer_la,purchase_order,account,vat_code,net_pence,description,vat_pence,document_type,corrects,due_date,home,child_reference,first_night,last_night,nights,weekly_pence,gross_pence',
      `NT-2627-000007,2027-01-01,390,"'=HYPERLINK(""x"")",04127-5501,OS,-287143,"<script>alert(1)</script>, child ref -7",0,credit-note,NT-2627-000003,2027-01-31,Harbour View,'-7,2026-11-03,2026-11-07,5,402000,-287143`,
      '',
    ]);
    expect(['=1', '+1', '-1', '@x', '\tx', 'ok'].map(spreadsheetSafe)).toEqual(["'=1", "'+1", "'-1", "'@x", "'\tx", 'ok']);
  });

  it('HTML: our details and the council’s, amounts in £ at the edge only, everything escaped', () => {
    const html = invoiceHtml(creditModel);
    expect(html).toContain('<h1>Credit note</h1>');
    expect(html).toContain('-£2,871.43');
    expect(html).toContain('£4,020.00');
    expect(html).toContain('1 January 2027');
    expect(html).toContain('Corrects</dt><dd>NT-2627-000003');
    expect(html).toContain('Gateshead');
    // The council's invoice address and our bank details, both from reference data.
    for (const line of customerOf('390').invoiceAddress) expect(html).toContain(escapeHtml(line));
    expect(html).toContain(`Sort code: ${INVOICING_SETTINGS.issuer.remittance.sortCode}`);
    expect(html).toContain('Nights 3 November 2026 to 7 November 2026');
    expect(html).toContain(escapeHtml(INVOICING_SETTINGS.issuer.name));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('outside the scope of VAT');
  });
});

describe('jobs, runs and journals', () => {
  it('accepts the three kinds of job and nothing else', () => {
    expect(InvoiceJob.parse({ type: 'council', month: '2026-11', placingLa: '390' })).toEqual({ type: 'council', month: '2026-11', placingLa: '390' });
    for (const bad of [{ type: 'council', month: '2026-11' }, { type: 'number', month: '2026-13' }, { type: 'run', month: '2026-11', extra: 1 }, { type: 'council', month: '2026-11', placingLa: '12' }]) {
      expect(InvoiceJob.safeParse(bad).success).toBe(false);
    }
  });

  it('tells a run’s status from what is staged and done', () => {
    const run = { month: '2026-11', councils: ['390', '391'], staged: ['390'], done: [], startedAt: '2026-12-01T02:00:00.000Z' };
    expect(statusOf(run)).toBe('drafting');
    expect(statusOf({ ...run, staged: ['390', '391'] })).toBe('numbering');
    expect(statusOf({ ...run, staged: ['390', '391'], done: ['390', '391'], completedAt: '2026-12-01T02:01:00.000Z' })).toBe('complete');
  });

  it('posts an invoice and a supplementary invoice as invoices, a credit note as their reverse, keyed on the number', () => {
    const doc = { number: 'NT-2627-000009', issueDate: '2027-01-01', placingLa: '391', lines: [] } as unknown as DraftDocument & { number: string };
    const supplementary = journalOf({ ...doc, kind: 'supplementary-invoice', netPence: 171_429, vatPence: 0 });
    expect(supplementary).toMatchObject({ idempotencyKey: 'invoice:NT-2627-000009', date: '2027-01-01', lines: [{ account: '99000-9100', debitPence: 171_429 }, { account: '04127-5501', creditPence: 171_429 }] });
    const creditNote = journalOf({ ...doc, kind: 'credit-note', netPence: -500, vatPence: 0 });
    expect(creditNote.lines).toEqual([expect.objectContaining({ account: '04127-5501', debitPence: 500 }), expect.objectContaining({ account: '99000-9100', creditPence: 500 })]);
  });

  it('stores lines gzipped: a thousand lines fit an item many times over', () => {
    const lines = Array.from({ length: 1_000 }, (_, i) => ({ key: `placement-${i}:2026-11:bed`, description: `harbour-view, child ref CR-${i}: 30 nights at £4,020.00 a week`, netPence: 1_722_857 + i }));
    const packed = packJson(lines);
    expect(packed.byteLength).toBeLessThan(JSON.stringify(lines).length / 5);
    expect(unpackJson(packed)).toEqual(lines);
  });
});

describe('a route that answers in one representation only', () => {
  const route = routesFor<object>();
  const router = new Router([
    route({ method: 'GET', path: '/api/files/{id}.csv', roles: ['finance'], params: z.object({ id: z.string().check(z.regex(/^\d+$/)) }), response: z.object({ id: z.string() }), representation: 'csv', renderAs: { csv: (a) => `id\r\n${a.id}\r\n` }, handle: async ({ params }) => params }),
    route({ method: 'GET', path: '/api/files/{id}', roles: ['finance'], params: z.object({ id: z.string().check(z.regex(/^\d+$/)) }), response: z.object({ id: z.string() }), handle: async ({ params }) => params }),
  ]);
  const verify = async () => ({ subject: 's', name: 'n', roles: ['finance' as const] });
  const get = (path: string, headers: Record<string, string> = {}, query: Record<string, string> = {}) => router.dispatch({ method: 'GET', path, headers, query, body: undefined }, verify, {});

  it('answers in it whatever the Accept header or ?format= ask, and the plain path still answers JSON', async () => {
    expect((await get('/api/files/42.csv', { accept: 'application/json' }, { format: 'json' })).response).toMatchObject({ headers: { 'content-type': 'text/csv; charset=utf-8' }, body: 'id\r\n42\r\n' });
    expect((await get('/api/files/42')).response).toMatchObject({ headers: { 'content-type': 'application/json' }, body: '{"id":"42"}' });
  });
});

describe('who may call the invoicing and ledger routes', async () => {
  const { managerRoutes } = await import('#lib/api/routes/index');
  const rolesOf = (key: string) => [...(managerRoutes.find((r) => `${r.method} ${r.path}` === key)?.roles ?? [])].sort();

  it('finance alone asks for a run; those who see prices and purchase orders read invoices; finance and senior managers the ledger', () => {
    expect(rolesOf('POST /api/invoicing/runs')).toEqual(['finance']);
    for (const key of ['GET /api/invoices', 'GET /api/invoices/{number}', 'GET /api/invoices/{number}.csv', 'GET /api/invoices/{number}.html', 'GET /api/invoicing/runs/{month}']) {
      expect(rolesOf(key)).toEqual(['finance', 'head-of-service', 'placements-officer', 'residential-manager', 'service-manager']);
    }
    for (const key of ['GET /api/ledger/journals', 'GET /api/ledger/trial-balance', 'GET /api/ledger/gl-export']) {
      expect(rolesOf(key)).toEqual(['finance', 'head-of-service', 'service-manager']);
    }
  });
});

describe('sample events (npm run invoke)', async () => {
  const { readFileSync } = await import('node:fs');
  const { monthToInvoice } = await import('#lib/invoicing/run-period');
  const read = (file: string) => JSON.parse(readFileSync(new URL(`../../events/${file}`, import.meta.url), 'utf8'));

  it('the schedule’s event invoices the month before its London date; each queued job is one the builder reads', () => {
    expect(monthToInvoice(Date.parse(read('invoicing-run/scheduled.json').time))).toBe('2026-11');
    for (const file of ['invoice-builder/jobs.json', 'invoice-builder/run-request.json']) {
      for (const record of read(file).Records) expect(InvoiceJob.safeParse(JSON.parse(record.body)).success).toBe(true);
    }
  });
});
