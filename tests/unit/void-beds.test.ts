import { beforeEach, describe, expect, it } from 'vitest';
import type { Home } from '#lib/estate/schema';
import { sampleEstate } from '#lib/estate/seed';
import type { ReferralRecord } from '#lib/referrals/lifecycle';
import type { Referral } from '#lib/referrals/schema';
import { rankReferralsForBed } from '#lib/matching/rank-referrals-for-bed';
import { addDays } from '#lib/time/calendar';
import { bedStateOn, type Stay } from '#lib/void-beds/bed-state';
import { dueAlert } from '#lib/void-beds/thresholds';
import { VoidBedMonitor, type CheckMoment } from '#lib/void-beds/void-bed-monitor';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';
import { InMemoryAlertRecords, InMemoryOpenReferrals, InMemoryPublisher, InMemoryVoidBedEstate } from '#tests/support/in-memory-void-beds';
import { referralWith } from '#tests/support/matching-world';

/**
 * Worked examples of void-bed alerts, on the sample estate's Harbour View
 * (K2 children's home, ages 11–17; hv-1 and hv-2 kept for the council's own
 * children, hv-3 and hv-4 sellable at £4,020 a week, £574.29 a night).
 */

const harbourView = (): Home => structuredClone(sampleEstate().find((h) => h.id === 'harbour-view')!);
/** The monitor's first sight of the estate is before any of the examples: every spell below starts at a placement's end. */
const FIRST_SEEN = '2026-06-01';

const at = (today: string): CheckMoment => ({ today, asOfMs: Date.parse(`${today}T07:00:00Z`) });

function openRecord(referral: Referral, version = 1): ReferralRecord {
  return {
    referralId: referral.referralId,
    status: 'open',
    version,
    placingLa: referral.placingAuthority.laNumber,
    referral,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
  };
}

const stay = (placementId: string, from: string, to?: string, ending: Partial<Stay> = {}): Stay => ({ placementId, from, ...(to ? { to } : {}), ...ending });

let estate: InMemoryVoidBedEstate;
let records: InMemoryAlertRecords;
let publisher: InMemoryPublisher;
let referrals: InMemoryOpenReferrals;
let monitor: VoidBedMonitor;

function world(home: Home = harbourView()) {
  estate = new InMemoryVoidBedEstate([home]);
  records = new InMemoryAlertRecords();
  for (const bed of home.beds) records.since.set(bed.id, bed.sellable ? FIRST_SEEN : null);
  publisher = new InMemoryPublisher();
  referrals = new InMemoryOpenReferrals([openRecord(WORKED_REFERRALS.W01)]);
  monitor = new VoidBedMonitor({ estate, referrals, records, publisher });
}

/** Every sellable bed but the one under test is lived in, so only its alerts are sent. */
function occupyOthers(except: string) {
  for (const bed of ['hv-3', 'hv-4'].filter((b) => b !== except)) estate.place(bed, stay(`p-${bed}-long`, '2026-07-01'));
}

beforeEach(() => world());

describe('a bed emptied by a planned end', () => {
  it('alerts the night the child leaves: 0 nights void, £0.00 not earned, named as a planned end (CARPL)', async () => {
    // Prepare
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-carpl', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));

    // Act
    const summary = await monitor.checkAll(at('2026-12-10'));

    // Assess
    expect(summary.sent).toEqual([{ bedId: 'hv-3', threshold: 'became-void' }]);
    const [{ alert, subject, body }] = publisher.published as [(typeof publisher.published)[number]];
    expect(alert).toMatchObject({ bedId: 'hv-3', voidSince: '2026-12-10', nightsVoid: 0, incomeNotEarnedPence: 0, weeklyPricePence: 402_000 });
    expect(subject).toBe("Void bed: Harbour View children's home bed hv-3, 0 nights, GBP 0.00 not earned");
    expect(body).toContain('Why:    emptied by a planned end (CARPL: Change to/implementation of care plan) of placement p-carpl on 2026-12-10.');
  });

  it('does not alert while the child is still there the night before', async () => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-carpl', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));
    await monitor.checkAll(at('2026-12-09'));
    expect(publisher.published.map((p) => p.alert.threshold)).toEqual(['void-in-14-days']);
  });
});

