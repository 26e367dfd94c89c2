import { describe, expect, it } from 'vitest';
import type { Home } from '#lib/estate/schema';
import type { Risk } from '#lib/codes/pds-risks';
import { firstBedExclusion, firstHomeExclusion } from '#lib/matching/hard-rules';
import { homeContext, peakOccupancy, referralContext, type Person, type ReferralToMatch } from '#lib/matching/match-context';
import type { ScorePart, SoftRule } from '#lib/matching/proposal';
import { districtDistance, postcodeParts } from '#lib/matching/postcode-geography';
import { assessHome } from '#lib/matching/propose';
import { rankReferralsForBed } from '#lib/matching/rank-referrals-for-bed';
import { impactFindings } from '#lib/matching/resident-impact';
import { presentRisks } from '#lib/matching/risks';
import { distancePoints, scoreParts } from '#lib/matching/soft-rules';
import type { Hold, HomeCalendar } from '#lib/time/home-calendar';
import type { Referral } from '#lib/referrals/schema';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';
import { referralWith, WORLD_AS_OF, worldHomes } from '#tests/support/matching-world';

/** Each rule on its own, on Harbour View (K2, 11–17, hv-3 and hv-4 sellable) unless said otherwise. */

const AS_OF = WORLD_AS_OF; // 2026-11-20
const homes = new Map(worldHomes().map((h) => [h.id, h]));
const harbour = (changes: Partial<Home> = {}): Home => ({
  ...homes.get('harbour-view')!,
  beds: homes.get('harbour-view')!.beds.map((b) => ({ ...b, outOfUse: [] })),
  ...changes,
});
const northfield = (changes: Partial<Home> = {}): Home => ({ ...homes.get('northfield')!, ...changes });

/** A 14-year-old boy for Harbour View from 2026-12-01 for 12 weeks (to 2027-02-23), £5,000 a week, no risks. */
const referral = (changes: Parameters<typeof referralWith>[1] = {}): Referral =>
  referralWith('R-1', {
    child: { dateOfBirth: '2012-06-15', sex: 'M', homePostcode: 'NE30 2AA', schoolPostcodeSector: 'NE30 2' } as Referral['child'],
    sought: { placementType: 'K2', kind: 'long-term', neededFrom: '2026-12-01', expectedWeeks: 12, educationPlaceRequired: false, maxWeeklyBudgetPence: 500_000, neededBy: 'in more than 5 days' },
    needs: ['emotional-behavioural'],
    requirements: { livingCompanions: 'No preference', pets: 'Yes - can' } as Referral['requirements'],
    ...changes,
  });

let holdId = 0;
const hold = (bedId: string, from: string, to: string | undefined, resident: Partial<Hold['resident']> = {}, extra: Partial<Hold> = {}): Hold => ({
  id: `h${++holdId}`,
  bedId,
  kind: 'placement',
  from,
  ...(to ? { to } : {}),
  resident: { dateOfBirth: '2011-01-01', sex: 'F', risks: [], placedBy: '392', ...resident },
  ...extra,
});
const calendar = (homeId: string, holds: Hold[] = []): HomeCalendar => ({ homeId, version: holds.length, holds });

function homeRule(r: Referral, home: Home, holds: Hold[] = []) {
  const ref = referralContext({ referralId: r.referralId, version: 1, referral: r, asOf: AS_OF });
  return firstHomeExclusion(ref, homeContext(home, calendar(home.id, holds), ref));
}

function bedRule(r: Referral, home: Home, bedId: string, holds: Hold[] = []) {
  const ref = referralContext({ referralId: r.referralId, version: 1, referral: r, asOf: AS_OF });
  return firstBedExclusion(ref, homeContext(home, calendar(home.id, holds), ref), home.beds.find((b) => b.id === bedId)!);
}

function parts(r: Referral, home: Home, bedId: string, holds: Hold[] = []) {
  const ref = referralContext({ referralId: r.referralId, version: 1, referral: r, asOf: AS_OF });
  const scored = scoreParts(ref, homeContext(home, calendar(home.id, holds), ref), home.beds.find((b) => b.id === bedId)!);
  return Object.fromEntries(scored.map((p) => [p.rule, p])) as Record<SoftRule, ScorePart>;
}

