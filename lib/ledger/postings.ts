import { ACCOUNTS } from './chart';
import type { JournalInput } from './journal';

/** An issued invoice (positive) or credit note (negative) to a placing council. */
export interface SalesDocument {
  number: string;
  kind: 'invoice' | 'credit-note';
  issueDate: string;
  placingLa: string;
  netPence: number;
}

/**
 * The journal an invoice posts: debit the council's debtor account, credit
 * placement income. A credit note posts the reverse. Keyed on the document
 * number, so posting it twice posts it once.
 */
export function journalForDocument(doc: SalesDocument): JournalInput {
  const amount = Math.abs(doc.netPence);
  const debtor = { account: ACCOUNTS.debtorsControl, analysis: { placingLa: doc.placingLa } };
  const income = { account: ACCOUNTS.placementIncome, analysis: { placingLa: doc.placingLa } };
  const isInvoice = doc.kind === 'invoice';
  return {
    idempotencyKey: `${doc.kind}:${doc.number}`,
    date: doc.issueDate,
    description: `${isInvoice ? 'Invoice' : 'Credit note'} ${doc.number} to LA ${doc.placingLa}`,
    source: { type: doc.kind, id: doc.number },
    lines: isInvoice
      ? [{ ...debtor, debitPence: amount }, { ...income, creditPence: amount }]
      : [{ ...income, debitPence: amount }, { ...debtor, creditPence: amount }],
  };
}
