import { toCsv, type CsvCell } from '#lib/csv';
import * as z from '#lib/validation';
import type { Home } from '#lib/estate';
import type { Journal } from '#lib/ledger';
import { daysBetween } from '#lib/time/calendar';
import { incomeInvoiced, type DocumentHeader } from './income';
import { occupancy, OCCUPANCY_TARGET_PERCENT, TARGET_NIGHTS_PER_BED_YEAR } from './occupancy';
import type { ClosedPeriod } from '#lib/time/period';
import type { KpiPlacement } from '#lib/placements';
import { endings, placementsAgreed } from './placements';
import { section17Kpis, spendOfJournals, type Section17Spend } from './section17';

/**
 * The council's KPIs for a period (design §3): placements agreed; occupancy
 * planned and actual against the 80% target, per home and overall; planned
 * move-ons and breakdowns; income invoiced by placing council; Section 17
 * spend against budget and baseline. Pure: the figures are a function of the
 * homes, placements, documents and journals given. Money is integer pence.
 */

/** Longest period the KPIs are worked out for: three years of nights. */
export const MAX_KPI_PERIOD_NIGHTS = 1_096;

const Int = z.int();
const Pence = z.int();
const Percent = z.nullable(z.number());

const OccupancyFigures = z.object({
  beds: Int,
  sellableBedNights: Int,
  outOfUseBedNights: Int,
  occupiedBedNights: Int,
  plannedBedNights: Int,
  targetBedNights: Int,
  occupiedPercent: Percent,
  plannedPercent: Percent,
  againstTargetBedNights: Int,
  againstPlanBedNights: Int,
});

const CouncilIncome = z.object({
  laNumber: z.string(),
  name: z.string(),
  invoices: Int,
  creditNotes: Int,
  netPence: Pence,
  vatPence: Pence,
  grossPence: Pence,
});

export const KpiReport = z.object({
  period: z.object({ from: z.string(), to: z.string(), nights: Int }),
  placementsAgreed: z.object({
    count: Int,
    byPlacingAuthority: z.array(z.object({ laNumber: z.string(), name: z.string(), count: Int })),
    yearlyTarget: Int,
  }),
  occupancy: z.object({
    targetPercent: z.number(),
    targetBedNightsPerBedYear: Int,
    overall: OccupancyFigures,
    homes: z.array(z.extend(OccupancyFigures, { homeId: z.string(), name: z.string(), keptBackBeds: Int })),
  }),
  endings: z.object({
    total: Int,
    plannedMoveOns: Int,
    breakdowns: Int,
    movesWithinHome: Int,
    byReason: z.array(z.object({ code: z.string(), label: z.string(), planned: z.boolean(), count: Int })),
    yearlyPlannedMoveOnsTarget: Int,
  }),
  income: z.discriminatedUnion('available', [
    z.object({ available: z.literal(true), byPlacingAuthority: z.array(CouncilIncome), total: z.omit(CouncilIncome, { laNumber: true, name: true }) }),
    z.object({ available: z.literal(false), reason: z.string() }),
  ]),
  section17: z.object({
    spendInPeriod: z.array(z.object({ account: z.string(), name: z.string(), pence: Pence })),
    financialYears: z.array(
      z.object({
        financialYear: Int,
        asAt: z.string(),
        accounts: z.array(
          z.object({
            account: z.string(),
            name: z.string(),
            spendPence: Pence,
            budgetPence: z.nullable(Pence),
            baselineToDatePence: Pence,
            savingsToDatePence: Pence,
          }),
        ),
        savingsTarget: z.object({ account: z.string(), pence: Pence, achievedPence: Pence }),
      }),
    ),
  }),
});
export type KpiReport = z.infer<typeof KpiReport>;

export interface KpiInput {
  period: ClosedPeriod;
  homes: readonly Home[];
  /** Each bed's placements sharing a night with the period (ended ones too), by bed id. */
  placementsByBed: ReadonlyMap<string, readonly KpiPlacement[]>;
  /** Documents of the runs that issue in the period; undefined where invoicing cannot be read. */
  documents: readonly DocumentHeader[] | { unavailable: string };
  /** Journals from the start of the period's first financial year to its last day… */
  journals?: readonly Journal[];
  /** … or the Section 17 spends read from the ledger's balances (section17Ranges). */
  section17Spend?: Section17Spend;
}

