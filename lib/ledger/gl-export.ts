import { toCsv } from '#lib/csv';
import { CHART } from './chart';
import type { Journal } from './journal';

export const GL_EXPORT_COLUMNS = [
  'journal',
  'date',
  'period',
  'cost_centre',
  'subjective',
  'account_name',
  'debit_pence',
  'credit_pence',
  'description',
  'source_type',
  'source_id',
  'reverses',
  'analysis',
] as const;

/** One CSV row per journal line, in the layout a council's general ledger imports. */
export function glExportCsv(journals: readonly Journal[]): string {
  const rows = journals.flatMap((j) =>
    j.lines.map((line) => {
      const account = CHART.get(line.account);
      return [
        j.idempotencyKey,
        j.date,
        j.date.slice(0, 7),
        account?.costCentre ?? line.account.slice(0, 5),
        account?.subjective ?? line.account.slice(6),
        account?.name ?? '',
        line.debitPence,
        line.creditPence,
        j.description,
        j.source.type,
        j.source.id,
        j.reverses ?? '',
        Object.entries(line.analysis)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => `${k}=${v}`)
          .join(';'),
      ];
    }),
  );
  return toCsv(GL_EXPORT_COLUMNS, rows);
}
