/**
 * `AWS::Events::Rule`s with a `ScheduleExpression`, fired at their times (UTC, as EventBridge does)
 * with the event EventBridge sends, shaped per target by Input, InputPath or InputTransformer.
 *
 * Each firing is delivered once, as the stack's clock (local-clock.ts) passes its time, even when
 * the clock is moved forward past it (ScheduleDelivery below).
 *
 * `cron(...)` expressions are read by croner once the AWS form is mapped onto croner's 7-part form:
 * a seconds field of 0 in front, `?` as `*`, and Quartz weekday numbering (1 = Sunday), which is
 * AWS's. `rate(n unit)` fires every n units from start, as EventBridge fires from rule creation.
 *
 * A firing goes to every target of its rule (`fireRule`): an SQS queue or SNS topic gets the payload
 * as its message; a function is invoked asynchronously, as EventBridge invokes Lambda (async-invoke.ts).
 */
import { randomUUID } from 'node:crypto';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Cron } from 'croner';
import type { Clock } from '#lib/clock';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './constants';

export type ScheduleTarget =
  | { id: string; kind: 'lambda'; functionLogicalId: string; input: TargetInput }
  | { id: string; kind: 'sqs'; queueUrl: string; input: TargetInput }
  | { id: string; kind: 'sns'; topicArn: string; input: TargetInput };

export type TargetInput =
  | { kind: 'event' }
  | { kind: 'constant'; json: string }
  | { kind: 'path'; path: string }
  | { kind: 'transformer'; paths: Record<string, string>; template: string };

export interface ScheduleSpec {
  logicalId: string;
  /** Rule name (Name, or `<stack>-<logicalId>`). */
  name: string;
  arn: string;
  expression: string;
  enabled: boolean;
  targets: ScheduleTarget[];
}

export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.events';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, never>;
}

/** The event EventBridge sends for a schedule firing at `at`. */
export function scheduledEvent(rule: Pick<ScheduleSpec, 'arn'>, at: Date): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [rule.arn],
    detail: {},
  };
}

/** What a target receives: the event itself, a constant, part of it, or a transformed template. */
export function targetPayload(input: TargetInput, event: ScheduledEvent): unknown {
  switch (input.kind) {
    case 'event':
      return event;
    case 'constant':
      return JSON.parse(input.json);
    case 'path':
      return jsonPath(event, input.path);
    case 'transformer': {
      const values = Object.fromEntries(Object.entries(input.paths).map(([k, p]) => [k, jsonPath(event, p)]));
      // Inside quotes a placeholder becomes the bare text; elsewhere, its JSON.
      const text = input.template
        .replace(/"<([A-Za-z0-9_.-]+)>"/g, (whole, key: string) =>
          key in values ? JSON.stringify(typeof values[key] === 'string' ? values[key] : JSON.stringify(values[key])) : whole,
        )
        .replace(/<([A-Za-z0-9_.-]+)>/g, (whole, key: string) => (key === 'aws.events.event.json' ? JSON.stringify(event) : key in values ? JSON.stringify(values[key]) : whole));
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
  }
}

/** `$`, `$.detail`, `$.detail.period`: the JSONPath subset EventBridge input paths use. */
function jsonPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$.')) throw new Error(`input path ${path} must start with $.`);
  return path
    .slice(2)
    .split('.')
    .reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

// ---------------------------------------------------------------------------------------------
// Firing a rule at its targets

/** What one firing of a rule did, per target. */
export interface ScheduleFiring {
  rule: string;
  time: string;
  /** `failedEventsQueue`: the on-failure destination a failed function's event was sent to. */
  targets: Array<{ id: string; kind: ScheduleTarget['kind']; ok: boolean; payload?: unknown; error?: unknown; failedEventsQueue?: string }>;
  /** Why the firing could not be delivered at all. */
  error?: string;
}

/** A target's answer: a function's first answer (its retries, if any, go on meanwhile); queues and topics just `ok`. */
export type TargetOutcome = Omit<ScheduleFiring['targets'][number], 'id' | 'kind'>;

export interface ScheduleTargets {
  sqs: SQSClient;
  sns: SNSClient;
  /** Invokes a function as EventBridge does, asynchronously; `retries`: as Lambda retries a failed asynchronous event. */
  invokeAsync(functionLogicalId: string, payload: unknown, retries: boolean): Promise<TargetOutcome>;
}

/** Fires `rule` once for `at`: the event EventBridge sends, shaped per target, delivered to every target. */
export async function fireRule(rule: ScheduleSpec, at: Date, targets: ScheduleTargets, retries: boolean): Promise<ScheduleFiring> {
  const event = scheduledEvent(rule, at);
  const delivered = await Promise.all(
    rule.targets.map(async (target) => ({ id: target.id, kind: target.kind, ...(await deliverTo(target, targetPayload(target.input, event), targets, retries)) })),
  );
  return { rule: rule.logicalId, time: event.time, targets: delivered };
}

async function deliverTo(target: ScheduleTarget, payload: unknown, targets: ScheduleTargets, retries: boolean): Promise<TargetOutcome> {
  switch (target.kind) {
    case 'sqs':
      await targets.sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: JSON.stringify(payload) }));
      return { ok: true };
    case 'sns':
      await targets.sns.send(new PublishCommand({ TopicArn: target.topicArn, Message: JSON.stringify(payload) }));
      return { ok: true };
    case 'lambda':
      return targets.invokeAsync(target.functionLogicalId, payload, retries);
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type ParsedSchedule = { kind: 'cron'; pattern: string; years?: (year: number) => boolean } | { kind: 'rate'; everyMs: number };

