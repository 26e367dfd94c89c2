/**
 * `npm test` timed as a developer runs it: the type check beside the whole vitest run (all three
 * projects, tests/run.ts), from this checkout as it is (the bundled e2e assembly cached in
 * node_modules/.cache is used when up to date: remove it for a clean clone's figure). Also the unit
 * project on its own (no emulator, no synth). Prints and records wall seconds and the CPU seconds of
 * everything each command started (user + system, from /proc on Linux): on a shared two-core machine
 * the wall time follows the load, the CPU time much less; and that CPU by kind of process (vitest's
 * workers, DynamoDB Local, Chromium, the local stacks' function processes …: tests/bench/process-cpu.ts).
 * Asserts nothing.
 *
 *   npm run bench -- test
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { watchProcessCpu, type KindCpu } from './process-cpu';
import { BenchRecorder } from './results';

interface Timed {
  seconds: number;
  cpuSeconds: number;
  ok: boolean;
  byKind: KindCpu[];
}

/**
 * Runs the command to its end, timing it. Its CPU is the sum over every process it started, sampled from
 * /proc (tests/bench/process-cpu.ts): the CPU of reaped children (cutime) misses every process that
 * outlives its parent or is never waited for (one run: 425 s reaped against 490 s sampled). NaN where
 * there is no /proc.
 */
async function timed(command: string, args: string[]): Promise<Timed> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  const watch = child.pid === undefined ? null : watchProcessCpu(child.pid);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  watch?.stop();
  const seconds = (performance.now() - started) / 1000;
  const byKind = watch?.byKind() ?? [];
  const cpuSeconds = watch ? byKind.reduce((sum, k) => sum + k.cpuSeconds, 0) : Number.NaN;
  return { seconds, cpuSeconds, ok: code === 0, byKind };
}

const recorder = new BenchRecorder('test');
const loadBefore = loadavg()[0]!;
const unit = await timed('npx', ['vitest', 'run', '--project', 'unit']);
const whole = await timed('npm', ['test']);
const loadAfter = loadavg()[0]!;
recorder.table('npm test', [
  { what: 'vitest --project unit (no emulator, no synth)', seconds: unit.seconds.toFixed(1), 'CPU seconds': unit.cpuSeconds.toFixed(1), passed: String(unit.ok) },
  { what: 'npm test (tsc --noEmit beside all three projects)', seconds: whole.seconds.toFixed(1), 'CPU seconds': whole.cpuSeconds.toFixed(1), passed: String(whole.ok) },
]);
if (whole.byKind.length > 0) {
  recorder.table('npm test: CPU seconds by kind of process (/proc, sampled twice a second)', [
    ...whole.byKind.map((k) => ({ kind: k.kind, processes: k.processes, 'CPU seconds': k.cpuSeconds.toFixed(1) })),
    { kind: 'all', processes: whole.byKind.reduce((sum, k) => sum + k.processes, 0), 'CPU seconds': whole.cpuSeconds.toFixed(1) },
  ]);
}
const load = `load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`;
recorder.measure({ measure: 'npm test', figure: Number(whole.seconds.toFixed(1)), unit: 's', goal: { op: '<=', value: 90 }, note: `${whole.ok ? 'passed' : 'FAILED'}; ${load}` });
recorder.measure({ measure: 'npm test, CPU of everything it started', figure: Number(whole.cpuSeconds.toFixed(1)), unit: 's', note: '2 cores: the wall time cannot be below half of it' });
recorder.measure({ measure: 'unit tests alone (vitest --project unit)', figure: Number(unit.seconds.toFixed(1)), unit: 's' });
recorder.write();