describe('a bed emptied by an unplanned end', () => {
  it('alerts with the SSDA903 reason and says it was unplanned', async () => {
    occupyOthers('hv-4');
    estate.place('hv-4', stay('p-alleg', '2026-10-01', '2026-12-10', { reasonPlacementChange: 'ALLEG', planned: false }));

    await monitor.checkAll(at('2026-12-10'));

    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]!.body).toContain('emptied by an unplanned end (ALLEG: Allegation (s47)) of placement p-alleg on 2026-12-10');
  });
});

describe('beds that never alert', () => {
  it('a bed kept for the council’s own children, empty for months', async () => {
    occupyOthers('none');
    estate.place('hv-1', stay('p-own', '2026-01-01', '2026-08-01', { reasonPlacementChange: 'CARPL', planned: true }));

    const summary = await monitor.checkAll(at('2026-12-10'));

    expect(publisher.published).toEqual([]);
    expect(summary.outcomes.find((o) => o.bedId === 'hv-1')).toMatchObject({ outcome: 'no-alert', state: 'kept-back' });
  });

  it('a bed out of use (a refit until further notice), even the night its child left', async () => {
    const home = harbourView();
    home.beds.find((b) => b.id === 'hv-4')!.outOfUse = [{ from: '2026-12-10', reason: 'refit after flood damage' }];
    world(home);
    occupyOthers('hv-4');
    estate.place('hv-4', stay('p-out', '2026-10-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));

    for (const day of ['2026-12-10', '2026-12-17', '2027-01-07']) await monitor.checkAll(at(day));

    expect(publisher.published).toEqual([]);
  });

  it('an out-of-use bed alerts the night it is back in use, and the spell is counted from then', async () => {
    const home = harbourView();
    home.beds.find((b) => b.id === 'hv-4')!.outOfUse = [{ from: '2026-12-01', to: '2026-12-15', reason: 'boiler' }];
    world(home);
    occupyOthers('hv-4');
    estate.place('hv-4', stay('p-before', '2026-10-01', '2026-12-01', { reasonPlacementChange: 'CARPL', planned: true }));

    await monitor.checkAll(at('2026-12-14'));
    await monitor.checkAll(at('2026-12-15'));

    expect(publisher.published.map((p) => [p.alert.threshold, p.alert.voidSince, p.alert.cause])).toEqual([
      ['became-void', '2026-12-15', 'back in use on 2026-12-15 (it had been out of use: boiler)'],
    ]);
  });
});

describe('escalation after 7, 14 and 28 void nights', () => {
  it('checked every morning for five weeks: four alerts, on the 0th, 7th, 14th and 28th void night, with the income not earned', async () => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-carpl', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));

    for (let day = 0; day < 35; day++) await monitor.checkAll(at(addDays('2026-12-10', day)));

    expect(publisher.published.map((p) => ({ on: p.alert.checkedOn, threshold: p.alert.threshold, nights: p.alert.nightsVoid, pence: p.alert.incomeNotEarnedPence }))).toEqual([
      { on: '2026-12-10', threshold: 'became-void', nights: 0, pence: 0 },
      // £4,020 a week × 7 / 7 nights: exactly a week's price.
      { on: '2026-12-17', threshold: 'void-7-nights', nights: 7, pence: 402_000 },
      { on: '2026-12-24', threshold: 'void-14-nights', nights: 14, pence: 804_000 },
      { on: '2027-01-07', threshold: 'void-28-nights', nights: 28, pence: 1_608_000 },
    ]);
    expect(publisher.published[1]!.subject).toBe("Void bed: Harbour View children's home bed hv-3, 7 nights, GBP 4,020.00 not earned");
    expect(publisher.published[1]!.body).toContain('Income not earned so far: £4,020.00 (7 nights at £4,020.00 a week, pro rata).');
  });

  it('rounds the income half-up once, not per night: 3 nights of £4,020 a week is £1,722.86', async () => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-x', '2026-09-01', '2026-12-07', { reasonPlacementChange: 'CHILD', planned: false }));
    const state = bedStateOn({ bed: harbourView().beds[2]!, stays: await estate.staysOf('hv-3'), sellableSince: FIRST_SEEN }, '2026-12-10');
    expect(state).toMatchObject({ kind: 'void', since: '2026-12-07', nights: 3 });
    // 402,000 × 3 / 7 = 172,285.71… → 172,286 pence
    records.alerts.clear();
    await monitor.checkAll(at('2026-12-10'));
    expect(publisher.published[0]!.alert).toMatchObject({ threshold: 'became-void', nightsVoid: 3, incomeNotEarnedPence: 172_286 });
  });

  it('found void for 20 nights on its first check (the monitor was down): only the 14-night alert, then the 28-night one', async () => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-old', '2026-06-01', '2026-11-20', { reasonPlacementChange: 'CARPL', planned: true }));

    await monitor.checkAll(at('2026-12-10'));
    await monitor.checkAll(at('2026-12-11'));
    await monitor.checkAll(at('2026-12-18'));

    expect(publisher.published.map((p) => [p.alert.checkedOn, p.alert.threshold, p.alert.nightsVoid])).toEqual([
      ['2026-12-10', 'void-14-nights', 20],
      ['2026-12-18', 'void-28-nights', 28],
    ]);
  });

  it('starts again when the bed is filled and emptied: a new spell has its own alerts', async () => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-1', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));
    await monitor.checkAll(at('2026-12-10'));
    estate.place('hv-3', stay('p-2', '2026-12-12', '2026-12-20', { reasonPlacementChange: 'CREQB', planned: false }));
    await monitor.checkAll(at('2026-12-12'));
    await monitor.checkAll(at('2026-12-20'));

    expect(publisher.published.map((p) => [p.alert.checkedOn, p.alert.voidSince, p.alert.threshold])).toEqual([
      ['2026-12-10', '2026-12-10', 'became-void'],
      // p-2 was admitted with its end already recorded: eight days' notice.
      ['2026-12-12', '2026-12-20', 'void-in-14-days'],
      ['2026-12-20', '2026-12-20', 'became-void'],
    ]);
  });
});