const RATE_UNITS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/** Reads `cron(Minutes Hours Day-of-month Month Day-of-week Year)` or `rate(Value Unit)`. */
export function parseScheduleExpression(expression: string): ParsedSchedule {
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/.exec(expression.trim());
  if (rate) {
    const unit = RATE_UNITS[rate[2]!];
    const n = Number(rate[1]);
    if (!unit || n < 1) throw new Error(`${expression}: not a rate EventBridge accepts`);
    return { kind: 'rate', everyMs: n * unit };
  }
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (!cron) throw new Error(`${expression}: not a cron(...) or rate(...) expression`);
  const fields = cron[1]!.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`${expression}: AWS cron expressions have 6 fields (minutes hours day-of-month month day-of-week year)`);
  const [minutes, hours, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if (dom !== '?' && dow !== '?') throw new Error(`${expression}: one of day-of-month or day-of-week must be ?`);
  const pattern = ['0', minutes, hours, dom === '?' ? '*' : dom, month, dow === '?' ? '*' : dow, '*'].join(' ');
  toCron(pattern); // throws on a field croner cannot read
  return { kind: 'cron', pattern, ...(year === '*' ? {} : { years: yearMatcher(year, expression) }) };
}

function yearMatcher(field: string, expression: string): (year: number) => boolean {
  const parts = field.split(',').map((part) => {
    const range = /^(\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!range) throw new Error(`${expression}: year field ${field} is not understood`);
    const from = Number(range[1]);
    const to = range[2] ? Number(range[2]) : range[3] ? 2199 : from;
    const step = Number(range[3] ?? 1);
    return (y: number) => y >= from && y <= to && (y - from) % step === 0;
  });
  return (year) => parts.some((p) => p(year));
}

function toCron(pattern: string, callback?: () => void): Cron {
  const options = { timezone: 'UTC', mode: '7-part' as const, alternativeWeekdays: true, sloppyRanges: true, paused: !callback };
  return callback ? new Cron(pattern, options, callback) : new Cron(pattern, options);
}

/** The next `count` times a schedule fires after `from` (rate schedules: counted from `from`). */
export function nextFirings(expression: string, count: number, from: Date): Date[] {
  return firingsBetween(expression, from.getTime(), Number.POSITIVE_INFINITY, count, from.getTime()).map((ms) => new Date(ms));
}

/**
 * When a schedule fires after `afterMs` and at or before `untilMs`, at most `limit` times: cron
 * expressions at their minutes, rate expressions every n units from `anchorMs` (when the rule began).
 */
