import { ACCOUNTS } from './chart';
import type { JournalInput, JournalLineInput } from './journal';

/** An issued invoice (positive amounts) or credit note (negative amounts) to a placing council. */
export interface SalesDocument {
  number: string;
  kind: 'invoice' | 'credit-note';
  issueDate: string;
  placingLa: string;
  netPence: number;
  vatPence: number;
}

/**
 * The journal an invoice posts: debit the council's debtor account with what it owes (gross), credit
 * placement income with the net and the VAT output account with the VAT, so the debtors control
 * always equals the councils' open items. A credit note posts the reverse. Keyed on the document
 * number, so posting it twice posts it once.
 */
export function journalForDocument(doc: SalesDocument): JournalInput {
  const net = Math.abs(doc.netPence);
  const vat = Math.abs(doc.vatPence);
  const analysis = { placingLa: doc.placingLa };
  const isInvoice = doc.kind === 'invoice';
  const side = (account: string, pence: number, debit: boolean): JournalLineInput => ({ account, analysis, ...(debit ? { debitPence: pence } : { creditPence: pence }) });
  const debtor = side(ACCOUNTS.debtorsControl, net + vat, isInvoice);
  const income = [side(ACCOUNTS.placementIncome, net, !isInvoice), side(ACCOUNTS.vatOutput, vat, !isInvoice)].filter((line) => (line.debitPence ?? line.creditPence ?? 0) > 0);
  return {
    idempotencyKey: `${doc.kind}:${doc.number}`,
    date: doc.issueDate,
    description: `${isInvoice ? 'Invoice' : 'Credit note'} ${doc.number} to LA ${doc.placingLa}`,
    source: { type: doc.kind, id: doc.number },
    lines: isInvoice ? [debtor, ...income] : [...income, debtor],
  };
}