describe('a re-run on the same day', () => {
  it('sends nothing new, however often it runs, and reports the alerts as already sent', async () => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-carpl', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));
    await monitor.checkAll(at('2026-12-17'));

    const again = await monitor.checkAll(at('2026-12-17'));
    const andFromTheQueue = await monitor.checkBeds(['hv-3', 'hv-3'], { today: '2026-12-17', asOfMs: Date.parse('2026-12-17T15:00:00Z') });
    const concurrently = await Promise.all([monitor.checkAll(at('2026-12-17')), monitor.checkAll(at('2026-12-17'))]);

    expect(publisher.published).toHaveLength(1);
    expect(again).toMatchObject({ sent: [], alreadySent: 1 });
    expect(andFromTheQueue).toMatchObject({ beds: 1, sent: [], alreadySent: 1 });
    expect(concurrently.flatMap((s) => s.sent)).toEqual([]);
  });

  it('two runs at the same moment: one sends, the other finds it claimed', async () => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-carpl', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));

    const [a, b] = await Promise.all([monitor.checkAll(at('2026-12-10')), monitor.checkAll(at('2026-12-10'))]);

    expect(publisher.published).toHaveLength(1);
    expect([...a.sent, ...b.sent]).toHaveLength(1);
  });

  it('a failed publish is given back, and the retry sends it once', async () => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-carpl', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));
    publisher.failNext = 1;

    const failed = await monitor.checkAll(at('2026-12-10'));
    const retried = await monitor.checkAll({ today: '2026-12-10', asOfMs: Date.parse('2026-12-10T07:01:00Z') });

    expect(failed.failed).toEqual([{ bedId: 'hv-3', error: 'SNS is unavailable' }]);
    expect(retried.sent).toEqual([{ bedId: 'hv-3', threshold: 'became-void' }]);
    expect(publisher.published).toHaveLength(1);
  });
});

