/**
 * The local stack's clock: the time every function, mapping, schedule, the dev issuer and the CLIs
 * see. It runs at the wall clock's pace from wherever it was set (`npm start -- --clock <instant>`)
 * and only moves forward (`npm run clock -- +7d`); set to nothing, it is the wall clock. It lives in
 * the runner alone: the template never carries it, and functions get it from the runner
 * (lambda-runtime.ts), never from their environment.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, type Clock } from '#lib/clock';

const UNIT_MS = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const STEP = /(\d+)([wdhms])/g;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A move backwards: what ran, ran. */
export class ClockMoveRefused extends Error {
  override name = 'ClockMoveRefused';
}

/** Neither an instant with its zone nor a step forward. */
export class InvalidClockTarget extends Error {
  override name = 'InvalidClockTarget';
}

/**
 * Reads where to move the clock: `+7d`, `+1d12h`, `+90m`, `+2w` (weeks, days, hours, minutes,
 * seconds) from `nowMs`, or an instant with its zone (`2026-06-01T07:00Z`, `2026-05-01T09:00:00+01:00`).
 */
export function parseClockTarget(text: string, nowMs: number): number {
  const value = text.trim();
  if (value.startsWith('+')) {
    const steps = [...value.slice(1).matchAll(STEP)];
    if (steps.length === 0 || steps.map((s) => s[0]).join('') !== value.slice(1)) {
      throw new InvalidClockTarget(`${text}: expected +<n><unit>… with units w, d, h, m, s (e.g. +7d, +1d12h) or an instant such as 2026-06-01T07:00Z`);
    }
    return nowMs + steps.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS], 0);
  }
  if (!INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidClockTarget(`${text}: expected an instant with its zone (2026-06-01T07:00Z, 2026-05-01T09:00:00+01:00) or a step forward (+7d)`);
  }
  return Date.parse(value);
}

export interface ClockState {
  /** The stack's time now (ISO, UTC). */
  now: string;
  /** How far it is from the wall clock (ms; 0 when it was never set). */
  offsetMs: number;
  /** Whether it was set or moved away from the wall clock. */
  shifted: boolean;
  /** False for a clock that stands still until moved (tests). */
  runs: boolean;
}

export class LocalClock implements Clock {
  private offsetMs: number;
  /** Where a clock that stands still stands. */
  private standing: number | undefined;

  /** @param startMs where the clock starts (it runs on from there); @default the wall clock's time */
  constructor(
    startMs?: number,
    private readonly wall: Clock = systemClock,
  ) {
    this.offsetMs = startMs === undefined ? 0 : startMs - wall.nowMs();
  }

  /** A clock that stays at `atMs` until it is moved: for tests, where "the last minute of a month" must not run into the next. */
  static standingAt(atMs: number, wall: Clock = systemClock): LocalClock {
    const clock = new LocalClock(atMs, wall);
    clock.standing = atMs;
    return clock;
  }

  /** A clock that goes on from a saved state: the same distance from the wall clock. */
  static fromOffset(offsetMs: number, wall: Clock = systemClock): LocalClock {
    const clock = new LocalClock(undefined, wall);
    clock.offsetMs = offsetMs;
    return clock;
  }

  nowMs(): number {
    return this.standing ?? this.wall.nowMs() + this.offsetMs;
  }

  /** Moves the clock forward to `targetMs` (a time already passed is refused: what ran, ran). */
  moveTo(targetMs: number): void {
    const now = this.nowMs();
    if (targetMs < now) {
      throw new ClockMoveRefused(`the stack's clock only moves forward: it is ${new Date(now).toISOString()}, later than ${new Date(targetMs).toISOString()}`);
    }
    this.offsetMs += targetMs - now;
    if (this.standing !== undefined) this.standing = targetMs;
  }

  state(): ClockState {
    const now = this.nowMs();
    const offsetMs = Math.round(now - this.wall.nowMs());
    return { now: new Date(now).toISOString(), offsetMs, shifted: this.standing !== undefined || this.offsetMs !== 0, runs: this.standing === undefined };
  }
}

// ---------------------------------------------------------------------------------------------
// Kept in the data dir, so a restart goes on at the same distance from the wall clock.

const CLOCK_FILE = 'clock.json';

export function savedClockOffset(dataDir: string): number | undefined {
  const file = join(dataDir, CLOCK_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const { offsetMs } = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
    return typeof offsetMs === 'number' && Number.isFinite(offsetMs) ? offsetMs : undefined;
  } catch {
    return undefined;
  }
}

export function saveClock(dataDir: string, clock: LocalClock): void {
  writeFileSync(join(dataDir, CLOCK_FILE), `${JSON.stringify(clock.state())}\n`);
}

const LONDON = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

/** `Sat, 1 May 2027, 09:00 BST (2027-05-01T08:00:00.000Z)`: an instant as people in the council read it, and as UTC. */
export function describeInstant(iso: string): string {
  return `${LONDON.format(Date.parse(iso))} (${iso})`;
}

/** The clock asked for, else the one kept in the data dir by the last run, else the wall clock. */
export function startingClock(asked: string | number | undefined, dataDir: string, standsStill: boolean): LocalClock {
  if (asked === undefined) {
    if (standsStill) throw new InvalidClockTarget('a clock that stands still needs an instant to stand at');
    return LocalClock.fromOffset(savedClockOffset(dataDir) ?? 0);
  }
  if (typeof asked === 'string' && asked.trim().startsWith('+')) throw new InvalidClockTarget(`--clock ${asked}: give an instant, e.g. 2026-05-01T09:00:00+01:00`);
  const ms = typeof asked === 'number' ? asked : parseClockTarget(asked, Date.now());
  return standsStill ? LocalClock.standingAt(ms) : new LocalClock(ms);
}
