import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { StatusError, type FieldError } from '#lib/errors';
import type { Customer } from '#lib/invoicing';

/**
 * A bank file: the credits on our income account, as a CSV most banks can
 * export ("transactions" download), one row per payment received:
 *
 *   date,amount,reference,payer[,la]
 *   2027-01-12,"4,020.00",NT-2627-000007,GATESHEAD COUNCIL
 *   12/01/2027,1250.5,REMIT 4471,NEWCASTLE UPON TYNE COUNCIL,391
 *
 * `date` is YYYY-MM-DD or DD/MM/YYYY; `amount` pounds and pence (a £ sign
 * and thousands commas allowed, positive only); `reference` the payer's
 * reference; `payer` the name the bank shows; `la` (optional) the council's
 * DfE number where the payer name does not say. Each row's remittance id is
 * a hash of the row and how many identical rows came before it in the file,
 * so importing the same file again (or a later file repeating its rows)
 * records each payment once.
 */

export const BANK_FILE_COLUMNS = ['date', 'amount', 'reference', 'payer'] as const;
export const MAX_BANK_ROWS = 2_000;

export interface BankRow {
  /** 1-based row number after the header, for messages. */
  row: number;
  date: string;
  amountPence: number;
  reference: string;
  payer: string;
  la?: string;
  /** Stable across imports: `bank-<hash>`. */
  remittanceId: string;
}

export class InvalidBankFile extends StatusError {
  constructor(errors: FieldError[]) {
    super(400, 'invalid-bank-file', 'Invalid bank file', `the bank file has ${errors.length} problem(s); nothing was recorded`, { errors: errors.slice(0, 50) });
  }
}

/** `£1,234.5` → 123450; undefined for anything that is not a positive amount of pounds with at most two decimals. */
export function poundsToPence(text: string): number | undefined {
  const match = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const pence = Number(match[1]!.replace(/,/g, '')) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return pence > 0 && Number.isSafeInteger(pence) ? pence : undefined;
}

function isoDate(text: string): string | undefined {
  const t = text.trim();
  const uk = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  const iso = uk ? `${uk[3]}-${uk[2]}-${uk[1]}` : t;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return undefined;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

const normalise = (text: string) => text.trim().replace(/\s+/g, ' ').toUpperCase();

/** Parses and checks every row; any problem refuses the whole file (400 naming each row and field). */
export function parseBankFile(csv: string): BankRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, relax_column_count: false });
  } catch (error) {
    throw new InvalidBankFile([{ field: 'csv', rule: 'invalid_csv', message: `not readable as CSV: ${(error as { code?: string }).code ?? 'parse error'}` }]);
  }
  const errors: FieldError[] = [];
  const header = records.length > 0 ? Object.keys(records[0]!) : [];
  for (const column of BANK_FILE_COLUMNS) {
    if (records.length > 0 && !header.includes(column)) errors.push({ field: `csv.header.${column}`, rule: 'required', message: `the header needs a ${column} column (${BANK_FILE_COLUMNS.join(',')}[,la])` });
  }
  if (records.length === 0) errors.push({ field: 'csv', rule: 'too_small', message: 'the file has no rows after its header' });
  if (records.length > MAX_BANK_ROWS) errors.push({ field: 'csv', rule: 'too_big', message: `at most ${MAX_BANK_ROWS} rows a file` });
  if (errors.length > 0) throw new InvalidBankFile(errors);

  const seen = new Map<string, number>();
  const rows: BankRow[] = [];
  records.forEach((record, i) => {
    const row = i + 1;
    const date = isoDate(record.date ?? '');
    const amountPence = poundsToPence(record.amount ?? '');
    const la = record.la?.trim() || undefined;
    if (!date) errors.push({ field: `rows.${row}.date`, rule: 'invalid_format', message: `row ${row}: date must be YYYY-MM-DD or DD/MM/YYYY` });
    if (amountPence === undefined) errors.push({ field: `rows.${row}.amount`, rule: 'invalid_format', message: `row ${row}: amount must be a positive sum of pounds, e.g. 1234.56` });
    if ((record.reference ?? '').length > 200) errors.push({ field: `rows.${row}.reference`, rule: 'too_big', message: `row ${row}: reference over 200 characters` });
    if (!(record.payer ?? '').trim() && !la) errors.push({ field: `rows.${row}.payer`, rule: 'required', message: `row ${row}: a payer (or an la column) is needed` });
    if (la !== undefined && !/^[2-9]\d{2}$/.test(la)) errors.push({ field: `rows.${row}.la`, rule: 'invalid_format', message: `row ${row}: la must be a DfE local authority number` });
    if (!date || amountPence === undefined) return;
    const reference = (record.reference ?? '').trim();
    const payer = normalise(record.payer ?? '');
    const identity = [date, amountPence, reference, payer, la ?? ''].join('|');
    const occurrence = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, occurrence);
    const remittanceId = `bank-${createHash('sha256').update(`${identity}|${occurrence}`).digest('hex').slice(0, 24)}`;
    rows.push({ row, date, amountPence, reference, payer, ...(la ? { la } : {}), remittanceId });
  });
  if (errors.length > 0) throw new InvalidBankFile(errors);
  return rows;
}

/** The council a row's money came from: its `la` column, else the payer name as the council's reference data names it. */
export function councilOf(row: BankRow, customers: readonly Customer[]): string | undefined {
  if (row.la) return row.la;
  const payer = normalise(row.payer);
  return customers.find((c) => c.payerNames.some((n) => normalise(n) === payer) || normalise(c.name) === payer)?.laNumber;
}

/** The document numbers a payment's reference names (payers quote the invoice number). */
export function documentNumbersIn(reference: string): string[] {
  return [...new Set(reference.toUpperCase().match(/\b[A-Z][A-Z0-9]{0,7}-\d{4}-\d{6}\b/g) ?? [])];
}
