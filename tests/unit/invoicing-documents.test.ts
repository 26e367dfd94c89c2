import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { BillablePlacement } from '#lib/invoicing/billable';
import { draftCouncilDocuments, type CouncilRunInput, type IssuedDocument } from '#lib/invoicing/documents';
import { formatDocumentNumber } from '#lib/invoicing/numbering';

const placement = (o: Partial<z.input<typeof BillablePlacement>> & { placementId: string; from: string }) =>
  BillablePlacement.parse({ placingLa: '390', purchaseOrder: 'PO-1', childReference: `ref-${o.placementId}`, homeName: 'Harbour View', bedId: 'hv-3', weeklyPricePence: 402_000, ...o });

const run = (runMonth: string, placements: BillablePlacement[], issued: IssuedDocument[] = [], correctionMonths: string[] = []): CouncilRunInput => ({
  runMonth,
  placingLa: '390',
  issueDate: `${runMonth === '2026-12' ? '2027-01' : '2026-12'}-01`,
  paymentTermsDays: 30,
  placements,
  issued,
  correctionMonths,
});

/** Numbers drafts as the builder would, in order. */
const issue = (drafts: ReturnType<typeof draftCouncilDocuments>, first: number): IssuedDocument[] =>
  drafts.map((d, i) => ({ ...d, number: formatDocumentNumber('NT', d.issueDate, first + i) }));

describe('a council\'s documents for a run', () => {
  it('one invoice per council per month, each line with its purchase order, outside the scope of VAT, due in 30 days', () => {
    const drafts = draftCouncilDocuments(run('2026-11', [placement({ placementId: 'P1', from: '2026-11-03', to: '2026-11-17' }), placement({ placementId: 'P2', from: '2026-10-20', purchaseOrder: 'PO-2' })]));
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ kind: 'invoice', slot: '2026-11:390:invoice', issueDate: '2026-12-01', dueDate: '2026-12-31', purchaseOrders: ['PO-1', 'PO-2'], netPence: 804_000 + 1_722_857, vatPence: 0 });
    expect(drafts[0]!.lines.map((l) => [l.placementId, l.purchaseOrder, l.vatCode])).toEqual([['P1', 'PO-1', 'OS'], ['P2', 'PO-2', 'OS']]);
  });

  it('a re-run drafts nothing new: the slot is filled', () => {
    const placements = [placement({ placementId: 'P1', from: '2026-10-20' })];
    const issued = issue(draftCouncilDocuments(run('2026-11', placements)), 1);
    expect(draftCouncilDocuments(run('2026-11', placements, issued))).toEqual([]);
  });

  it('a back-dated end found by the next run: a credit note referencing the original', () => {
    const november = issue(draftCouncilDocuments(run('2026-11', [placement({ placementId: 'P1', from: '2026-10-20' })])), 42);
    const ended = [placement({ placementId: 'P1', from: '2026-10-20', to: '2026-11-20' })];
    const drafts = draftCouncilDocuments(run('2026-12', ended, november, ['2026-11']));
    expect(drafts).toEqual([expect.objectContaining({ kind: 'credit-note', month: '2026-11', corrects: 'NT-2627-000042', slot: '2026-12:390:credit-note:2026-11', netPence: -631_714 })]);
  });

  it('a placement admitted back into a month nobody was invoiced for gets a late invoice, once', () => {
    const late = [placement({ placementId: 'P9', from: '2026-11-25', to: '2026-11-28' })];
    const drafts = draftCouncilDocuments(run('2026-12', late, [], ['2026-11']));
    expect(drafts).toEqual([expect.objectContaining({ kind: 'invoice', month: '2026-11', slot: '2026-12:390:invoice:2026-11', netPence: 172_286 })]);
    expect(draftCouncilDocuments(run('2026-12', late, issue(drafts, 7), ['2026-11']))).toEqual([]);
  });
});

describe('run periods', async () => {
  const { monthToInvoice, issueDateFor, correctionMonthsFor } = await import('#lib/invoicing/run-period');

  it('a run fired at 02:00 UTC on the 1st invoices the previous London month, in winter and in summer', () => {
    expect(monthToInvoice(Date.parse('2026-12-01T02:00:00Z'))).toBe('2026-11');
    expect(monthToInvoice(Date.parse('2026-07-01T02:00:00Z'))).toBe('2026-06');
    // 23:30 UTC on 30 June is already 1 July in London (BST).
    expect(monthToInvoice(Date.parse('2026-06-30T23:30:00Z'))).toBe('2026-06');
  });

  it('issues on the 1st of the next month; March opens the new financial year', () => {
    expect(issueDateFor('2027-03')).toBe('2027-04-01');
  });

  it('re-checks every month from the start of last financial year', () => {
    const months = correctionMonthsFor('2026-11');
    expect(months[0]).toBe('2025-04');
    expect(months.at(-1)).toBe('2026-10');
    expect(months).toHaveLength(19);
  });
});