describe('14 days before a recorded end that will leave the bed void', () => {
  beforeEach(() => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-ending', '2026-09-01', '2026-12-24', { reasonPlacementChange: 'CARPL', planned: true }));
  });

  it('alerts on the 10th for an end on the 24th, and again when the bed is void', async () => {
    for (let day = 0; day < 30; day++) await monitor.checkAll(at(addDays('2026-12-01', day)));

    expect(publisher.published.map((p) => [p.alert.checkedOn, p.alert.threshold, p.alert.voidSince])).toEqual([
      ['2026-12-10', 'void-in-14-days', '2026-12-24'],
      ['2026-12-24', 'became-void', '2026-12-24'],
    ]);
    expect(publisher.published[0]!.subject).toBe("Bed void from 2026-12-24: Harbour View children's home bed hv-3");
    expect(publisher.published[0]!.body).toContain('placement p-ending is recorded to end on 2026-12-24 by a planned end (CARPL');
  });

  it('alerts at once for an end recorded with less notice', async () => {
    await monitor.checkAll(at('2026-12-20'));
    expect(publisher.published.map((p) => p.alert.threshold)).toEqual(['void-in-14-days']);
  });

  it('does not alert when another placement is booked from the day the child leaves', async () => {
    estate.place('hv-3', stay('p-next', '2026-12-24'));
    for (let day = 0; day < 30; day++) await monitor.checkAll(at(addDays('2026-12-01', day)));
    expect(publisher.published).toEqual([]);
  });
});

