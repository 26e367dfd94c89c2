import { describe, expect, it } from 'vitest';
import type { Home } from '#lib/estate/schema';
import type { Journal } from '#lib/ledger/journal';
import { computeKpis, kpisCsv, type KpiReport } from '#lib/kpis/kpi-report';
import { KpiService, runMonthsIssuingIn } from '#lib/kpis/kpi-service';
import { bedNights, plannedStay } from '#lib/kpis/occupancy';
import { kpisAsText } from '#lib/kpis/kpi-text';
import type { DocumentHeader } from '#lib/kpis/income';
import { byBed, kpiHomes, placementOf } from '#tests/support/kpi-world';

/**
 * The occupancy worked example: the financial year 2026/27 (1 April 2026 to
 * 31 March 2027: 365 nights) at Harbour View and Northfield, four sellable
 * beds, with nine placements and a month's refit, worked out by hand below
 * and checked to the night.
 */

const YEAR = { from: '2026-04-01', to: '2027-04-01' };

function homes(): Home[] {
  const list = kpiHomes();
  // nf-2 is out of use for October's refit: the nights of 1 to 30 October.
  list.find((h) => h.id === 'northfield')!.beds.find((b) => b.id === 'nf-2')!.outOfUse = [{ from: '2026-10-01', to: '2026-10-31', reason: 'refit' }];
  return list;
}

const hv = { homeId: 'harbour-view' };
const nf = { homeId: 'northfield' };
const PLACEMENTS = [
  // hv-3. A: in before the year, its planned end (1 June) recorded in March: 61 nights (April 30 + May 31), all planned.
  placementOf({ id: 'A', bedId: 'hv-3', ...hv, start: '2026-01-10', admittedOn: '2026-01-09', end: '2026-06-01', endRecordedOn: '2026-03-15', reason: 'CARPL', planned: true }),
  // B: sold in June (not planned at the start), broke down in December: 15 June – 19 December = 16+31+31+30+31+30+19 = 188.
  placementOf({ id: 'B', bedId: 'hv-3', ...hv, start: '2026-06-15', admittedOn: '2026-06-14', end: '2026-12-20', reason: 'ALLEG', planned: false, placingLa: '391' }),
  // C: sold in January, still there: 4 January – 31 March = 28+28+31 = 87.
  placementOf({ id: 'C', bedId: 'hv-3', ...hv, start: '2027-01-04', placingLa: '394' }),
  // hv-4. D: open-ended at the start (so planned all year, 365), left on 1 September: April – August = 153.
  placementOf({ id: 'D', bedId: 'hv-4', ...hv, start: '2025-11-01', admittedOn: '2025-10-30', end: '2026-09-01', endRecordedOn: '2026-08-25', reason: 'CHILD' }),
  // E: in the day D left: September – March = 30+31+30+31+31+28+31 = 212.
  placementOf({ id: 'E', bedId: 'hv-4', ...hv, start: '2026-09-01', placingLa: '393' }),
  // nf-1. F: leaves on the year's first day: no night in the year (but an ending in it).
  placementOf({ id: 'F', bedId: 'nf-1', ...nf, start: '2026-02-01', end: '2026-04-01', endRecordedOn: '2026-03-01', reason: 'CARPL', planned: true }),
  // G: booked in March for 1 May, open-ended then (planned May – March = 335); ended 1 February: May – January = 276.
  placementOf({ id: 'G', bedId: 'nf-1', ...nf, start: '2026-05-01', admittedOn: '2026-03-20', end: '2027-02-01', endRecordedOn: '2027-01-15', reason: 'LAREQ', planned: true }),
  // nf-2. H: admitted on 1 April (decided in March: planned, open-ended: 365 less October's 30 out-of-use nights = 335); left 1 October: 183.
  placementOf({ id: 'H', bedId: 'nf-2', ...nf, start: '2026-04-01', admittedOn: '2026-03-25', end: '2026-10-01', endRecordedOn: '2026-09-20', reason: 'CARPL', planned: true }),
  // I: in when the refit ended, 31 October; carer asked for an end on 1 March: 31 October – 28 February = 1+30+31+31+28 = 121.
  placementOf({ id: 'I', bedId: 'nf-2', ...nf, start: '2026-10-31', end: '2027-03-01', reason: 'CREQB', planned: false, placingLa: '394' }),
];

