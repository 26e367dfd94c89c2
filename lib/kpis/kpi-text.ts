import { formatPence } from '#lib/money';
import type { KpiReport } from './kpi-report';

/**
 * The KPIs as plain-text tables for a terminal (`npm run report -- kpis`):
 * money as £ with two decimals, percentages with two. Pure.
 */

type Cell = string | number;

/** Columns padded to their widest cell; numbers (and £ amounts) right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, i) => Math.max(...text.map((row) => row[i]?.length ?? 0)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number' || /^[-+]?£?[\d,.]+%?$|^-£/.test(String(row[i]))));
  const line = (row: string[]) => row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(text[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n');
}

const percent = (value: number | null) => (value === null ? '-' : `${value.toFixed(2)}%`);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function kpisAsText(report: KpiReport): string {
  const { period, placementsAgreed, occupancy, endings, income, section17 } = report;
  const out: string[] = [];
  const section = (title: string, body: string) => out.push(`${title}\n${body}\n`);

  out.push(`KPIs for ${period.from} to ${period.to} (exclusive): ${period.nights} nights\n`);

  section(
    `Placements agreed: ${placementsAgreed.count} (business case: ${placementsAgreed.yearlyTarget} a year)`,
    placementsAgreed.byPlacingAuthority.length === 0
      ? '  none'
      : textTable(['placing council', 'LA', 'agreed'], placementsAgreed.byPlacingAuthority.map((la) => [la.name, la.laNumber, la.count])),
  );

  const occupancyRow = (name: string, f: KpiReport['occupancy']['overall']): Cell[] => [
    name,
    f.beds,
    f.sellableBedNights,
    f.plannedBedNights,
    f.occupiedBedNights,
    f.targetBedNights,
    percent(f.plannedPercent),
    percent(f.occupiedPercent),
    signed(f.againstTargetBedNights),
  ];
  section(
    `Occupancy of sellable beds (bed nights; target ${occupancy.targetPercent}% = ${occupancy.targetBedNightsPerBedYear} of 365 a bed)`,
    textTable(
      ['home', 'beds', 'sellable', 'planned', 'actual', 'target', 'planned %', 'actual %', 'vs target'],
      [...occupancy.homes.map((h) => occupancyRow(h.name, h)), occupancyRow('All homes', occupancy.overall)],
    ),
  );

  section(
    `Endings: ${endings.total} (planned move-ons ${endings.plannedMoveOns}, breakdowns ${endings.breakdowns}; ${endings.movesWithinHome} bed move(s) within a home not counted; business case: ${endings.yearlyPlannedMoveOnsTarget} planned move-ons a year)`,
    endings.byReason.length === 0
      ? '  none'
      : textTable(['SSDA903 reason', 'label', 'planned', 'endings'], endings.byReason.map((r) => [r.code, r.label, r.planned ? 'planned' : 'unplanned', r.count])),
  );

  if (income.available) {
    section(
      'Income invoiced (documents issued in the period)',
      textTable(
        ['placing council', 'LA', 'invoices', 'credit notes', 'net', 'VAT', 'gross'],
        [
          ...income.byPlacingAuthority.map((la) => [la.name, la.laNumber, la.invoices, la.creditNotes, formatPence(la.netPence), formatPence(la.vatPence), formatPence(la.grossPence)]),
          ['All councils', '', income.total.invoices, income.total.creditNotes, formatPence(income.total.netPence), formatPence(income.total.vatPence), formatPence(income.total.grossPence)],
        ],
      ),
    );
  } else {
    section('Income invoiced', `  not available: ${income.reason}`);
  }

  section(
    'Section 17 spend in the period',
    textTable(['account', 'name', 'spend'], section17.spendInPeriod.map((a) => [a.account, a.name, formatPence(a.pence)])),
  );
  for (const fy of section17.financialYears) {
    section(
      `Section 17, financial year ${fy.financialYear}/${String((fy.financialYear + 1) % 100).padStart(2, '0')} to date (as at ${fy.asAt}), against budget and the 2016/17 baseline`,
      textTable(
        ['account', 'name', 'spend to date', 'budget', 'baseline to date', 'saving to date'],
        fy.accounts.map((a) => [a.account, a.name, formatPence(a.spendPence), a.budgetPence === null ? '-' : formatPence(a.budgetPence), formatPence(a.baselineToDatePence), formatPence(a.savingsToDatePence)]),
      ),
    );
  }
  return out.join('\n');
}