export function firingsBetween(expression: string, afterMs: number, untilMs: number, limit: number, anchorMs: number): number[] {
  const parsed = parseScheduleExpression(expression);
  const out: number[] = [];
  if (parsed.kind === 'rate') {
    for (let k = Math.floor((afterMs - anchorMs) / parsed.everyMs) + 1; out.length < limit; k++) {
      const at = anchorMs + k * parsed.everyMs;
      if (at > untilMs) break;
      if (at > afterMs) out.push(at);
    }
    return out;
  }
  const cron = toCron(parsed.pattern);
  let cursor: Date | null = new Date(afterMs);
  // Years outside the year field are skipped; give up after a generous number of candidates.
  for (let guard = 0; out.length < limit && cursor && guard < 10_000; guard++) {
    cursor = cron.nextRun(cursor);
    if (!cursor || cursor.getTime() > untilMs) break;
    if (!parsed.years || parsed.years(cursor.getUTCFullYear())) out.push(cursor.getTime());
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Delivery on the stack's clock

export interface Firing {
  rule: ScheduleSpec;
  at: Date;
}

/** A firing delivered, with what its delivery answered (or why it failed). */
export interface Delivered<R> {
  firing: Firing;
  result?: R;
  error?: string;
}

/** A cron rule that would fire more often than this in one catch-up fires its latest this many times. */
const MAX_CATCH_UP_PER_RULE = 1_000;

/**
 * How many of a rule's missed firings one catch-up delivers. A `cron` rule marks a moment of the
 * calendar (the month's invoicing, the day's void-bed check): each one is delivered. A `rate` rule is
 * a sweep of whatever is due (the outbox every 5 minutes): one sweep at the end does what all the
 * missed ones would, so only the latest is delivered, and a week's jump does not run 2,016 sweeps.
 */
function catchUpLimit(expression: string): number {
  return parseScheduleExpression(expression).kind === 'rate' ? 1 : MAX_CATCH_UP_PER_RULE;
}
/** Looks at the clock at least this often, so nothing waits on a timer set before the clock moved. */
const MAX_TIMER_MS = 60_000;

/**
 * Fires the enabled schedules as the stack's clock passes their times: each firing once, all rules
 * in time order, one at a time (the next waits for the one before). The clock runs on in real time,
 * so a timer waits for the next firing; moved forward (`advance`), the clock stops at each firing on
 * the way, so what a firing starts runs at its own time: crossing a month end fires the monthly
 * invoicing once for that month, and the daily void-bed check once for every day passed.
 */
export class ScheduleDelivery<R = void> {
  /** Firings up to this time have been delivered (or came before the stack started). */
  private deliveredUpTo: number;
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly rules: readonly ScheduleSpec[],
    private readonly clock: Clock,
    private readonly fire: (firing: Firing) => Promise<R>,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.deliveredUpTo = this.startedAt = clock.nowMs();
  }

  /** Firings due after those delivered, up to `untilMs`, in time order. */
  due(untilMs: number): Firing[] {
    const firings: Firing[] = [];
    for (const rule of this.rules) {
      const times = firingsBetween(rule.expression, this.deliveredUpTo, untilMs, Number.POSITIVE_INFINITY, this.startedAt);
      const keep = catchUpLimit(rule.expression);
      if (times.length > keep) this.log(`schedule ${rule.logicalId}: ${times.length - keep} firings passed over, the latest ${keep} delivered`);
      for (const at of times.slice(-keep)) firings.push({ rule, at: new Date(at) });
    }
    return firings.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** The next firing of any rule after those delivered. */
  next(): Firing | undefined {
    return this.rules
      .map((rule) => ({ rule, at: firingsBetween(rule.expression, this.deliveredUpTo, Number.POSITIVE_INFINITY, 1, this.startedAt)[0] }))
      .filter((f): f is { rule: ScheduleSpec; at: number } => f.at !== undefined)
      .sort((a, b) => a.at - b.at)
      .map((f) => ({ rule: f.rule, at: new Date(f.at) }))[0];
  }

  start(): void {
    this.arm();
  }

  /**
   * Moves the clock forward to `targetMs` (with `moveClock`), stopping at every firing on the way:
   * the clock is set to the firing's time, the firing delivered, and `settle` awaited (the runner
   * lets the queues the firing fed drain) before the clock goes on.
   */
  advance(targetMs: number, moveClock: (toMs: number) => void, settle: () => Promise<void>): Promise<Array<Delivered<R>>> {
    return this.serially(async () => {
      const fired: Array<Delivered<R>> = [];
      for (const firing of this.due(targetMs)) {
        if (this.stopped) break;
        moveClock(Math.max(firing.at.getTime(), this.clock.nowMs()));
        fired.push(await this.deliver(firing));
        await settle();
      }
      moveClock(Math.max(targetMs, this.clock.nowMs()));
      this.deliveredUpTo = Math.max(this.deliveredUpTo, targetMs);
      return fired;
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async deliver(firing: Firing): Promise<Delivered<R>> {
    this.deliveredUpTo = firing.at.getTime();
    try {
      return { firing, result: await this.fire(firing) };
    } catch (error) {
      const message = (error as Error).message;
      this.log(`schedule ${firing.rule.logicalId} at ${firing.at.toISOString()}: ${message}`);
      return { firing, error: message };
    }
  }

  /** Delivers what is due by the clock now, in order. */
  private catchUp(): Promise<Array<Delivered<R>>> {
    return this.serially(async () => {
      const fired: Array<Delivered<R>> = [];
      for (const firing of this.due(this.clock.nowMs())) {
        if (this.stopped) break;
        fired.push(await this.deliver(firing));
      }
      return fired;
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined).finally(() => this.arm());
    return result;
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const next = this.next();
    if (!next) return;
    const delay = Math.min(Math.max(0, next.at.getTime() - this.clock.nowMs()), MAX_TIMER_MS);
    this.timer = setTimeout(() => void this.catchUp(), delay);
    this.timer.unref?.();
  }
}
