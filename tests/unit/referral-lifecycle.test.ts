import { describe, expect, it } from 'vitest';
import { applyReferralEvent, type ReferralRecord } from '#lib/referrals/lifecycle';
import { ReferralEvent } from '#lib/referrals/schema';
import { readEvent } from '#tests/support/webhook';

const event = (name: string) => ReferralEvent.parse(JSON.parse(readEvent(`referrals/${name}.json`)));
const ctx = (n: number) => ({ webhookId: `msg_${n}`, receivedAt: `2026-11-2${n}T09:00:00.000Z` });

function applied(current: ReferralRecord | undefined, name: string, n: number) {
  const t = applyReferralEvent(current, event(name), ctx(n));
  if (t.kind !== 'apply') throw new Error(`expected apply, got ${t.reason}`);
  return t;
}

describe('referral lifecycle', () => {
  it('a create opens version 1 with the whole referral in its history', () => {
    const t = applied(undefined, 'created', 1);
    expect(t.next).toMatchObject({ referralId: 'NE12-2026-000123', status: 'open', version: 1, placingLa: '390', createdAt: ctx(1).receivedAt });
    expect(t.history).toMatchObject({ version: 1, event: 'referral.created', webhookId: 'msg_1' });
    expect(t.history.changed).toContain('sought');
  });

  it('an update moves to the next version and records which sections changed', () => {
    const v1 = applied(undefined, 'created', 1).next;
    const t = applied(v1, 'updated', 2);
    expect(t.next).toMatchObject({ version: 2, status: 'open', createdAt: v1.createdAt, updatedAt: ctx(2).receivedAt });
    expect(t.history.changed).toEqual(['sought']);
    expect(t.next.referral?.sought.maxWeeklyBudgetPence).toBe(480000);
  });

  it('an update that arrives before its create opens the referral (webhooks are unordered)', () => {
    expect(applied(undefined, 'updated', 1).next).toMatchObject({ status: 'open', version: 1 });
  });

  it('a second create for the same referral is a conflict', () => {
    const v1 = applied(undefined, 'created', 1).next;
    expect(applyReferralEvent(v1, event('created'), ctx(2))).toMatchObject({ kind: 'reject', reason: 'referral-exists' });
  });

  it('a withdrawal closes the referral and keeps its last details', () => {
    const v1 = applied(undefined, 'created', 1).next;
    const t = applied(v1, 'withdrawn', 2);
    expect(t.next).toMatchObject({ status: 'withdrawn', version: 2, placingLa: '390' });
    expect(t.next.referral).toEqual(v1.referral);
    expect(t.history).toMatchObject({ event: 'referral.withdrawn', changed: ['status'] });
  });

  it.each(['updated', 'withdrawn', 'created'])('a %s after withdrawal is a conflict', (name) => {
    const withdrawn = applied(applied(undefined, 'created', 1).next, 'withdrawn', 2).next;
    expect(applyReferralEvent(withdrawn, event(name), ctx(3))).toMatchObject({ kind: 'reject', reason: 'referral-closed' });
  });

  it('an update to a placed referral is a conflict', () => {
    const placed: ReferralRecord = { ...applied(undefined, 'created', 1).next, status: 'placed' };
    expect(applyReferralEvent(placed, event('updated'), ctx(2))).toMatchObject({ kind: 'reject', reason: 'referral-closed' });
  });

  it('an update to an offered referral keeps it offered', () => {
    const offered: ReferralRecord = { ...applied(undefined, 'created', 1).next, status: 'offered' };
    expect(applied(offered, 'updated', 2).next.status).toBe('offered');
  });
});