describe('the referrals an alert names', () => {
  it('ranks the open referrals with the matcher and names the best three with their scores; no child’s name, initials or date of birth', async () => {
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-carpl', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));
    referrals.records.push(
      ...[WORKED_REFERRALS.W04, WORKED_REFERRALS.W05, WORKED_REFERRALS.W06, WORKED_REFERRALS.W14].map((r) => openRecord(r)),
      { ...openRecord(WORKED_REFERRALS.W12), status: 'withdrawn' },
    );

    await monitor.checkAll(at('2026-12-10'));

    const { alert, body } = publisher.published[0]!;
    // W05 presents fire-setting, which the home excludes; W06 seeks supported accommodation (K3). W12 is withdrawn: not open.
    expect(alert.openReferrals).toEqual({ considered: 5, fitting: 3 });
    // The matcher's own ranking of the same referrals for this bed, from the first void night (W04 46, W01 42, W14 37 today).
    const asMatched = rankReferralsForBed(
      [WORKED_REFERRALS.W01, WORKED_REFERRALS.W04, WORKED_REFERRALS.W05, WORKED_REFERRALS.W06, WORKED_REFERRALS.W14].map((referral) => ({
        referralId: referral.referralId,
        version: 1,
        referral: { ...referral, sought: { ...referral.sought, neededFrom: '2026-12-10' } },
        asOf: '2026-12-10T07:00:00.000Z',
      })),
      harbourView(),
      await estate.calendar('harbour-view'),
      'hv-3',
    );
    expect(alert.referrals.map((r) => [r.referralId, r.score])).toEqual(asMatched.fits.slice(0, 3).map((f) => [f.referralId, f.score]));
    expect(alert.referrals.map((r) => r.referralId).sort()).toEqual(['W01', 'W04', 'W14']);
    for (const r of alert.referrals) {
      expect(r.score).toBe(r.parts.reduce((s, p) => s + p.points, 0));
      // Needed from 1 or 7 December: they could start tonight, the first void night.
      expect(r.from).toBe('2026-12-10');
    }
    expect(body).toContain(`1. ${alert.referrals[0]!.referralId} from Gateshead (LA 390): score ${alert.referrals[0]!.score}`);
    for (const referral of [WORKED_REFERRALS.W01, WORKED_REFERRALS.W04, WORKED_REFERRALS.W05, WORKED_REFERRALS.W14]) {
      expect(body).not.toContain(referral.child.dateOfBirth);
      expect(body).not.toContain(referral.child.reference);
      expect(body).not.toContain(referral.child.homePostcode);
    }
    expect(body).not.toMatch(/\bJB\b/);
  });

  it('says so when no open referral fits', async () => {
    occupyOthers('hv-3');
    referrals.records.splice(0, 1, openRecord(referralWith('ONLY-K3', { sought: { placementType: 'K3' } as Referral['sought'] })));
    estate.place('hv-3', stay('p-1', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CARPL', planned: true }));

    await monitor.checkAll(at('2026-12-10'));

    expect(publisher.published[0]!.body).toContain('No open referral fits this bed (1 open referral(s) ranked).');
  });
});

describe('a bed the monitor has never seen', () => {
  it('is tracked from the end of its last stay when one is recorded, else from today', async () => {
    world();
    records.since.clear();
    estate.place('hv-3', stay('p-1', '2026-09-01', '2026-12-01', { reasonPlacementChange: 'CARPL', planned: true }));

    await monitor.checkAll(at('2026-12-10'));

    expect(publisher.published.map((p) => [p.alert.bedId, p.alert.threshold, p.alert.voidSince])).toEqual([
      ['hv-3', 'void-7-nights', '2026-12-01'],
      ['hv-4', 'became-void', '2026-12-10'],
    ]);
    expect(Object.fromEntries(records.since)).toEqual({ 'hv-1': null, 'hv-2': null, 'hv-3': '2026-12-01', 'hv-4': '2026-12-10' });
  });

  it('first seen the day its child leaves: the alert names the placement that ended, not the first sighting', async () => {
    records.since.clear();
    occupyOthers('hv-3');
    estate.place('hv-3', stay('p-today', '2026-09-01', '2026-12-10', { reasonPlacementChange: 'CHILD', planned: false }));

    await monitor.checkBeds(['hv-3'], at('2026-12-10'));

    expect(publisher.published.map((p) => [p.alert.threshold, p.alert.voidSince, p.alert.cause])).toEqual([
      ['became-void', '2026-12-10', 'emptied by an unplanned end (CHILD: Child requests placement end) of placement p-today on 2026-12-10'],
    ]);
  });

  it('a bed made sellable after being kept back is void from the day the monitor sees the change, not its last child’s leaving', async () => {
    const home = harbourView();
    home.beds.find((b) => b.id === 'hv-1')!.sellable = true;
    world(home);
    records.since.set('hv-1', null);
    occupyOthers('none');
    estate.place('hv-3', stay('p-3', '2026-01-01'));
    estate.place('hv-4', stay('p-4', '2026-01-01'));
    estate.place('hv-1', stay('p-own', '2026-01-01', '2026-08-01'));

    await monitor.checkAll(at('2026-12-10'));

    expect(publisher.published.map((p) => [p.alert.bedId, p.alert.threshold, p.alert.voidSince])).toEqual([['hv-1', 'became-void', '2026-12-10']]);
  });
});

describe('due alerts (pure)', () => {
  const bed = harbourView().beds[2]!;
  it.each([
    [0, 'became-void'],
    [6, 'became-void'],
    [7, 'void-7-nights'],
    [13, 'void-7-nights'],
    [14, 'void-14-nights'],
    [27, 'void-14-nights'],
    [28, 'void-28-nights'],
    [400, 'void-28-nights'],
  ])('%i void nights → %s', (nights, threshold) => {
    const state = bedStateOn({ bed, stays: [stay('p', '2025-01-01', '2026-01-01')], sellableSince: '2025-01-01' }, addDays('2026-01-01', nights));
    expect(dueAlert(state)).toEqual({ threshold, spellStart: '2026-01-01' });
  });
});