const allowed = { excluded: false };

describe('Placements Data Standard v2 risks → Statement of Purpose risk names', () => {
  it('maps every "Risk Present" field and nothing else', () => {
    const risks = Object.fromEntries(
      ['riskSelfHarm', 'riskSexualExploitation', 'riskCriminalExploitation', 'riskDrugAlcohol', 'riskEatingDisorder', 'riskMissing',
        'riskToOthersPhysical', 'riskToOthersSexual', 'riskToOthersFire', 'riskToOthersAnimals', 'riskToOthersCriminal'].map((f) => [f, 'Risk Present']),
    ) as Referral['risks'];
    expect(presentRisks(risks)).toEqual([
      'self-harm', 'sexual-exploitation', 'criminal-exploitation', 'drug-alcohol', 'eating-disorder', 'missing',
      'harm-to-others-physical', 'harm-to-others-sexual', 'fire-setting', 'harm-to-animals', 'harm-to-others-criminal',
    ]);
    expect(presentRisks({ ...risks, riskSelfHarm: 'No known risk', riskOther: 'free text is never a risk name' })).not.toContain('self-harm');
  });
});

describe('hard rules, home level', () => {
  it('placement type must be in the Statement of Purpose', () => {
    expect(homeRule(referral({ sought: { ...referral().sought, placementType: 'K3' } }), harbour())).toMatchObject({ rule: 'placement-type' });
    expect(homeRule(referral(), harbour())).toEqual(allowed);
  });

  it('the registration must fit the placement type (reg 14), even if the type is listed', () => {
    expect(homeRule(referral(), harbour({ registration: 'supported-accommodation' }))).toEqual({
      excluded: true,
      rule: 'registration',
      reason: 'placement type K2 needs a childrens-home registration; the home is registered as a supported-accommodation',
    });
    expect(homeRule(referral({ sought: { ...referral().sought, placementType: 'U4' } }), harbour({ placementTypes: ['K2', 'U4'] }))).toMatchObject({
      rule: 'registration',
      reason: 'placement type U4 is not provided by any registration in the estate',
    });
    const secure = referral({ sought: { ...referral().sought, placementType: 'K1' } });
    expect(homeRule(secure, harbour({ placementTypes: ['K1', 'K2'] }))).toMatchObject({
      rule: 'registration',
      reason: 'placement type K1 needs a secure-childrens-home registration; the home is registered as a childrens-home',
    });
    expect(homeRule(secure, harbour({ placementTypes: ['K1'], registration: 'secure-childrens-home' }))).toEqual(allowed);
  });

  it('kind of placement', () => {
    expect(homeRule(referral({ sought: { ...referral().sought, kind: 'parent-and-child' } }), harbour())).toMatchObject({
      rule: 'kind',
      reason: 'a parent-and-child placement is not offered (long-term, short-term, assessment)',
    });
  });

  it('age on the needed-from date, not on the day of matching, at both ends of the range', () => {
    const bornOn = (dateOfBirth: string) => referral({ child: { ...referral().child, dateOfBirth } });
    expect(homeRule(bornOn('2015-12-01'), harbour())).toEqual(allowed); // 11 on 2026-12-01 exactly
    expect(homeRule(bornOn('2015-12-02'), harbour())).toMatchObject({ rule: 'age', reason: 'the child is 10 on 2026-12-01; the home takes ages 11 to 17' });
    expect(homeRule(bornOn('2008-12-02'), harbour())).toEqual(allowed); // still 17 on 2026-12-01
    expect(homeRule(bornOn('2008-12-01'), harbour())).toMatchObject({ rule: 'age', reason: 'the child is 18 on 2026-12-01; the home takes ages 11 to 17' });
  });

  it('sex', () => {
    expect(homeRule(referral(), harbour({ sexes: ['F'] }))).toEqual({ excluded: true, rule: 'sex', reason: 'the home takes F only' });
  });

  it('every need within the Statement of Purpose', () => {
    expect(homeRule(referral({ needs: ['camhs', 'complex-needs', 'young-parent'] }), harbour())).toMatchObject({
      rule: 'needs',
      reason: 'needs outside the Statement of Purpose: complex-needs, young-parent',
    });
  });

  it('no risk the Statement of Purpose excludes', () => {
    const fire = referral({ risks: { ...referral().risks, riskToOthersFire: 'Risk Present' } });
    expect(homeRule(fire, harbour())).toMatchObject({ rule: 'risks-excluded', reason: 'the Statement of Purpose excludes fire-setting, a risk the child presents' });
    expect(homeRule(fire, harbour({ risksExcluded: [] }))).toEqual(allowed);
  });

  it('pets: "Yes - must" needs animals, "No" refuses them, "Yes - can" and "Not Known" take either', () => {
    const pets = (answer: Referral['requirements']['pets']) => referral({ requirements: { ...referral().requirements, pets: answer } });
    expect(homeRule(pets('Yes - must'), harbour())).toMatchObject({ rule: 'pets', reason: 'the child must live with pets; the home has none' });
    expect(homeRule(pets('Yes - must'), harbour({ petsOnSite: true }))).toEqual(allowed);
    expect(homeRule(pets('No'), harbour({ petsOnSite: true }))).toMatchObject({ rule: 'pets', reason: 'the child cannot live with pets; the home has animals' });
    expect(homeRule(pets('No'), harbour())).toEqual(allowed);
    expect(homeRule(pets('Yes - can'), harbour({ petsOnSite: true }))).toEqual(allowed);
    expect(homeRule(pets('Not Known'), harbour({ petsOnSite: true }))).toEqual(allowed);
  });

  it('capacity: residents + 1 ≤ maxResidents on every night; a child leaving as another arrives counts once', () => {
    const small = harbour({ maxResidents: 2 });
    const leavingThenArriving = [hold('hv-1', '2026-01-01', '2026-12-20'), hold('hv-2', '2026-12-20', undefined)];
    expect(homeRule(referral(), small, leavingThenArriving)).toEqual(allowed);
    const both = [hold('hv-1', '2026-01-01', undefined), hold('hv-2', '2027-01-10', undefined)];
    expect(homeRule(referral(), small, both)).toMatchObject({
      rule: 'capacity',
      reason: '2 children live there on some night of the period; the home takes at most 2',
    });
  });

  it('peak occupancy counts nights, not holds', () => {
    const period = { from: '2026-12-01', to: '2027-01-01' };
    expect(peakOccupancy([hold('a', '2026-11-01', '2026-12-10'), hold('a', '2026-12-10', '2026-12-20'), hold('a', '2026-12-20', undefined)], period)).toBe(1);
    expect(peakOccupancy([hold('a', '2026-11-01', undefined), hold('b', '2026-12-31', undefined)], period)).toBe(2);
    expect(peakOccupancy([hold('a', '2027-01-01', undefined)], period)).toBe(0); // arrives on the leaving day
  });

  describe('living companions', () => {
    const wish = (livingCompanions: Referral['requirements']['livingCompanions']) => referral({ requirements: { ...referral().requirements, livingCompanions } });

    it('solo: only a solo-capable home where nobody lives or will live during the period', () => {
      expect(homeRule(wish('Solo placement recommended'), harbour())).toMatchObject({
        rule: 'living-companions',
        reason: 'a solo placement is recommended; the home is not set up for solo placements',
      });
      expect(homeRule(wish('Solo placement recommended'), northfield())).toEqual(allowed);
      expect(homeRule(wish('Solo placement recommended'), northfield(), [hold('nf-2', '2027-02-22', undefined)])).toMatchObject({
        rule: 'living-companions',
        reason: 'a solo placement is recommended; 1 other child(ren) live or will live there during the period',
      });
      // Arriving the day the solo child's 12 weeks end is not living together.
      expect(homeRule(wish('Solo placement recommended'), northfield(), [hold('nf-2', '2027-02-23', undefined)])).toEqual(allowed);
    });

    it('only older / only younger children, against everyone there during the period', () => {
      const older = hold('hv-1', '2026-01-01', undefined, { dateOfBirth: '2010-01-01' });
      const sameDay = hold('hv-2', '2026-01-01', undefined, { dateOfBirth: '2012-06-15' });
      const younger = hold('hv-2', '2026-01-01', undefined, { dateOfBirth: '2014-01-01' });
      expect(homeRule(wish('Only with other older children'), harbour(), [older])).toEqual(allowed);
      expect(homeRule(wish('Only with other older children'), harbour(), [older, sameDay])).toMatchObject({
        rule: 'living-companions',
        reason: 'only older children are recommended; 1 of 2 child(ren) there during the period are not older',
      });
      // A resident born the same day is neither older nor younger: excluded both ways.
      expect(homeRule(wish('Only with other younger children'), harbour(), [sameDay])).toMatchObject({ rule: 'living-companions' });
      expect(homeRule(wish('Only with other younger children'), harbour(), [younger])).toEqual(allowed);
      expect(homeRule(wish('Only with other younger children'), harbour(), [younger, older])).toMatchObject({
        rule: 'living-companions',
        reason: 'only younger children are recommended; 1 of 2 child(ren) there during the period are not younger',
      });
      // A resident who has left before the period does not count.
      expect(homeRule(wish('Only with other older children'), harbour(), [hold('hv-2', '2026-01-01', '2026-11-30', { dateOfBirth: '2014-01-01' })])).toEqual(allowed);
    });

    it('with other children: ranked, not excluded, unless the home can only ever take one child', () => {
      expect(homeRule(wish('With other children recommended'), northfield())).toEqual(allowed);
      expect(homeRule(wish('With other children recommended'), northfield({ maxResidents: 1, beds: [northfield().beds[0]!] }))).toMatchObject({
        rule: 'living-companions',
        reason: 'living with other children is recommended; the home takes one child only',
      });
      // Only that wish refuses a one-child home: with no preference it is allowed.
      expect(homeRule(referral(), northfield({ maxResidents: 1, beds: [northfield().beds[0]!] }))).toEqual(allowed);
    });
  });

  it('records the first rule only, in the documented order', () => {
    const everythingWrong = referral({
      child: { ...referral().child, sex: 'F', dateOfBirth: '2001-01-01' },
      sought: { ...referral().sought, kind: 'short-term' },
    });
    expect(homeRule(everythingWrong, harbour({ kinds: ['long-term'], sexes: ['M'] }))).toMatchObject({ rule: 'kind' });
  });
});

