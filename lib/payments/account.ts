import { daysBetween } from '#lib/time/calendar';
import type { Allocation, DocumentAmount, Remittance } from './payments';

/**
 * A placing council's account with us, from what is stored: the documents
 * issued to it, the remittances received from it, and the allocations made.
 * Open items, statements and aged debt are all read from this one shape, so
 * they agree: the open items' total is the statement's closing balance, and
 * both equal the council's share of the debtors control account.
 */
export interface CouncilAccount {
  placingLa: string;
  documents: readonly DocumentAmount[];
  remittances: readonly Remittance[];
  allocations: readonly Allocation[];
}

export type OpenItemKind = DocumentAmount['kind'] | 'unallocated-cash';

export interface OpenItem {
  kind: OpenItemKind;
  /** The document number, or the remittance id. */
  ref: string;
  /** Issue date, or the day the money came in. */
  date: string;
  /** When it falls due for ageing: a document's due date; a payment's date received. */
  dueDate: string;
  /** Signed: what is owed is positive; credit and cash held negative. */
  originalPence: number;
  outstandingPence: number;
  daysPastDue: number;
  /** The remittance's reference, the document a credit note corrects. */
  reference?: string;
}

/** Everything still open on `asAt` (documents issued, money received and allocations made up to that day). */
export function openItems(account: CouncilAccount, asAt: string): OpenItem[] {
  const allocations = account.allocations.filter((a) => a.date <= asAt);
  const settled = new Map<string, number>();
  const add = (key: string, pence: number) => settled.set(key, (settled.get(key) ?? 0) + pence);
  for (const a of allocations) {
    add(`DOC#${a.invoice}`, a.amountPence);
    if (a.source.type === 'credit-note') add(`DOC#${a.source.number}`, a.amountPence);
    else add(`REMIT#${a.source.remittanceId}`, a.amountPence);
  }
  const items: OpenItem[] = [];
  for (const d of account.documents) {
    if (d.issueDate > asAt) continue;
    const used = settled.get(`DOC#${d.number}`) ?? 0;
    const outstanding = d.kind === 'credit-note' ? d.grossPence + used : d.grossPence - used;
    if (outstanding === 0) continue;
    items.push({
      kind: d.kind,
      ref: d.number,
      date: d.issueDate,
      dueDate: d.dueDate,
      originalPence: d.grossPence,
      outstandingPence: outstanding,
      daysPastDue: daysBetween(d.dueDate, asAt),
      ...(d.corrects ? { reference: d.corrects } : {}),
    });
  }
  for (const r of account.remittances) {
    if (r.date > asAt) continue;
    const unallocated = r.amountPence - (settled.get(`REMIT#${r.remittanceId}`) ?? 0);
    if (unallocated === 0) continue;
    items.push({ kind: 'unallocated-cash', ref: r.remittanceId, date: r.date, dueDate: r.date, originalPence: -r.amountPence, outstandingPence: -unallocated, daysPastDue: daysBetween(r.date, asAt), reference: r.reference });
  }
  return items.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.ref.localeCompare(b.ref));
}

export interface StatementLine {
  date: string;
  kind: OpenItemKind | 'payment';
  ref: string;
  description: string;
  /** Debit (a document issued) positive; credit (a credit note, a payment) negative. */
  amountPence: number;
  balancePence: number;
}

export interface Statement {
  placingLa: string;
  from: string;
  to: string;
  openingBalancePence: number;
  lines: StatementLine[];
  documentsPence: number;
  paymentsPence: number;
  closingBalancePence: number;
}

const TITLES: Record<DocumentAmount['kind'], string> = { invoice: 'Invoice', 'supplementary-invoice': 'Supplementary invoice', 'credit-note': 'Credit note' };

/**
 * The council's statement for the days `from` … `to` (inclusive): the balance
 * brought forward, each document issued and payment received in date order
 * with the running balance, and the balance carried forward. Allocations do
 * not move the balance (they say which documents a payment settled).
 */
export function statement(account: CouncilAccount, from: string, to: string): Statement {
  const movements = [
    ...account.documents.map((d) => ({ date: d.issueDate, kind: d.kind as StatementLine['kind'], ref: d.number, description: `${TITLES[d.kind]} ${d.number}${d.corrects ? ` (corrects ${d.corrects})` : ''}, due ${d.dueDate}`, amountPence: d.grossPence })),
    ...account.remittances.map((r) => ({ date: r.date, kind: 'payment' as const, ref: r.remittanceId, description: `Payment received${r.reference ? `, reference ${r.reference}` : ''}`, amountPence: -r.amountPence })),
  ].sort((a, b) => a.date.localeCompare(b.date) || (a.kind === 'payment' ? 1 : 0) - (b.kind === 'payment' ? 1 : 0) || a.ref.localeCompare(b.ref));
  const opening = movements.filter((m) => m.date < from).reduce((s, m) => s + m.amountPence, 0);
  let balance = opening;
  const lines: StatementLine[] = movements
    .filter((m) => m.date >= from && m.date <= to)
    .map((m) => {
      balance += m.amountPence;
      return { ...m, balancePence: balance };
    });
  const documentsPence = lines.filter((l) => l.kind !== 'payment').reduce((s, l) => s + l.amountPence, 0);
  const paymentsPence = lines.filter((l) => l.kind === 'payment').reduce((s, l) => s - l.amountPence, 0);
  return { placingLa: account.placingLa, from, to, openingBalancePence: opening, lines, documentsPence, paymentsPence, closingBalancePence: balance };
}

export const AGE_BANDS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export function ageBand(daysPastDue: number): AgeBand {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return '1-30';
  if (daysPastDue <= 60) return '31-60';
  if (daysPastDue <= 90) return '61-90';
  return '90+';
}

export interface AgedRow {
  placingLa: string;
  bands: Record<AgeBand, number>;
  totalPence: number;
}

export interface AgedDebt {
  asAt: string;
  councils: AgedRow[];
  totals: AgedRow['bands'];
  totalPence: number;
}

const emptyBands = (): Record<AgeBand, number> => ({ current: 0, '1-30': 0, '31-60': 0, '61-90': 0, '90+': 0 });

/**
 * Aged debt on `asAt`: each council's open items by days past due (current,
 * 1–30, 31–60, 61–90, 90+). Credit and unallocated cash are aged like debt
 * (a credit note by its due date, cash by the day it came in), so each
 * council's total is its statement's closing balance on that day.
 */
export function agedDebt(accounts: readonly CouncilAccount[], asAt: string): AgedDebt {
  const councils = accounts
    .map((account) => {
      const bands = emptyBands();
      for (const item of openItems(account, asAt)) bands[ageBand(item.daysPastDue)] += item.outstandingPence;
      return { placingLa: account.placingLa, bands, totalPence: AGE_BANDS.reduce((s, b) => s + bands[b], 0) };
    })
    .filter((row) => AGE_BANDS.some((b) => row.bands[b] !== 0))
    .sort((a, b) => a.placingLa.localeCompare(b.placingLa));
  const totals = emptyBands();
  for (const row of councils) for (const b of AGE_BANDS) totals[b] += row.bands[b];
  return { asAt, councils, totals, totalPence: AGE_BANDS.reduce((s, b) => s + totals[b], 0) };
}
