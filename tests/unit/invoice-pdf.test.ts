/**
 * The PDF of an invoice and a credit note, opened with a PDF text extractor (unpdf, Mozilla's
 * PDF.js): every line and every total of the JSON document is in it, in order, with the same
 * figures the printable HTML shows (both are drawn from one model).
 */
import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { formatPence } from '#lib/money';
import { BillablePlacement } from '#lib/invoicing/billable';
import { customerOf } from '#lib/invoicing/customers';
import { documentModel, longDate, type DocumentModel } from '#lib/invoicing/document-model';
import { documentPdf } from '#lib/invoicing/document-pdf';
import { draftCouncilDocuments, type IssuedDocument } from '#lib/invoicing/documents';
import { invoiceHtml } from '#lib/invoicing/exports';
import { formatDocumentNumber } from '#lib/invoicing/numbering';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';

const placement = (o: Partial<z.input<typeof BillablePlacement>> & { placementId: string; from: string }) =>
  BillablePlacement.parse({ placingLa: '391', purchaseOrder: 'NCL-PO-77', childReference: `NCL-${o.placementId}`, homeName: 'Harbour View', bedId: 'hv-3', weeklyPricePence: 402_000, ...o });

// Newcastle (391): October's invoice for three placements (one with a weekly education place and a
// one-off transport charge), then November's run after one of them was ended back in October.
const october = [
  placement({ placementId: 'P1', from: '2026-10-10', extras: [{ id: '1-education-place', basis: 'weekly', kind: 'education-place', description: 'Education place', weeklyPence: 35_000, vatCode: 'OS' }, { id: '2-transport', basis: 'one-off', kind: 'transport', description: 'Transport', amountPence: 12_000, date: '2026-10-10', vatCode: 'SR' }] }),
  placement({ placementId: 'P2', from: '2026-09-20', homeName: 'Purley Close', weeklyPricePence: 455_555, purchaseOrder: 'NCL-PO-80' }),
  placement({ placementId: 'P3', from: '2026-10-01', to: '2026-10-16', homeName: 'The Links' }),
];
const number = (d: { issueDate: string }, n: number) => formatDocumentNumber('NT', d.issueDate, n);
const octoberRun = draftCouncilDocuments({ runMonth: '2026-10', placingLa: '391', issueDate: '2026-11-01', paymentTermsDays: 30, placements: october, issued: [], correctionMonths: [] });
const invoice: IssuedDocument = { ...octoberRun[0]!, number: number(octoberRun[0]!, 7) };
const ended = [october[0]!, placement({ ...october[1]!, to: '2026-10-25' }), october[2]!];
const novemberRun = draftCouncilDocuments({ runMonth: '2026-11', placingLa: '391', issueDate: '2026-12-01', paymentTermsDays: 30, placements: ended, issued: [invoice], correctionMonths: ['2026-10'] });
const creditDraft = novemberRun.find((d) => d.kind === 'credit-note')!;
const creditNote: IssuedDocument = { ...creditDraft, number: number(creditDraft, 19) };

const modelOf = (d: IssuedDocument) => documentModel(d, INVOICING_SETTINGS.issuer, customerOf(d.placingLa));
/** The PDF's text, as one string with runs of white space made single spaces. */
async function pdfText(model: DocumentModel): Promise<{ text: string; pages: number }> {
  const { text, totalPages } = await extractText(await documentPdf(model), { mergePages: true });
  return { text: text.replace(/\s+/g, ' '), pages: totalPages };
}

/** Asserts each of `parts` occurs in `text`, each after the one before; returns where the last ended. */
function expectInOrder(text: string, parts: readonly string[], from = 0): number {
  let at = from;
  for (const part of parts) {
    const found = text.indexOf(part.replace(/\s+/g, ' '), at);
    expect(found, `"${part}" after position ${at} in: ${text.slice(at, at + 400)}`).toBeGreaterThanOrEqual(0);
    at = found + part.length;
  }
  return at;
}

/** What a line of the JSON document must show in the PDF, in the table's column order. */
function lineCells(l: IssuedDocument['lines'][number]): string[] {
  return [
    l.description,
    ...(l.firstNight && l.lastNight ? [`Nights ${longDate(l.firstNight)} to ${longDate(l.lastNight)}`] : []),
    l.purchaseOrder,
    ...(l.nights === undefined ? [] : [String(l.nights)]),
    ...(l.weeklyPence === undefined ? [] : [formatPence(l.weeklyPence)]),
    l.vatCode,
    formatPence(l.netPence),
    formatPence(l.vatPence),
  ];
}

