import { formatPence } from '#lib/money';
import { longDate, longMonth, remittanceLines, type DocumentModel } from '#lib/invoicing';
import type { DocumentDelivery } from '#lib/contracts/delivery-requests';

/** The e-mail's subject and text for a document (the PDF travels beside it), from the document's model. */
export function documentEmailText(model: DocumentModel, request: Pick<DocumentDelivery, 'purpose' | 'reminder'>): { subject: string; text: string } {
  const what = `${model.title.toLowerCase()} ${model.number}`;
  const reference = `Purchase order${model.purchaseOrders.length > 1 ? 's' : ''}: ${model.purchaseOrders.join(', ')}`;
  const pay = ['How to pay:', ...remittanceLines(model.from).map((l) => `  ${l}`), `Please quote ${model.number} as the payment reference.`];
  const sign = ['', `${model.from.name}`, `${model.from.department}`, `${model.from.email} · ${model.from.phone}`];
  if (request.reminder) {
    const { daysOverdue, outstandingPence } = request.reminder;
    return {
      subject: `Reminder: ${what} is ${daysOverdue} days overdue (${formatPence(outstandingPence)} outstanding)`,
      text: [
        'Dear Accounts Payable,',
        '',
        `Our records show that ${what} dated ${longDate(model.issueDate)}, due on ${longDate(model.dueDate)}, is ${daysOverdue} days overdue: ${formatPence(outstandingPence)} of ${formatPence(model.grossPence)} is still outstanding.`,
        reference,
        '',
        'If you have paid it in the last few days, thank you, and please send remittance advice. A copy is attached.',
        '',
        ...pay,
        ...sign,
      ].join('\n'),
    };
  }
  const copy = request.purpose === 'resend' ? ' (copy)' : '';
  const amount =
    model.kind === 'credit-note'
      ? `It credits ${formatPence(Math.abs(model.grossPence))} against ${model.corrects ?? 'your account'}.`
      : `${formatPence(model.grossPence)} is due by ${longDate(model.dueDate)}.`;
  return {
    subject: `${model.title} ${model.number} from ${model.from.name}${copy}`,
    text: [
      'Dear Accounts Payable,',
      '',
      `Please find attached ${what}${copy} dated ${longDate(model.issueDate)} for placements in ${longMonth(model.period)}${model.corrects ? `, correcting ${model.corrects}` : ''}.`,
      reference,
      amount,
      '',
      ...(model.kind === 'credit-note' ? [] : pay),
      ...sign,
    ].join('\n'),
  };
}
