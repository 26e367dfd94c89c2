import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { spreadsheetSafe, toCsv } from '#lib/csv';
import { managerRoutes } from '#lib/api/routes/index';
import type { Route } from '#lib/http/router';
import { computeKpis, kpisCsv } from '#lib/kpis/kpi-report';
import { glExportCsv } from '#lib/ledger/gl-export';
import { Journal } from '#lib/ledger/journal';

/**
 * One spreadsheet-safe CSV writer (lib/csv.ts) behind every export, and a
 * test per export that a hostile text value reaches the file as text: per
 * OWASP's CSV injection guidance, no cell may start with = + - @, a tab or
 * a carriage return. (The invoice CSV's own test is in invoicing-exports.)
 */

const HOSTILE = ['=HYPERLINK("http://evil.example","Click")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A2)', '\t=1', '\r=1'];
const FORMULA_START = /^[=+\-@\t\r]/;

/** Every text cell of a CSV (numbers are numbers, never formulas). */
function cells(csv: string): string[] {
  return (parse(csv, { relax_column_count: true }) as string[][]).flat();
}

function expectNoFormula(csv: string) {
  const formulas = cells(csv).filter((cell) => FORMULA_START.test(cell) && !/^-\d+(\.\d+)?$/.test(cell));
  expect(formulas).toEqual([]);
}

const route = (method: string, path: string) => {
  const found = (managerRoutes as readonly Route<unknown>[]).find((r) => r.method === method && r.path === path);
  if (!found?.renderAs?.csv) throw new Error(`${method} ${path} has no CSV`);
  return (answer: unknown) => found.renderAs!.csv!(answer as never) as string;
};

describe('the CSV writer', () => {
  it('prefixes a text cell a spreadsheet would read as a formula, header included, and leaves numbers alone', () => {
    expect(HOSTILE.map(spreadsheetSafe).every((cell) => cell.startsWith("'"))).toBe(true);
    expect(spreadsheetSafe('NE29 6AA')).toBe('NE29 6AA');
    const csv = toCsv(['=name', 'pence'], [['=1+1', -500], [null, 0], ['a, "quoted" one', 12]]);
    expect(csv).toBe(`'=name,pence\r\n'=1+1,-500\r\n,0\r\n"a, ""quoted"" one",12\r\n`);
  });

  it('quotes a cell holding a line break of its own, so a multi-line description stays in its row', () => {
    const csv = toCsv(['description', 'pence'], [['Taxi to school\nand back', 1200], ['one\rtwo', 5], ['both\r\nends', 7]]);
    expect(csv).toBe(`description,pence\r\n"Taxi to school\nand back",1200\r\n"one\rtwo",5\r\n"both\r\nends",7\r\n`);
    expect(parse(csv, { cast: false })).toEqual([
      ['description', 'pence'],
      ['Taxi to school\nand back', '1200'],
      ['one\rtwo', '5'],
      ['both\r\nends', '7'],
    ]);
  });
});

describe('every export is spreadsheet-safe', () => {
  it('the GL export', () => {
    const journal = Journal.parse({
      idempotencyKey: '=key',
      date: '2026-11-30',
      description: HOSTILE[0],
      source: { type: 'adjustment', id: '@source' },
      lines: [
        { account: '04130-3019', debitPence: 100, analysis: { team: HOSTILE[1] } },
        { account: '99000-9300', creditPence: 100, analysis: { '=k': 'v' } },
      ],
    });
    const csv = glExportCsv([journal]);
    expectNoFormula(csv);
    expect(cells(csv)).toContain(`'${HOSTILE[0]}`);
  });

  it('the KPIs', () => {
    const report = computeKpis({ period: { from: '2026-04-01', to: '2026-05-01' }, homes: [], placementsByBed: new Map(), documents: [], journals: [] });
    const hostile = { ...report, occupancy: { ...report.occupancy, homes: [{ ...report.occupancy.overall, homeId: HOSTILE[3], name: HOSTILE[0] }] } };
    const csv = kpisCsv(hostile as never);
    expectNoFormula(csv);
    expect(cells(csv)).toContain(`'${HOSTILE[3]}`);
  });

  it('the trial balance', () => {
    const csv = route('GET', '/api/ledger/trial-balance')({
      asAt: '2026-11-30',
      accounts: [{ account: '04130-3019', name: HOSTILE[0], type: 'expense', debitPence: 100, creditPence: 0, balancePence: 100 }],
      totalDebitPence: 100,
      totalCreditPence: 100,
      balanced: true,
    });
    expectNoFormula(csv);
  });

  it.each(['team', 'child', 'category', 'account', 'month'])('Section 17 spend by %s', (by) => {
    const csv = route('GET', '/api/section17/reports/spend')({ from: '2026-04', to: '2026-11', by, rows: HOSTILE.map((key, i) => ({ key, pence: i - 3 })), totalPence: 0 });
    expectNoFormula(csv);
    expect(cells(csv)).toContain(`'${HOSTILE[0]}`);
  });

  it('the Section 17 budget report', () => {
    const csv = route('GET', '/api/section17/reports/budget')({
      financialYear: 2026,
      asAt: '2026-11-30',
      accounts: [{ account: HOSTILE[2], spendPence: -5, budgetPence: null, baselineToDatePence: 1, savingsToDatePence: -4 }],
      savingsTarget: { account: 'x', pence: 1, achievedPence: 1 },
    });
    expectNoFormula(csv);
    expect(cells(csv)).toContain(`'${HOSTILE[2]}`);
  });

  it('the Section 17 decisions report', () => {
    const csv = route('GET', '/api/section17/reports/decisions')({
      financialYear: 2026,
      refusedByRule: [{ rule: HOSTILE[4], count: 1, pence: 1 }],
      approvedByRole: [{ role: HOSTILE[5], count: 1, pence: 1 }],
    });
    expectNoFormula(csv);
  });
});