function yearKpis(extra: Partial<Parameters<typeof computeKpis>[0]> = {}): KpiReport {
  return computeKpis({ period: YEAR, homes: homes(), placementsByBed: byBed(PLACEMENTS), documents: [], journals: [], ...extra });
}

describe('occupancy over a year, to the night', () => {
  it('counts each bed: sellable, out-of-use, actual and planned nights', () => {
    const [harbour, northfield] = homes() as [Home, Home];
    const nights = (home: Home, bedId: string) => bedNights(home.beds.find((b) => b.id === bedId)!, byBed(PLACEMENTS).get(bedId) ?? [], YEAR);
    expect(nights(harbour, 'hv-3')).toEqual({ sellable: 365, outOfUse: 0, occupied: 61 + 188 + 87, planned: 61 });
    expect(nights(harbour, 'hv-4')).toEqual({ sellable: 365, outOfUse: 0, occupied: 153 + 212, planned: 365 });
    expect(nights(northfield, 'nf-1')).toEqual({ sellable: 365, outOfUse: 0, occupied: 276, planned: 335 });
    expect(nights(northfield, 'nf-2')).toEqual({ sellable: 335, outOfUse: 30, occupied: 183 + 121, planned: 335 });
    // A bed kept for the council's own children is not a sellable bed: none of its nights count.
    expect(nights(harbour, 'hv-1')).toEqual({ sellable: 0, outOfUse: 0, occupied: 0, planned: 0 });
  });

  it('adds up per home and overall, against the 80% target (292 of 365 nights a bed)', () => {
    const { occupancy } = yearKpis();
    expect(occupancy.overall).toEqual({
      beds: 4,
      sellableBedNights: 1_430,
      outOfUseBedNights: 30,
      occupiedBedNights: 1_281,
      plannedBedNights: 1_096,
      // 1,430 × 292 / 365 = 1,144: 80%.
      targetBedNights: 1_144,
      // 1,281 / 1,430 = 89.580…%; 1,096 / 1,430 = 76.643…%
      occupiedPercent: 89.58,
      plannedPercent: 76.64,
      againstTargetBedNights: 137,
      againstPlanBedNights: 185,
    });
    expect(occupancy.homes.map((h) => [h.homeId, h.beds, h.keptBackBeds, h.sellableBedNights, h.occupiedBedNights, h.plannedBedNights, h.targetBedNights, h.occupiedPercent, h.plannedPercent])).toEqual([
      ['harbour-view', 2, 2, 730, 701, 426, 584, 96.03, 58.36],
      ['northfield', 2, 0, 700, 580, 670, 560, 82.86, 95.71],
    ]);
    expect(occupancy.targetPercent).toBe(80);
    expect(occupancy.targetBedNightsPerBedYear).toBe(292);
  });

  it('a bed sold all year is 365 nights, 100%; an empty one 0 nights, 0%, 292 short of target', () => {
    const [harbour] = homes() as [Home];
    const one: Home = { ...harbour, beds: harbour.beds.filter((b) => b.id === 'hv-3' || b.id === 'hv-4') };
    const full = placementOf({ id: 'Z', bedId: 'hv-3', ...hv, start: '2026-01-01', admittedOn: '2026-01-01' });
    const { occupancy } = computeKpis({ period: YEAR, homes: [one], placementsByBed: byBed([full]), documents: [], journals: [] });
    expect(occupancy.overall).toMatchObject({ sellableBedNights: 730, occupiedBedNights: 365, plannedBedNights: 365, targetBedNights: 584, occupiedPercent: 50 });
    const beds = (id: string) => bedNights(one.beds.find((b) => b.id === id)!, byBed([full]).get(id) ?? [], YEAR);
    expect(beds('hv-3')).toMatchObject({ sellable: 365, occupied: 365 });
    expect(beds('hv-4')).toMatchObject({ sellable: 365, occupied: 0 });
  });

  it('counts a period of one night, and a placement that arrives and leaves the same day as no night', () => {
    const same = placementOf({ id: 'S', bedId: 'hv-3', ...hv, start: '2026-07-01', end: '2026-07-01', reason: 'CHILD' });
    const night = placementOf({ id: 'N', bedId: 'hv-4', ...hv, start: '2026-07-01', end: '2026-07-02', reason: 'CARPL', planned: true });
    const { occupancy } = computeKpis({ period: { from: '2026-07-01', to: '2026-07-02' }, homes: homes().slice(0, 1), placementsByBed: byBed([same, night]), documents: [], journals: [] });
    expect(occupancy.overall).toMatchObject({ sellableBedNights: 2, occupiedBedNights: 1, occupiedPercent: 50 });
  });

  it('plans from what was known the day before the period: admission decided before it, and the end only if recorded before it', () => {
    expect(plannedStay(PLACEMENTS[0]!, YEAR.from)).toEqual({ from: '2026-01-10', to: '2026-06-01' });
    expect(plannedStay(PLACEMENTS[3]!, YEAR.from)).toEqual({ from: '2025-11-01' });
    expect(plannedStay(PLACEMENTS[1]!, YEAR.from)).toBeUndefined();
    // Decided at 23:30 UTC on 31 March 2026 = 00:30 BST on 1 April: on the period's first day, so not planned.
    const late = placementOf({ id: 'L', bedId: 'hv-3', ...hv, start: '2026-04-02' });
    expect(plannedStay({ ...late, admitted: { ...late.admitted, at: '2026-03-31T23:30:00.000Z' } }, YEAR.from)).toBeUndefined();
  });
});

