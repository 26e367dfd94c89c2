/**
 * `AWS::Events::Rule`s with a `ScheduleExpression`, fired at their times (UTC, as EventBridge does)
 * with the event EventBridge sends, shaped per target by Input, InputPath or InputTransformer.
 *
 * `cron(...)` expressions are read by croner once the AWS form is mapped onto croner's 7-part form:
 * a seconds field of 0 in front, `?` as `*`, and Quartz weekday numbering (1 = Sunday), which is
 * AWS's. `rate(n unit)` fires every n units from start, as EventBridge fires from rule creation.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template';

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
export function nextFirings(expression: string, count: number, from = new Date()): Date[] {
  const parsed = parseScheduleExpression(expression);
  if (parsed.kind === 'rate') return Array.from({ length: count }, (_, i) => new Date(from.getTime() + (i + 1) * parsed.everyMs));
  const cron = toCron(parsed.pattern);
  const out: Date[] = [];
  let cursor: Date | null = from;
  // Years outside the year field are skipped; give up after a generous number of candidates.
  for (let guard = 0; out.length < count && cursor && guard < 10_000; guard++) {
    cursor = cron.nextRun(cursor);
    if (cursor && (!parsed.years || parsed.years(cursor.getUTCFullYear()))) out.push(cursor);
  }
  return out;
}

/** A running schedule: calls `fire` with the scheduled time at each firing. */
export interface Timer {
  stop(): void;
}

export function startTimer(expression: string, fire: (at: Date) => void): Timer {
  const parsed = parseScheduleExpression(expression);
  if (parsed.kind === 'rate') {
    const interval = setInterval(() => fire(new Date(Math.floor(Date.now() / 1000) * 1000)), parsed.everyMs);
    return { stop: () => clearInterval(interval) };
  }
  const job = toCron(parsed.pattern, () => {
    // The minute it was scheduled for (the callback runs a few milliseconds after).
    const at = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    if (!parsed.years || parsed.years(at.getUTCFullYear())) fire(at);
  });
  return { stop: () => job.stop() };
}
