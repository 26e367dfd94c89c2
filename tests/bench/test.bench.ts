/**
 * `npm test` timed as a developer runs it: type check, then the whole vitest run (both projects),
 * from this checkout as it is (the bundled e2e assembly cached in node_modules/.cache is used when up
 * to date: remove it for a clean clone's figure). Also the unit project on its own (no emulator, no
 * synth). Prints and records seconds; asserts nothing.
 *
 *   npm run bench -- test
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { BenchRecorder } from './results';

function timed(command: string, args: string[]): { seconds: number; ok: boolean } {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  return { seconds: (performance.now() - started) / 1000, ok: run.status === 0 };
}

const recorder = new BenchRecorder('test');
const loadBefore = loadavg()[0]!;
const unit = timed('npx', ['vitest', 'run', '--project', 'unit']);
const whole = timed('npm', ['test']);
recorder.table('npm test', [
  { what: 'vitest --project unit (no emulator, no synth)', seconds: unit.seconds.toFixed(1), passed: String(unit.ok) },
  { what: 'npm test (tsc --noEmit, then both projects)', seconds: whole.seconds.toFixed(1), passed: String(whole.ok) },
]);
recorder.measure({ measure: 'npm test', figure: Number(whole.seconds.toFixed(1)), unit: 's', goal: { op: '<=', value: 90 }, note: `${whole.ok ? 'passed' : 'FAILED'}; load average ${loadBefore.toFixed(1)} before` });
recorder.measure({ measure: 'unit tests alone (vitest --project unit)', figure: Number(unit.seconds.toFixed(1)), unit: 's' });
recorder.write();
