import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { managerRoutes } from '#lib/api/routes/index';
import type { Caller } from '#lib/auth/caller';
import type { Route } from '#lib/http/router';
import { overrideReport, type OverrideLogEntry } from '#lib/placements/override-report';

/** The override report: counts by rule, person and month, every month shown, each override listed. */

const head: Caller = { subject: 'hos-1', name: 'the.head@council.example', roles: ['head-of-service'] };
const deputy: Caller = { subject: 'hos-2', name: 'the.deputy@council.example', roles: ['head-of-service'] };

function entry(at: string, by: Caller, rules: string[], kind: 'offer' | 'admission' | 'move' = 'admission'): OverrideLogEntry {
  return {
    month: at.slice(0, 7),
    referralId: `R-${at}`,
    homeId: 'purley-close',
    bedId: 'pur-3',
    override: {
      rules: rules.map((rule) => ({ rule: rule as never, reason: `${rule} broken` })),
      reason: 'an emergency with no other bed in the region',
      givenWith: { kind, id: `id-${at}` },
      decision: { by, at },
    },
  };
}

describe('the override report', () => {
  it('counts each override once per rule, per person and per month, with the months that had none', () => {
    // Prepare: three overrides over two months of a three-month report, one outside it
    const entries = [
      entry('2027-01-20T10:00:00.000Z', deputy, ['age']),
      entry('2026-11-05T10:00:00.000Z', head, ['placement-type', 'registration', 'kind', 'sex', 'needs']),
      entry('2026-11-28T10:00:00.000Z', head, ['age', 'sex'], 'offer'),
      entry('2027-02-01T10:00:00.000Z', head, ['budget']),
    ];

    // Act
    const report = overrideReport(entries, '2026-11', '2027-01');

    // Assess
    expect(report.count).toBe(3);
    expect(report.byRule).toEqual([
      { rule: 'age', count: 2 },
      { rule: 'sex', count: 2 },
      { rule: 'kind', count: 1 },
      { rule: 'needs', count: 1 },
      { rule: 'placement-type', count: 1 },
      { rule: 'registration', count: 1 },
    ]);
    expect(report.byPerson).toEqual([
      { subject: 'hos-1', name: 'the.head@council.example', count: 2 },
      { subject: 'hos-2', name: 'the.deputy@council.example', count: 1 },
    ]);
    expect(report.byMonth).toEqual([
      { month: '2026-11', count: 2 },
      { month: '2026-12', count: 0 },
      { month: '2027-01', count: 1 },
    ]);
    expect(report.overrides.map((o) => [o.at, o.decision, o.by.subject])).toEqual([
      ['2026-11-05T10:00:00.000Z', 'admission', 'hos-1'],
      ['2026-11-28T10:00:00.000Z', 'offer', 'hos-1'],
      ['2027-01-20T10:00:00.000Z', 'admission', 'hos-2'],
    ]);
  });
});

describe('the override report as CSV', () => {
  it('has a row per rule, person and month, and a name that looks like a formula stays text', () => {
    // Prepare: a head of service whose sign-in name a spreadsheet would read as a formula
    const hostile: Caller = { subject: 'hos-3', name: '=HYPERLINK("http://evil.example","x")', roles: ['head-of-service'] };
    const report = overrideReport([entry('2026-11-05T10:00:00.000Z', hostile, ['age', 'sex'])], '2026-11', '2026-12');
    const route = (managerRoutes as readonly Route<unknown>[]).find((r) => r.path === '/api/reports/overrides')!;

    // Act
    const rows = parse(route.renderAs!.csv!(report as never) as string) as string[][];

    // Assess
    expect(rows).toEqual([
      ['group', 'key', 'name', 'count'],
      ['rule', 'age', '', '1'],
      ['rule', 'sex', '', '1'],
      ['person', 'hos-3', `'=HYPERLINK("http://evil.example","x")`, '1'],
      ['month', '2026-11', '', '1'],
      ['month', '2026-12', '', '0'],
    ]);
  });
});
