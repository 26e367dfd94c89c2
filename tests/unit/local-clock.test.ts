import { describe, expect, it } from 'vitest';
import { ClockMoveRefused, describeInstant, InvalidClockTarget, LocalClock, parseClockTarget } from '#infra/local/local-clock';
import { manualClock } from '#tests/support/clock';

/** The local stack's clock: set anywhere, runs at the wall clock's pace, moves only forward. */

const H = 3_600_000;
const D = 24 * H;

describe('where the clock is moved to', () => {
  const now = Date.parse('2026-05-01T08:00:00Z');

  it('reads steps forward in weeks, days, hours, minutes and seconds, alone or together', () => {
    expect(parseClockTarget('+7d', now)).toBe(now + 7 * D);
    expect(parseClockTarget('+1d12h', now)).toBe(now + 36 * H);
    expect(parseClockTarget('+2w', now)).toBe(now + 14 * D);
    expect(parseClockTarget('+90m', now)).toBe(now + 90 * 60_000);
    expect(parseClockTarget('+30s', now)).toBe(now + 30_000);
  });

  it('reads instants with their zone, summer time included', () => {
    expect(new Date(parseClockTarget('2026-06-01T07:00Z', now)).toISOString()).toBe('2026-06-01T07:00:00.000Z');
    expect(new Date(parseClockTarget('2026-05-01T09:00:00+01:00', now)).toISOString()).toBe('2026-05-01T08:00:00.000Z');
  });

  it('refuses what it cannot read, saying what it takes: no zone, a step back, a unit it does not know', () => {
    for (const text of ['2026-06-01T07:00', '2026-06-01', '-1d', '+7x', '+', 'tomorrow']) {
      expect(() => parseClockTarget(text, now), text).toThrow(InvalidClockTarget);
    }
  });
});

describe('the local clock', () => {
  it('runs at the wall clock\'s pace from where it was set, and moves forward only', () => {
    const wall = manualClock('2026-12-01T12:00:00Z');
    const clock = new LocalClock(Date.parse('2026-05-01T08:00:00Z'), wall);
    wall.advance(90_000);
    expect(new Date(clock.nowMs()).toISOString()).toBe('2026-05-01T08:01:30.000Z');

    clock.moveTo(clock.nowMs() + 7 * D);
    wall.advance(30_000);
    expect(new Date(clock.nowMs()).toISOString()).toBe('2026-05-08T08:02:00.000Z');
    expect(() => clock.moveTo(Date.parse('2026-05-08T08:00:00Z'))).toThrow(ClockMoveRefused);
    expect(clock.state()).toMatchObject({ now: '2026-05-08T08:02:00.000Z', shifted: true, runs: true });
  });

  it('is the wall clock when set to nothing, and goes on at a saved distance from it', () => {
    const wall = manualClock('2026-12-01T12:00:00Z');
    expect(new LocalClock(undefined, wall).state()).toEqual({ now: '2026-12-01T12:00:00.000Z', offsetMs: 0, shifted: false, runs: true });
    expect(LocalClock.fromOffset(-D, wall).state().now).toBe('2026-11-30T12:00:00.000Z');
  });

  it('stands still, for tests, until it is moved', () => {
    const wall = manualClock('2026-12-01T12:00:00Z');
    const clock = LocalClock.standingAt(Date.parse('2027-01-31T23:59:00Z'), wall);
    wall.advance(5 * 60_000);
    expect(new Date(clock.nowMs()).toISOString()).toBe('2027-01-31T23:59:00.000Z');
    clock.moveTo(Date.parse('2027-02-01T00:00:00Z'));
    expect(clock.state()).toMatchObject({ now: '2027-02-01T00:00:00.000Z', runs: false });
  });

  it('is shown as the council reads it, and in UTC', () => {
    expect(describeInstant('2027-03-28T01:30:00.000Z')).toBe('Sun, 28 Mar 2027, 02:30 BST (2027-03-28T01:30:00.000Z)');
    expect(describeInstant('2026-10-25T01:30:00.000Z')).toBe('Sun, 25 Oct 2026, 01:30 GMT (2026-10-25T01:30:00.000Z)');
  });
});