describe('hard rules, bed level', () => {
  it('a bed kept back for our own children is never sold', () => {
    expect(bedRule(referral(), harbour(), 'hv-1')).toEqual({ excluded: true, rule: 'bed-kept-for-own-children', reason: "kept back for the council's own children" });
  });

  it('out of use on any night of the period; back in use on its `to` date (exclusive)', () => {
    const withSpell = (from: string, to?: string) =>
      harbour({ beds: harbour().beds.map((b) => (b.id === 'hv-3' ? { ...b, outOfUse: [{ from, ...(to ? { to } : {}), reason: 'boiler' }] } : b)) });
    expect(bedRule(referral(), withSpell('2026-11-01', '2026-12-01'), 'hv-3')).toEqual(allowed);
    expect(bedRule(referral(), withSpell('2026-11-01', '2026-12-02'), 'hv-3')).toMatchObject({ rule: 'bed-out-of-use', reason: 'out of use from 2026-11-01 to 2026-12-02 (boiler)' });
    expect(bedRule(referral(), withSpell('2027-02-22'), 'hv-3')).toMatchObject({ rule: 'bed-out-of-use', reason: 'out of use from 2027-02-22 until further notice (boiler)' });
    expect(bedRule(referral(), withSpell('2027-02-23'), 'hv-3')).toEqual(allowed);
  });

  it('free for the whole period: live offers and placements block, lapsed offers and the referral’s own offer do not', () => {
    const overlapping = hold('hv-3', '2027-02-01', '2027-03-01', {}, { kind: 'offer', expiresAt: '2026-11-21T17:00:00.000Z' });
    expect(bedRule(referral(), harbour(), 'hv-3', [overlapping])).toMatchObject({
      rule: 'bed-held',
      reason: 'held by an offer from 2027-02-01 to 2027-03-01, overlapping the nights sought',
    });
    const lapsed = { ...overlapping, expiresAt: '2026-11-20T09:59:59.000Z' };
    expect(bedRule(referral(), harbour(), 'hv-3', [lapsed])).toEqual(allowed);
    const ownOffer = { ...overlapping, resident: { ...overlapping.resident, referralId: 'R-1' } };
    expect(bedRule(referral(), harbour(), 'hv-3', [ownOffer])).toEqual(allowed);
    expect(bedRule(referral(), harbour(), 'hv-3', [hold('hv-3', '2026-01-01', '2026-12-01')])).toEqual(allowed); // leaves the day it is needed
    expect(bedRule(referral(), harbour(), 'hv-3', [hold('hv-3', '2026-06-01', undefined)])).toMatchObject({
      rule: 'bed-held',
      reason: 'held by a placement from 2026-06-01 (open-ended), overlapping the nights sought',
    });
  });

  it('budget: the weekly charge (price, plus education where needed and charged) must not exceed it', () => {
    const budget = (maxWeeklyBudgetPence: number, educationPlaceRequired = false) =>
      referral({ sought: { ...referral().sought, maxWeeklyBudgetPence, educationPlaceRequired } });
    expect(bedRule(budget(402_000), harbour(), 'hv-3')).toEqual(allowed);
    expect(bedRule(budget(401_999), harbour(), 'hv-3')).toEqual({
      excluded: true,
      rule: 'budget',
      reason: 'weekly charge £4,020.00 is over the budget of £4,019.99',
    });
    expect(bedRule(budget(462_000, true), harbour(), 'hv-3')).toEqual(allowed);
    expect(bedRule(budget(461_999, true), harbour(), 'hv-3')).toMatchObject({
      rule: 'budget',
      reason: 'weekly charge £4,620.00 (price £4,020.00 + education place £600.00) is over the budget of £4,619.99',
    });
  });
});

