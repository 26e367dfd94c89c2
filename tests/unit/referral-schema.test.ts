import { describe, expect, it } from 'vitest';
import { ReferralEvent } from '#lib/referrals/schema';
import { fieldErrors } from '#lib/http/problem';
import { readEvent } from '#tests/support/webhook';

const sample = (name: string) => JSON.parse(readEvent(`referrals/${name}.json`));

describe('referral event schema', () => {
  it.each(['created', 'updated', 'withdrawn'])('accepts the %s sample', (name) => {
    expect(ReferralEvent.safeParse(sample(name)).success).toBe(true);
  });

  it('names every failing field and its rule', () => {
    const result = ReferralEvent.safeParse(sample('invalid'));
    expect(result.success).toBe(false);
    const errors = fieldErrors(result.error!);
    expect(errors.map((e) => [e.field, e.rule])).toEqual(
      expect.arrayContaining([
        ['data.placingAuthority.laNumber', 'custom'],
        ['data.child.dateOfBirth', 'invalid_format'],
        ['data.child.sex', 'invalid_value'],
        ['data.sought.placementType', 'invalid_value'],
        ['data.sought.maxWeeklyBudgetPence', 'invalid_type'],
        ['data.risks.riskMissing', 'required'],
      ]),
    );
    expect(errors).toHaveLength(6);
  });

  it('never echoes the rejected value in a message (it may be a child\'s data)', () => {
    const event = sample('created');
    event.data.child.initials = 'Jonathan Smith';
    event.data.child.dateOfBirth = '14/03/2011';
    const messages = fieldErrors(ReferralEvent.safeParse(event).error!).map((e) => e.message).join(' ');
    expect(messages).not.toMatch(/Jonathan|Smith|14\/03/);
  });

  it('refuses a retired SSDA903 placement type (H5 became K3 in 2025/26)', () => {
    const event = sample('created');
    event.data.sought.placementType = 'H5';
    expect(ReferralEvent.safeParse(event).success).toBe(false);
    event.data.sought.placementType = 'K3';
    expect(ReferralEvent.safeParse(event).success).toBe(true);
  });

  it('normalises postcodes and refuses partial ones', () => {
    const event = sample('created');
    event.data.child.homePostcode = 'ne81hh';
    expect(ReferralEvent.parse(event).data).toMatchObject({ child: { homePostcode: 'NE8 1HH' } });
    event.data.child.homePostcode = 'NE8';
    expect(ReferralEvent.safeParse(event).success).toBe(false);
  });

  it('drops fields it does not know instead of storing them', () => {
    const event = sample('created');
    event.data.child.fullName = 'not to be stored';
    expect(JSON.stringify(ReferralEvent.parse(event))).not.toContain('not to be stored');
  });

  it('refuses a referral from this council itself (LA 392 places its own children directly)', () => {
    const event = sample('created');
    event.data.placingAuthority.laNumber = '392';
    const errors = fieldErrors(ReferralEvent.safeParse(event).error!);
    expect(errors).toEqual([expect.objectContaining({ field: 'data.placingAuthority.laNumber' })]);
  });

  it.each([
    ['an unknown event type', { type: 'referral.deleted', data: {} }, 'type'],
    ['money as a float', { ...sample('created'), data: { ...sample('created').data, sought: { ...sample('created').data.sought, maxWeeklyBudgetPence: 4500.5 } } }, 'data.sought.maxWeeklyBudgetPence'],
  ])('refuses %s', (_name, body, field) => {
    const errors = fieldErrors(ReferralEvent.safeParse(body).error!);
    expect(errors.map((e) => e.field)).toContain(field);
  });
});
