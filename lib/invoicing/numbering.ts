import { financialYearOf } from '#lib/time/calendar';

/**
 * Invoice numbers: `<prefix>-<FY>-<000001>`, where FY is the April–March year
 * of the issue date written as its two years (`2627` for 2026/27). Numbers run
 * without gaps within a year; March's invoices, issued on 1 April, open the
 * new year's sequence. The counter itself lives in the invoices table and is
 * advanced in the same transaction as the document it numbers.
 */
export function financialYearLabel(issueDate: string): string {
  const start = financialYearOf(issueDate);
  return `${String(start % 100).padStart(2, '0')}${String((start + 1) % 100).padStart(2, '0')}`;
}

export function formatDocumentNumber(prefix: string, issueDate: string, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > 999_999) throw new Error(`sequence out of range: ${sequence}`);
  return `${prefix}-${financialYearLabel(issueDate)}-${String(sequence).padStart(6, '0')}`;
}
