/**
 * Where a command's CPU goes, by kind of process (Linux only, from /proc): every process descended
 * from the one watched is sampled twice a second, its user + system time kept by the last sample
 * seen, and put under a kind by its command line (vitest's workers, DynamoDB Local, Chromium, the
 * local stacks' function processes, the type check …). A process loses what it ran after its last
 * sample (up to half a second); processes that start and end between two samples are not seen.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 500;

/** The kinds, first match wins; the command line is the process's arguments joined by spaces. */
const KINDS: Array<[kind: string, matches: (command: string) => boolean]> = [
  ['Chromium', (c) => /(^|\/)chromium( |$)|\/chromium\//.test(c)],
  ['DynamoDB Local (java)', (c) => /(^|\/)java /.test(c)],
  ['local stacks’ function processes', (c) => c.includes('lambda-worker')],
  ['crash tests’ workers', (c) => /-worker\.mjs( |$)/.test(c)],
  ['type check (tsc)', (c) => c.includes('typescript-native') || c.includes('@typescript/typescript-')],
  ['vitest workers', (c) => c.includes('vitest') && /workers?\/|forks/.test(c)],
  ['vitest main (emulators, synth, transforms)', (c) => c.includes('vitest')],
  ['dependency-cruiser', (c) => c.includes('dependency-cruiser')],
];

function kindOf(command: string): string {
  return KINDS.find(([, matches]) => matches(command))?.[0] ?? 'other';
}

interface ProcessSample {
  parent: number;
  cpuTicks: number;
}

function sample(pid: number): ProcessSample | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (name) ": state, ppid … utime is field 14 and stime 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { parent: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return undefined;
  }
}

export interface KindCpu {
  kind: string;
  cpuSeconds: number;
  processes: number;
}

export interface ProcessCpu {
  /** CPU seconds by kind, largest first. */
  byKind(): KindCpu[];
  stop(): void;
}

/** Samples `root`'s descendants until `stop()`; null where there is no /proc. */
export function watchProcessCpu(root: number): ProcessCpu | null {
  try {
    readdirSync('/proc');
  } catch {
    return null;
  }
  const seen = new Map<number, { kind: string; cpuTicks: number }>();
  const tick = () => {
    const samples = new Map<number, ProcessSample>();
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const s = sample(pid);
      if (s) samples.set(pid, s);
    }
    const descends = (pid: number): boolean => {
      for (let at = pid, hops = 0; at > 1 && hops < 64; at = samples.get(at)?.parent ?? 0, hops++) if (at === root) return true;
      return false;
    };
    for (const [pid, s] of samples) {
      if (!descends(pid)) continue;
      const known = seen.get(pid);
      if (known) known.cpuTicks = s.cpuTicks;
      else {
        const command = commandLine(pid);
        if (command !== undefined) seen.set(pid, { kind: kindOf(command), cpuTicks: s.cpuTicks });
      }
    }
  };
  const timer = setInterval(tick, SAMPLE_MS);
  tick();
  return {
    stop: () => clearInterval(timer),
    byKind: () => {
      const totals = new Map<string, { cpuSeconds: number; processes: number }>();
      for (const { kind, cpuTicks } of seen.values()) {
        const total = totals.get(kind) ?? { cpuSeconds: 0, processes: 0 };
        total.cpuSeconds += cpuTicks / TICKS_PER_SECOND;
        total.processes++;
        totals.set(kind, total);
      }
      return [...totals].map(([kind, t]) => ({ kind, ...t })).sort((a, b) => b.cpuSeconds - a.cpuSeconds);
    },
  };
}