describe('placements agreed and endings over the year', () => {
  it('counts admissions starting in the year, by placing council, but not a move to another bed', () => {
    const moved = placementOf({ id: 'M', bedId: 'hv-3', ...hv, start: '2027-03-20', movedFrom: 'C' });
    const { placementsAgreed } = yearKpis({ placementsByBed: byBed([...PLACEMENTS, moved]) });
    expect(placementsAgreed).toEqual({
      count: 6,
      byPlacingAuthority: [
        { laNumber: '390', name: 'Gateshead', count: 2 },
        { laNumber: '391', name: 'Newcastle upon Tyne', count: 1 },
        { laNumber: '393', name: 'South Tyneside', count: 1 },
        { laNumber: '394', name: 'Sunderland', count: 2 },
      ],
      yearlyTarget: 4,
    });
  });

  it('tells planned move-ons from breakdowns by the SSDA903 reason; a bed move within a home is apart', () => {
    const withinHome = placementOf({ id: 'W', bedId: 'hv-3', ...hv, start: '2027-01-04', end: '2027-03-20', movedTo: 'M' });
    const { endings } = yearKpis({ placementsByBed: byBed([...PLACEMENTS, withinHome]) });
    expect(endings).toEqual({
      total: 7,
      plannedMoveOns: 4,
      breakdowns: 3,
      movesWithinHome: 1,
      byReason: [
        { code: 'ALLEG', label: 'Allegation (s47)', planned: false, count: 1 },
        { code: 'CARPL', label: 'Change to/implementation of care plan', planned: true, count: 3 },
        { code: 'CHILD', label: 'Child requests placement end', planned: false, count: 1 },
        { code: 'CREQB', label: "Carer(s) requests placement end due to child's behaviour", planned: false, count: 1 },
        { code: 'LAREQ', label: 'Responsible/area authority requests placement end', planned: true, count: 1 },
      ],
      yearlyPlannedMoveOnsTarget: 4,
    });
  });
});