describe('the PDF of an invoice', () => {
  it('shows every line of the JSON document (home, child reference, nights from–to and count, rate, VAT code, pence) and its totals', async () => {
    // The document as issued: five lines, one of them standard-rated.
    expect(invoice.lines.map((l) => l.component)).toEqual(['bed', 'extra:1-education-place', 'extra:2-transport', 'bed', 'bed']);
    const { text } = await pdfText(modelOf(invoice));
    expectInOrder(text, ['Invoice', `Number ${invoice.number}`, 'Date 1 November 2026', 'Period October 2026', 'Due 1 December 2026', 'Purchase order NCL-PO-77, NCL-PO-80']);
    // The council's invoice address (reference data) and our remittance details.
    expectInOrder(text, ['To', ...customerOf('391').invoiceAddress, 'DfE LA number 391']);
    let at = text.indexOf('Description Purchase order Nights Weekly rate VAT code Net VAT');
    expect(at).toBeGreaterThan(0);
    for (const line of invoice.lines) at = expectInOrder(text, lineCells(line), at);
    expectInOrder(text, [`Net ${formatPence(invoice.netPence)}`, `VAT ${formatPence(invoice.vatPence)}`, `Total due ${formatPence(invoice.grossPence)}`], at);
    expectInOrder(text, [`Payment of ${formatPence(invoice.grossPence)} is due by 1 December 2026`, 'How to pay', `Sort code: ${INVOICING_SETTINGS.issuer.remittance.sortCode}`, `Account number: ${INVOICING_SETTINGS.issuer.remittance.accountNumber}`]);
    // Every figure of the JSON document is there: each line's net and VAT, and the totals.
    const figures = [...invoice.lines.flatMap((l) => [l.netPence, l.vatPence]), invoice.netPence, invoice.vatPence, invoice.grossPence];
    for (const pence of figures) expect(text).toContain(formatPence(pence));
    console.log(`invoice PDF: ${invoice.number}, ${invoice.lines.length} lines, net ${invoice.netPence} VAT ${invoice.vatPence} gross ${invoice.grossPence} pence, all found in the extracted text`);
  });

  it('names homes, never a child: the child appears by the placing council’s reference only', async () => {
    const { text } = await pdfText(modelOf(invoice));
    for (const home of ['Harbour View', 'Purley Close', 'The Links']) expect(text).toContain(home);
    for (const ref of ['NCL-P1', 'NCL-P2', 'NCL-P3']) expect(text).toContain(`child ref ${ref}`);
    expect(text).not.toContain('harbour-view');
  });

  it('a credit note names the original it corrects and says what it credits', async () => {
    expect(creditNote).toMatchObject({ kind: 'credit-note', corrects: invoice.number });
    const { text } = await pdfText(modelOf(creditNote));
    expectInOrder(text, ['Credit note', `Number ${creditNote.number}`, `Corrects ${invoice.number}`]);
    let at = 0;
    for (const line of creditNote.lines) at = expectInOrder(text, lineCells(line), at);
    expectInOrder(text, [`Total credited ${formatPence(creditNote.grossPence)}`, `This credit note reduces the amount due on ${invoice.number} by ${formatPence(-creditNote.grossPence)}`], at);
    console.log(`credit note PDF: ${creditNote.number} corrects ${invoice.number}, ${creditNote.lines.length} line(s), gross ${creditNote.grossPence} pence`);
  });

  it('runs over pages with the heading repeated, and every one of 240 lines still there', async () => {
    const many = Array.from({ length: 80 }, (_, i) => placement({ placementId: `M${String(i).padStart(3, '0')}`, from: '2026-10-05', extras: [{ id: '1-education-place', basis: 'weekly', kind: 'education-place', description: 'Education place', weeklyPence: 30_000 + i, vatCode: 'OS' }, { id: '2-staff', basis: 'weekly', kind: 'additional-staffing', description: 'Additional staffing', weeklyPence: 90_000, vatCode: 'OS' }] }));
    const [draft] = draftCouncilDocuments({ runMonth: '2026-10', placingLa: '391', issueDate: '2026-11-01', paymentTermsDays: 30, placements: many, issued: [], correctionMonths: [] });
    const big: IssuedDocument = { ...draft!, number: number(draft!, 8) };
    const { text, pages } = await pdfText(modelOf(big));
    expect(pages).toBeGreaterThan(5);
    // Every page that carries lines has the table's heading (the last may hold only the totals and how to pay).
    expect(text.split('Description Purchase order Nights Weekly rate VAT code Net VAT').length - 1).toBeGreaterThanOrEqual(pages - 1);
    let at = 0;
    for (const line of big.lines) at = expectInOrder(text, lineCells(line), at);
    expect(big.lines).toHaveLength(240);
    expectInOrder(text, [`Total due ${formatPence(big.grossPence)}`, `page ${pages} of ${pages}`], at);
  });

  it('the same document gives the same bytes (dated by the document, not by when it was drawn)', async () => {
    const [a, b] = await Promise.all([documentPdf(modelOf(invoice)), documentPdf(modelOf(invoice))]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('characters the standard fonts lack print as ?, instead of failing the document', async () => {
    const odd: IssuedDocument = { ...invoice, purchaseOrders: ['PO-東京-1'], lines: invoice.lines.map((l) => ({ ...l, purchaseOrder: 'PO-東京-1' })) };
    const { text } = await pdfText(modelOf(odd));
    expect(text).toContain('PO-??-1');
  });

  it('the printable HTML shows the same lines and totals from the same model', () => {
    const html = invoiceHtml(modelOf(invoice));
    for (const line of invoice.lines) for (const cell of lineCells(line)) expect(html).toContain(cell.replace(/&/g, '&amp;'));
    expect(html).toContain(`Total due</td><td class="n">${formatPence(invoice.grossPence)}`);
  });
});
