import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { LocalClock } from '#infra/local/local-clock';
import { ScheduleDelivery, type Firing, type ScheduleSpec } from '#infra/local/schedules';
import { manualClock } from '#tests/support/clock';

/**
 * The stack's schedules delivered on its clock: each firing once, all rules in time order, and a
 * clock moved forward stopping at every firing on the way. The rules are the synthesized stack's own.
 */

type Json = Record<string, any>;

function stackRules(): ScheduleSpec[] {
  const template = inject('stackTemplate') as Json | undefined;
  if (!template) throw new Error(`the stack did not synthesize: ${inject('stackTemplateError')}`);
  return Object.entries(template.Resources as Json)
    .filter(([, r]) => r.Type === 'AWS::Events::Rule' && typeof r.Properties.ScheduleExpression === 'string')
    .map(([logicalId, r]) => ({ logicalId, name: logicalId, arn: `arn:aws:events:eu-west-2:000000000000:rule/${logicalId}`, expression: r.Properties.ScheduleExpression, enabled: true, targets: [] }));
}

/** A delivery on a clock standing at `at`, recording each firing with the clock's time when it fired. */
function deliveryAt(at: string) {
  const clock = LocalClock.standingAt(Date.parse(at));
  const fired: Array<{ rule: string; at: string; clock: string }> = [];
  let settled = 0;
  const delivery = new ScheduleDelivery(stackRules(), clock, async (f: Firing) => {
    fired.push({ rule: f.rule.logicalId, at: f.at.toISOString(), clock: new Date(clock.nowMs()).toISOString() });
  });
  const advance = (to: string) =>
    delivery.advance(Date.parse(to), (ms) => clock.moveTo(ms), async () => {
      settled++;
    });
  return { clock, fired, advance, settled: () => settled, delivery };
}

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  vi.useRealTimers();
});

describe('moving the clock forward', () => {
  it('+40 days across a month end: the monthly invoicing once, the daily void-bed check once a day, in time order, each at its own time', async () => {
    const { fired, advance, settled, clock } = deliveryAt('2026-12-20T12:00:00Z');

    const delivered = await advance('2027-01-29T12:00:00Z');

    const invoicing = fired.filter((f) => f.rule === 'InvoicingRunSchedule');
    const daily = fired.filter((f) => f.rule === 'VoidBedMonitorSchedule');
    expect(invoicing.map((f) => f.at)).toEqual(['2027-01-01T02:00:00.000Z']);
    expect(daily).toHaveLength(40);
    expect(daily[0]!.at).toBe('2026-12-21T07:00:00.000Z');
    expect(daily.at(-1)!.at).toBe('2027-01-29T07:00:00.000Z');
    expect(new Set(daily.map((f) => f.at.slice(0, 10))).size).toBe(40);
    expect(fired.map((f) => f.at)).toEqual([...fired.map((f) => f.at)].sort());
    expect(fired.every((f) => f.clock === f.at)).toBe(true);
    // The daily reminders once a day too; the 5-minute outbox sweep only its latest (a sweep subsumes the ones missed).
    expect(fired.filter((f) => f.rule === 'PaymentRemindersSchedule')).toHaveLength(40);
    expect(fired.filter((f) => f.rule === 'NotificationOutboxSchedule').map((f) => f.at)).toEqual(['2027-01-29T12:00:00.000Z']);
    expect(delivered).toHaveLength(40 + 1 + 40 + 1);
    expect(settled()).toBe(delivered.length);
    expect(new Date(clock.nowMs()).toISOString()).toBe('2027-01-29T12:00:00.000Z');
  });

  it('fires nothing twice: moving on again fires only what is newly passed; across the financial year end and the spring clock change too', async () => {
    const { fired, advance } = deliveryAt('2027-03-27T12:00:00Z');
    await advance('2027-03-28T12:00:00Z');
    await advance('2027-04-02T06:00:00Z');

    expect(fired.map((f) => `${f.rule} ${f.at}`)).toEqual([
      'VoidBedMonitorSchedule 2027-03-28T07:00:00.000Z',
      'PaymentRemindersSchedule 2027-03-28T08:00:00.000Z',
      'NotificationOutboxSchedule 2027-03-28T12:00:00.000Z',
      'VoidBedMonitorSchedule 2027-03-29T07:00:00.000Z',
      'PaymentRemindersSchedule 2027-03-29T08:00:00.000Z',
      'VoidBedMonitorSchedule 2027-03-30T07:00:00.000Z',
      'PaymentRemindersSchedule 2027-03-30T08:00:00.000Z',
      'VoidBedMonitorSchedule 2027-03-31T07:00:00.000Z',
      'PaymentRemindersSchedule 2027-03-31T08:00:00.000Z',
      'InvoicingRunSchedule 2027-04-01T02:00:00.000Z',
      'VoidBedMonitorSchedule 2027-04-01T07:00:00.000Z',
      'PaymentRemindersSchedule 2027-04-01T08:00:00.000Z',
      'NotificationOutboxSchedule 2027-04-02T06:00:00.000Z',
    ]);
  });

  it('a firing that fails is reported and the clock goes on to the next', async () => {
    const clock = LocalClock.standingAt(Date.parse('2026-11-30T12:00:00Z'));
    const seen: string[] = [];
    const delivery = new ScheduleDelivery(stackRules(), clock, async (f) => {
      seen.push(f.rule.logicalId);
      if (f.rule.logicalId === 'InvoicingRunSchedule') throw new Error('month-not-ended');
    });
    const delivered = await delivery.advance(Date.parse('2026-12-02T12:00:00Z'), (ms) => clock.moveTo(ms), async () => undefined);
    expect(seen).toEqual(['InvoicingRunSchedule', 'VoidBedMonitorSchedule', 'PaymentRemindersSchedule', 'VoidBedMonitorSchedule', 'PaymentRemindersSchedule', 'NotificationOutboxSchedule']);
    expect(delivered.find((d) => d.firing.rule.logicalId === 'InvoicingRunSchedule')).toMatchObject({ error: 'month-not-ended' });
  });
});

describe('time running on', () => {
  it('fires a schedule when the running clock reaches it, once', async () => {
    vi.useFakeTimers();
    const wall = manualClock('2026-12-01T06:59:58Z');
    const clock = new LocalClock(undefined, wall);
    const fired: string[] = [];
    const delivery = new ScheduleDelivery(stackRules(), clock, async (f) => {
      fired.push(`${f.rule.logicalId} ${f.at.toISOString()}`);
    });
    delivery.start();
    stop = () => delivery.stop();

    wall.advance(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual([]);
    wall.advance(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    wall.advance(60_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired).toEqual(['VoidBedMonitorSchedule 2026-12-01T07:00:00.000Z']);
  });
});