describe('soft rules', () => {
  it('distance: 20 points less one a mile between district centroids; none from 20 miles; unknown says so', () => {
    expect(distancePoints(0.4)).toBe(20);
    expect(distancePoints(8.2)).toBe(12);
    expect(distancePoints(19.6)).toBe(0);
    expect(distancePoints(45)).toBe(0);
    expect(parts(referral(), harbour(), 'hv-3').distance).toEqual({ rule: 'distance', points: 20, reason: "0 miles from the child's home (between district centroids)" });
    const farAway = referral({ child: { ...referral().child, homePostcode: 'CA1 1AA' } });
    expect(parts(farAway, harbour(), 'hv-3').distance).toEqual({ rule: 'distance', points: 0, reason: 'distance unknown: no centroid for postcode district CA1' });
    const middlesbrough = referral({ child: { ...referral().child, homePostcode: 'TS1 2AA' } });
    expect(parts(middlesbrough, harbour(), 'hv-3').distance).toMatchObject({ points: 0, reason: expect.stringMatching(/^3\d\.\d miles from the child's home: 20 or more/) });
  });

  it('education continuity: school sector, then district, then a nearby district', () => {
    const school = (schoolPostcodeSector?: string) => referral({ child: { ...referral().child, schoolPostcodeSector } });
    expect(parts(school('NE30 1'), harbour(), 'hv-3').education).toMatchObject({ points: 10 }); // Harbour View is NE30 1AA
    expect(parts(school('NE30 4'), harbour(), 'hv-3').education).toMatchObject({ points: 6 });
    expect(parts(school('NE29 8'), harbour(), 'hv-3').education).toMatchObject({ points: 3 });
    expect(parts(school('DH1 3'), harbour(), 'hv-3').education).toMatchObject({ points: 0 });
    expect(parts(school(undefined), harbour(), 'hv-3').education).toEqual({ rule: 'education', points: 0, reason: 'no school postcode sector in the referral' });
  });

  it('CAMHS: a listed need, or signs of one (self-harm, eating disorder, emotional-behavioural), where the home works with CAMHS', () => {
    const noSigns = referral({ needs: ['education-support'] });
    expect(parts(noSigns, harbour(), 'hv-3').camhs).toMatchObject({ points: 0, reason: 'no CAMHS need in the referral' });
    const selfHarm = referral({ needs: [], risks: { ...referral().risks, riskSelfHarm: 'Risk Present' } });
    expect(parts(selfHarm, harbour(), 'hv-3').camhs).toMatchObject({ points: 5, reason: 'the home works with CAMHS; the referral shows self-harm risk' });
    expect(parts(selfHarm, harbour({ needsAccepted: ['education-support'] }), 'hv-3').camhs).toMatchObject({ points: 0 });
    expect(parts(referral({ needs: ['camhs'] }), harbour(), 'hv-3').camhs).toMatchObject({ points: 5 });
  });

  it('occupancy: a bed void tonight beats one freeing within a week, which beats one freeing later', () => {
    expect(parts(referral(), harbour(), 'hv-3').occupancy).toMatchObject({ points: 10 });
    expect(parts(referral(), harbour(), 'hv-3', [hold('hv-3', '2026-01-01', '2026-11-27')]).occupancy).toEqual({
      rule: 'occupancy',
      points: 6,
      reason: 'occupied tonight; free in 7 day(s), from 2026-11-27',
    });
    expect(parts(referral(), harbour(), 'hv-3', [hold('hv-3', '2026-01-01', '2026-11-28')]).occupancy).toMatchObject({ points: 3 });
    // A future hold after tonight does not make tonight busy.
    expect(parts(referral(), harbour(), 'hv-3', [hold('hv-3', '2026-11-21', '2026-11-25')]).occupancy).toMatchObject({ points: 10 });
  });

  it('suitability: the PDS recommendation that speaks to the home’s registration', () => {
    const suitability = (residentialCareSuitability: Referral['recommendation']['residentialCareSuitability']) =>
      referral({ recommendation: { ...referral().recommendation, residentialCareSuitability } });
    expect(parts(suitability('Preferred'), harbour(), 'hv-3').suitability.points).toBe(10);
    expect(parts(suitability('Suitable but not preferred'), harbour(), 'hv-3').suitability.points).toBe(4);
    expect(parts(suitability('Not specified'), harbour(), 'hv-3').suitability.points).toBe(0);
    expect(parts(suitability('Unsuitable'), harbour(), 'hv-3').suitability).toEqual({
      rule: 'suitability',
      points: -20,
      reason: 'residentialCareSuitability is "Unsuitable" for a childrens-home',
    });
  });

  it('companions: living with others recommended ranks an empty home down and a home with children up', () => {
    const withOthers = referral({ requirements: { ...referral().requirements, livingCompanions: 'With other children recommended' } });
    expect(parts(withOthers, harbour(), 'hv-3').companions).toMatchObject({ points: -10 });
    expect(parts(withOthers, harbour(), 'hv-3', [hold('hv-1', '2026-01-01', undefined)]).companions).toMatchObject({ points: 5 });
  });
});

describe('impact on the children already there (resident-impact.ts)', () => {
  const child = (dateOfBirth: string, ...risks: Risk[]): Person => ({ dateOfBirth, risks: new Set(risks) });

  it('a child with a risk of sexual harm, against younger residents and residents at risk of sexual exploitation', () => {
    const findings = impactFindings(child('2010-01-01', 'harm-to-others-sexual'), [
      child('2012-01-01'),
      child('2013-01-01', 'sexual-exploitation'),
      child('2009-01-01'),
    ]);
    expect(findings).toEqual([
      { concern: 'sexual-harm-younger', points: -30, reason: 'the child presents harm-to-others-sexual risk; 2 resident(s) are younger' },
      { concern: 'sexual-harm-cse', points: -20, reason: 'the child presents harm-to-others-sexual risk; 1 resident(s) are at risk of sexual exploitation' },
    ]);
  });

  it('works both ways: a resident’s risk towards the referred child counts too', () => {
    expect(impactFindings(child('2014-01-01'), [child('2010-01-01', 'harm-to-others-physical')])).toEqual([
      { concern: 'physical-harm-younger-to-child', points: -15, reason: '1 resident(s) present harm-to-others-physical risk; the child is younger' },
    ]);
  });

  it('a shared risk (criminal exploitation, missing) counts once, and nothing is found without residents', () => {
    const findings = impactFindings(child('2011-01-01', 'criminal-exploitation', 'missing'), [
      child('2011-05-01', 'criminal-exploitation'),
      child('2010-05-01', 'criminal-exploitation', 'missing'),
    ]);
    expect(findings.map((f) => [f.concern, f.points])).toEqual([
      ['cce-peers', -15],
      ['missing-peers', -10],
    ]);
    expect(impactFindings(child('2011-01-01', 'harm-to-others-sexual'), [])).toEqual([]);
  });

  it('criminal harm to others against residents at risk of criminal exploitation', () => {
    expect(impactFindings(child('2011-01-01', 'harm-to-others-criminal'), [child('2012-01-01', 'criminal-exploitation')])).toEqual([
      {
        concern: 'criminal-harm-cce',
        points: -20,
        reason: 'the child presents harm-to-others-criminal risk; 1 resident(s) are at risk of criminal exploitation',
      },
    ]);
  });
});

describe('postcode geography', () => {
  it('splits a postcode into area, district and sector', () => {
    expect(postcodeParts('NE29 6DL')).toEqual({ area: 'NE', district: 'NE29', sector: 'NE29 6' });
    expect(postcodeParts('NE29 6')).toEqual({ area: 'NE', district: 'NE29', sector: 'NE29 6' });
    expect(postcodeParts('SR1 1AA')).toEqual({ area: 'SR', district: 'SR1', sector: 'SR1 1' });
  });

  it('measures straight-line miles between district centroids (approximate data: about right, to a mile or two)', () => {
    const newcastleToSunderland = districtDistance('NE1 4ST', 'SR1 3SD');
    expect(newcastleToSunderland.kind).toBe('known');
    expect(newcastleToSunderland.kind === 'known' && newcastleToSunderland.miles).toBeGreaterThan(9);
    expect(newcastleToSunderland.kind === 'known' && newcastleToSunderland.miles).toBeLessThan(12);
    expect(districtDistance('NE1 4ST', 'NE1 7RU')).toEqual({ kind: 'known', miles: 0 });
    expect(districtDistance('EH1 1AA', 'B1 1AA')).toEqual({ kind: 'unknown', missingDistricts: ['EH1', 'B1'] });
  });
});

describe('ranking many referrals against one bed (void-bed alerts)', () => {
  it('orders the referrals that fit by score and says why the others do not', () => {
    // Prepare: three open referrals against Harbour View's void hv-3, with its two residents
    const residents = [
      hold('hv-1', '2025-11-03', undefined, { dateOfBirth: '2011-07-07', risks: ['criminal-exploitation', 'missing'] }),
      hold('hv-2', '2026-01-12', undefined, { dateOfBirth: '2013-02-02', risks: ['self-harm'] }),
    ];
    const open: ReferralToMatch[] = (['W01', 'W05', 'W14'] as const).map((id) => ({ referralId: id, version: 2, referral: WORKED_REFERRALS[id], asOf: AS_OF }));
    open.push({ referralId: 'R-1', version: 1, referral: referral(), asOf: AS_OF });

    // Act
    const ranking = rankReferralsForBed(open, harbour(), calendar('harbour-view', residents), 'hv-3');

    // Assess
    expect(ranking.fits.map((f) => [f.referralId, f.score])).toEqual([
      ['R-1', 51],
      ['W01', 17], // W01 and W14 tie: referral id order
      ['W14', 17],
    ]);
    expect(ranking.misfits).toEqual([
      { referralId: 'W05', referralVersion: 2, rule: 'risks-excluded', reason: 'the Statement of Purpose excludes fire-setting, a risk the child presents' },
    ]);
  });

  it('scores a referral against a bed exactly as its proposal does', () => {
    const residents = [hold('hv-1', '2025-11-03', undefined, { dateOfBirth: '2011-07-07', risks: ['criminal-exploitation'] })];
    const request = { referralId: 'W01', version: 1, referral: WORKED_REFERRALS.W01, asOf: AS_OF };
    const ref = referralContext(request);
    const fromProposal = assessHome(ref, harbour(), calendar('harbour-view', residents)).find(
      (a) => a.kind === 'candidate' && a.candidate.bedId === 'hv-3',
    );
    const [fromBed] = rankReferralsForBed([request], harbour(), calendar('harbour-view', residents), 'hv-3').fits;
    expect(fromProposal).toEqual({ kind: 'candidate', candidate: expect.objectContaining({ score: fromBed!.score, parts: fromBed!.parts }) });
  });
});