describe('income invoiced by placing council', () => {
  const doc = (number: string, placingLa: string, issueDate: string, netPence: number, kind: DocumentHeader['kind'] = 'invoice'): DocumentHeader => ({
    number,
    kind,
    placingLa,
    issueDate,
    netPence,
    vatPence: 0,
    grossPence: netPence,
  });

  it('sums documents issued in the period, credit notes taking away; outside the period and repeats are left out', () => {
    const documents = [
      doc('CF-2026-000001', '390', '2026-05-01', 1_206_000),
      doc('CF-2026-000002', '391', '2026-05-01', 803_999),
      doc('CF-2026-000003', '390', '2026-06-01', -57_429, 'credit-note'),
      doc('CF-2026-000003', '390', '2026-06-01', -57_429, 'credit-note'),
      doc('CF-2025-000099', '390', '2026-04-01', 999, 'supplementary-invoice'),
      doc('CF-2027-000001', '390', '2027-04-01', 1),
    ];
    const { income } = yearKpis({ documents });
    expect(income).toEqual({
      available: true,
      byPlacingAuthority: [
        { laNumber: '390', name: 'Gateshead', invoices: 2, creditNotes: 1, netPence: 1_206_000 - 57_429 + 999, vatPence: 0, grossPence: 1_206_000 - 57_429 + 999 },
        { laNumber: '391', name: 'Newcastle upon Tyne', invoices: 1, creditNotes: 0, netPence: 803_999, vatPence: 0, grossPence: 803_999 },
      ],
      total: { invoices: 3, creditNotes: 1, netPence: 1_953_569, vatPence: 0, grossPence: 1_953_569 },
    });
  });

  it('says so when invoicing cannot be read', () => {
    expect(yearKpis({ documents: { unavailable: 'no invoices table' } }).income).toEqual({ available: false, reason: 'no invoices table' });
  });

  it('reads the runs that issue in the period: a run for month m issues on the 1st of m + 1', () => {
    expect(runMonthsIssuingIn(YEAR)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02']);
    expect(runMonthsIssuingIn({ from: '2026-04-15', to: '2026-05-02' })).toEqual(['2026-04']);
    expect(runMonthsIssuingIn({ from: '2026-04-02', to: '2026-05-01' })).toEqual([]);
  });
});

describe('Section 17 spend against budget and baseline', () => {
  const journal = (key: string, date: string, account: string, pence: number): Journal => ({
    idempotencyKey: key,
    date,
    description: 'Section 17 award',
    source: { type: 'section17-award', id: key },
    lines: [
      { account, debitPence: pence, creditPence: 0, analysis: { category: 'food', team: 'north' } },
      { account: '99000-9200', debitPence: 0, creditPence: pence, analysis: {} },
    ],
  });

  it('sums spend in the period and, for the year, spend to date against budget and the 2016/17 baseline pro rata', () => {
    const journals = [journal('a', '2026-04-10', '04130-3019', 25_000), journal('b', '2026-09-30', '04130-2904', 120_000), journal('c', '2026-10-01', '04130-3019', 10_000)];
    const { section17 } = computeKpis({ period: { from: '2026-09-01', to: '2026-10-01' }, homes: [], placementsByBed: new Map(), documents: [], journals });
    expect(section17.spendInPeriod.map((s) => [s.account, s.pence])).toEqual([
      ['04130-3019', 0],
      ['04130-2904', 120_000],
    ]);
    expect(section17.financialYears).toHaveLength(1);
    const [fy] = section17.financialYears as [KpiReport['section17']['financialYears'][number]];
    expect(fy.financialYear).toBe(2026);
    expect(fy.asAt).toBe('2026-09-30');
    // 183 days of 365: £74,213 × 183 / 365 = £37,208.16 of baseline to date for discretionary support.
    expect(fy.accounts[0]).toMatchObject({ account: '04130-3019', spendPence: 25_000, budgetPence: 5_921_300, baselineToDatePence: 3_720_816 });
    expect(fy.accounts[1]).toMatchObject({ account: '04130-2904', spendPence: 120_000 });
  });

  it('reports each financial year a period touches, as at the earlier of its end and the period’s last day', () => {
    const { section17 } = computeKpis({ period: { from: '2026-01-01', to: '2026-07-01' }, homes: [], placementsByBed: new Map(), documents: [], journals: [] });
    expect(section17.financialYears.map((f) => [f.financialYear, f.asAt])).toEqual([
      [2025, '2026-03-31'],
      [2026, '2026-06-30'],
    ]);
  });
});

describe('KPIs as CSV', () => {
  it('one row per figure: section, subject, measure, value', () => {
    const csv = kpisCsv(yearKpis());
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,subject,measure,value');
    expect(lines).toContain('occupancy,all,actual_bed_nights,1281');
    expect(lines).toContain('occupancy,all,actual_percent,89.58');
    expect(lines).toContain('occupancy,harbour-view,planned_bed_nights,426');
    expect(lines).toContain('endings,all,breakdowns,3');
    expect(lines).toContain('placements_agreed,394 Sunderland,count,2');
  });
});

describe('KPIs as text tables (npm run report -- kpis)', () => {
  it('lines up each home and the total, numbers to the right, with the target', () => {
    const text = kpisAsText(yearKpis({ documents: [{ number: 'X-1', kind: 'invoice', placingLa: '390', issueDate: '2026-05-01', netPence: 1_206_000, vatPence: 0, grossPence: 1_206_000 }] }));
    const lines = text.split('\n');
    expect(lines[0]).toBe('KPIs for 2026-04-01 to 2027-04-01 (exclusive): 365 nights');
    expect(lines).toContain('Occupancy of sellable beds (bed nights; target 80% = 292 of 365 a bed)');
    expect(lines.find((l) => l.startsWith('All homes'))).toMatch(/^All homes\s+4\s+1430\s+1096\s+1281\s+1144\s+76\.64%\s+89\.58%\s+\+137$/);
    expect(lines.filter((l) => l.startsWith('Gateshead')).at(-1)).toMatch(/^Gateshead\s+390\s+1\s+0\s+£12,060\.00\s+£0\.00\s+£12,060\.00$/);
    expect(text).toContain('Endings: 7 (planned move-ons 4, breakdowns 3;');
  });
});

describe('the KPI service', () => {
  it("reads every home's KPI book once, tells progress, and gives the same figures as the pure computation", async () => {
    const progress: string[] = [];
    const asked: string[][] = [];
    const service = new KpiService({
      listHomes: async () => homes(),
      placementsOfHomes: async (homeIds) => {
        asked.push([...homeIds]);
        return PLACEMENTS.filter((p) => homeIds.includes(p.homeId));
      },
      journalsInMonth: async () => [],
    });
    const report = await service.kpis(YEAR, (p) => progress.push(`${p.step} ${p.done}/${p.total}`));
    expect(asked.map((ids) => ids.sort())).toEqual([['harbour-view', 'northfield']]);
    expect(progress).toContain('placements 1/1');
    expect(progress).toContain('journals 12/12');
    const { income: _i, ...rest } = report;
    const { income: _j, ...expected } = yearKpis();
    expect(rest).toEqual(expected);
    expect(report.income).toMatchObject({ available: false });
  });

  it('counts the planned nights of a placement that had left before the period but whose leaving was recorded after it began', async () => {
    // Left hv-3 on 28 March; the manager recorded it on 3 April. On the morning of 1 April the book still had
    // the child there with no end known: every night of the year in hv-3 was planned, none occupied.
    const late = placementOf({ id: 'L', bedId: 'hv-3', ...hv, start: '2026-03-01', admittedOn: '2026-02-27', end: '2026-03-28', endRecordedOn: '2026-04-03', reason: 'CARPL', planned: true });
    const service = new KpiService({ listHomes: async () => kpiHomes(), placementsOfHomes: async () => [late], journalsInMonth: async () => [] });
    const report = await service.kpis(YEAR);
    const hvYear = report.occupancy.homes.find((h) => h.homeId === 'harbour-view')!;
    expect(hvYear).toMatchObject({ plannedBedNights: 365, occupiedBedNights: 0 });
    const pure = computeKpis({ period: YEAR, homes: kpiHomes(), placementsByBed: byBed([late]), documents: { unavailable: 'not here' }, journals: [] });
    expect({ ...report, income: null }).toEqual({ ...pure, income: null });
  });
});
