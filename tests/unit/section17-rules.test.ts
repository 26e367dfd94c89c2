import { describe, expect, it } from 'vitest';
import { DEFAULT_GUIDANCE, categoryOf } from '#lib/section17/guidance';
import { approvalPeriod, checkGuidance, mayAuthorise, requiredRole, weeklyPayments } from '#lib/section17/rules';
import { applicationRequest as application } from '#tests/support/section17';


const guidance = DEFAULT_GUIDANCE;

describe('Section 17 guidance rules (version 2018-01)', () => {
  it('accepts an application within the guidance, naming the role that must authorise it', () => {
    expect(checkGuidance(application(), guidance, 0)).toMatchObject({ ok: true, periodValuePence: 12_000, requiredRole: 'team-manager' });
  });

  it('refuses a category the guidance does not allow', () => {
    expect(checkGuidance(application({ category: 'HOLIDAYS' }), guidance, 0)).toMatchObject({ ok: false, rule: 'category-not-allowed', detail: 'HOLIDAYS is not a category guidance 2018-01 allows' });
  });

  it('refuses missing evidence, naming what is missing (expert fees need a court direction or care plan)', () => {
    expect(checkGuidance(application({ evidence: [] }), guidance, 0)).toMatchObject({ ok: false, rule: 'missing-evidence', detail: expect.stringContaining('child-in-need-assessment') });
    const expert = application({ category: 'PSYCHOLOGIST', amountPence: 150_000, evidence: [{ type: 'child-in-need-assessment', reference: 'x' }] });
    expect(checkGuidance(expert, guidance, 0)).toMatchObject({ ok: false, rule: 'missing-evidence', detail: expect.stringContaining('court-direction-or-care-plan') });
    const subsistence = application({ category: 'NRPF_SUBSISTENCE', evidence: [] });
    expect(checkGuidance(subsistence, guidance, 0)).toMatchObject({ ok: false, rule: 'missing-evidence', detail: 'NRPF_SUBSISTENCE needs evidence: child-in-need-assessment, nrpf-assessment' });
  });

  it('refuses an award over its cap: clothing at £150.00 is allowed, £150.01 is not', () => {
    expect(checkGuidance(application({ amountPence: 15_000 }), guidance, 0).ok).toBe(true);
    expect(checkGuidance(application({ amountPence: 15_001 }), guidance, 0)).toMatchObject({ ok: false, rule: 'over-award-cap', detail: '£150.01 is over the CLOTHING cap of £150.00 per award' });
  });

  it('refuses an award that would take the child over the yearly cap: £400 of clothing a year', () => {
    expect(checkGuidance(application({ amountPence: 10_000 }), guidance, 30_000).ok).toBe(true); // exactly £400
    expect(checkGuidance(application({ amountPence: 10_001 }), guidance, 30_000)).toMatchObject({
      ok: false,
      rule: 'over-child-yearly-cap',
      detail: 'with £300.00 already awarded this year, £100.01 more is over the CLOTHING cap of £400.00 per child per year',
    });
  });

  it('counts only the payments in the financial year of the first payment against the yearly cap', () => {
    // Weekly £50 food vouchers from 15 March 2027: the first six weeks pay on 15, 22, 29 March (2026/27) and 5, 12, 19 April (2027/28).
    const food = application({ category: 'FOOD', amountPence: 5_000, basis: 'recurring', startDate: '2027-03-15', endDate: '2027-04-30' });
    // 15, 22, 29 March are in 2026/27 (£150); with £150 already awarded the £300 cap is reached, not passed.
    expect(checkGuidance(food, guidance, 15_000).ok).toBe(true);
    expect(checkGuidance(food, guidance, 15_001)).toMatchObject({ ok: false, rule: 'over-child-yearly-cap' });
  });
});

describe('authorisation pathway', () => {
  const clothing = categoryOf(guidance, 'CLOTHING')!;
  const nrpf = categoryOf(guidance, 'NRPF_ACCOMMODATION')!;
  const counsel = categoryOf(guidance, 'COUNSEL')!;

  it.each([
    [25_000, 'team-manager'],
    [25_001, 'service-manager'],
    [100_000, 'service-manager'],
    [100_001, 'head-of-service'],
  ])('%i pence needs a %s (at the limit and one penny over)', (pence, role) => {
    expect(requiredRole(pence, nrpf, guidance)).toBe(role);
  });

  it('expert and counsel fees always need the head of service, however small', () => {
    expect(requiredRole(100, counsel, guidance)).toBe('head-of-service');
    expect(requiredRole(100, clothing, guidance)).toBe('team-manager');
  });

  it('a more senior role may authorise what a junior one may; a junior one may not go higher', () => {
    expect(mayAuthorise(['head-of-service'], 'team-manager')).toBe(true);
    expect(mayAuthorise(['team-manager'], 'service-manager')).toBe(false);
    expect(mayAuthorise(['social-worker'], 'team-manager')).toBe(false);
    expect(mayAuthorise(['social-worker', 'service-manager'], 'service-manager')).toBe(true);
    expect(mayAuthorise(['team-manager', 'head-of-service'], 'head-of-service')).toBe(true); // the most senior role held counts
  });

  it('a recurring award is authorised six weeks at a time, and the tier follows the value of that period', () => {
    const weekly = application({ category: 'NRPF_SUBSISTENCE', amountPence: 20_000, basis: 'recurring', startDate: '2026-11-02', endDate: '2027-03-29', evidence: [{ type: 'child-in-need-assessment', reference: 'a' }, { type: 'nrpf-assessment', reference: 'b' }] });
    const period = approvalPeriod(weekly, weekly.startDate, guidance);
    expect(period.payments).toHaveLength(6);
    expect(period.until).toBe('2026-12-13');
    // 6 × £200 = £1,200: over the service manager's £1,000, so the head of service.
    expect(checkGuidance(weekly, guidance, 0)).toMatchObject({ ok: true, periodValuePence: 120_000, requiredRole: 'head-of-service', approvedUntil: '2026-12-13' });
  });

  it('a recurring award ending inside its six weeks is approved up to its end date, not beyond', () => {
    const shortRun = { basis: 'recurring' as const, endDate: '2026-11-20' };
    expect(approvalPeriod(shortRun, '2026-11-02', guidance)).toEqual({ payments: ['2026-11-02', '2026-11-09', '2026-11-16'], until: '2026-11-20' });
  });

  it('weekly payments run from the first date every 7 days up to the last', () => {
    expect(weeklyPayments('2026-11-02', '2026-11-16')).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    expect(weeklyPayments('2026-11-02', '2026-11-15')).toEqual(['2026-11-02', '2026-11-09']);
  });
});