export function computeKpis(input: KpiInput): KpiReport {
  const { period } = input;
  // A placement is found once per bed it is in; each is one placement.
  const placements = [...new Map([...input.placementsByBed.values()].flat().map((p) => [p.placementId, p])).values()];
  const occ = occupancy(input.homes, input.placementsByBed, period);
  return {
    period: { ...period, nights: daysBetween(period.from, period.to) },
    placementsAgreed: placementsAgreed(placements, period),
    occupancy: { targetPercent: OCCUPANCY_TARGET_PERCENT, targetBedNightsPerBedYear: TARGET_NIGHTS_PER_BED_YEAR, ...occ },
    endings: endings(placements, period),
    income: 'unavailable' in input.documents ? { available: false, reason: input.documents.unavailable } : { available: true, ...incomeInvoiced(input.documents, period) },
    section17: section17Kpis(input.section17Spend ?? spendOfJournals(input.journals ?? []), period),
  };
}

/** One row per figure, `section,subject,measure,value`: money in pence, percentages with two decimals. */
export function kpisCsv(report: KpiReport): string {
  const rows: CsvCell[][] = [];
  const row = (section: string, subject: string, measure: string, value: string | number | null) => rows.push([section, subject, measure, value ?? '']);
  row('period', 'all', 'from', report.period.from);
  row('period', 'all', 'to_exclusive', report.period.to);
  row('period', 'all', 'nights', report.period.nights);

  row('placements_agreed', 'all', 'count', report.placementsAgreed.count);
  row('placements_agreed', 'all', 'yearly_target', report.placementsAgreed.yearlyTarget);
  for (const la of report.placementsAgreed.byPlacingAuthority) row('placements_agreed', `${la.laNumber} ${la.name}`, 'count', la.count);

  const occupancyRows = (subject: string, f: z.infer<typeof OccupancyFigures>) => {
    row('occupancy', subject, 'sellable_beds', f.beds);
    row('occupancy', subject, 'sellable_bed_nights', f.sellableBedNights);
    row('occupancy', subject, 'out_of_use_bed_nights', f.outOfUseBedNights);
    row('occupancy', subject, 'planned_bed_nights', f.plannedBedNights);
    row('occupancy', subject, 'actual_bed_nights', f.occupiedBedNights);
    row('occupancy', subject, 'target_bed_nights', f.targetBedNights);
    row('occupancy', subject, 'planned_percent', f.plannedPercent === null ? null : f.plannedPercent.toFixed(2));
    row('occupancy', subject, 'actual_percent', f.occupiedPercent === null ? null : f.occupiedPercent.toFixed(2));
    row('occupancy', subject, 'target_percent', report.occupancy.targetPercent.toFixed(2));
    row('occupancy', subject, 'actual_against_target_bed_nights', f.againstTargetBedNights);
  };
  occupancyRows('all', report.occupancy.overall);
  for (const home of report.occupancy.homes) occupancyRows(home.homeId, home);

  row('endings', 'all', 'total', report.endings.total);
  row('endings', 'all', 'planned_move_ons', report.endings.plannedMoveOns);
  row('endings', 'all', 'breakdowns', report.endings.breakdowns);
  row('endings', 'all', 'moves_within_home', report.endings.movesWithinHome);
  row('endings', 'all', 'yearly_planned_move_ons_target', report.endings.yearlyPlannedMoveOnsTarget);
  for (const r of report.endings.byReason) row('endings', `${r.code} ${r.planned ? 'planned' : 'unplanned'}`, 'count', r.count);

  if (report.income.available) {
    for (const la of report.income.byPlacingAuthority) {
      row('income', `${la.laNumber} ${la.name}`, 'invoices', la.invoices);
      row('income', `${la.laNumber} ${la.name}`, 'credit_notes', la.creditNotes);
      row('income', `${la.laNumber} ${la.name}`, 'net_pence', la.netPence);
      row('income', `${la.laNumber} ${la.name}`, 'gross_pence', la.grossPence);
    }
    row('income', 'all', 'net_pence', report.income.total.netPence);
    row('income', 'all', 'gross_pence', report.income.total.grossPence);
  } else {
    row('income', 'all', 'unavailable', report.income.reason);
  }

  for (const a of report.section17.spendInPeriod) row('section17', a.account, 'spend_in_period_pence', a.pence);
  for (const fy of report.section17.financialYears) {
    for (const a of fy.accounts) {
      const subject = `FY${fy.financialYear} ${a.account} as at ${fy.asAt}`;
      row('section17', subject, 'spend_to_date_pence', a.spendPence);
      row('section17', subject, 'budget_pence', a.budgetPence);
      row('section17', subject, 'baseline_to_date_pence', a.baselineToDatePence);
      row('section17', subject, 'savings_to_date_pence', a.savingsToDatePence);
    }
  }
  return toCsv(['section', 'subject', 'measure', 'value'], rows);
}
