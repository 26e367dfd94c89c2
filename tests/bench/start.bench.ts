/**
 * Seconds from `npm start` (the real command, spawned) to the webhook accepting a signed delivery
 * (202): as on a clean clone (no cdk.out, no function bundled), after an edit outside the functions'
 * code (cdk.out out of date, every bundle reused), and with cdk.out up to date. Each start is on a
 * fresh data dir and a free port, and is stopped with SIGINT before the next.
 *
 *   npm run bench -- start            (BENCH_RUNS starts per mode, default 3)
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { readLocalStackInfo } from '#infra/local/runner';
import { postSignedDelivery, tempDir } from '#tests/e2e/support';
import { BenchRecorder } from './results';
import { median } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const body = readFileSync(join(PROJECT_ROOT, 'events/referrals/created.json'), 'utf8');

interface Timing {
  ready: number;
  accepted: number;
}

async function once(): Promise<Timing> {
  const dataDir = tempDir('bench-start');
  const started = performance.now();
  const child = spawn('npm', ['start', '--', '--fresh', '--port', '0', '--data-dir', dataDir], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  try {
    // Poll the webhook as a sender would: as soon as stack.json names it, until it answers 202.
    let ready = 0;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
      if (performance.now() - started > 180_000) throw new Error(`npm start not ready in 180 s:\n${output}`);
      try {
        const info = readLocalStackInfo(dataDir);
        ready ||= performance.now() - started;
        const answer = await postSignedDelivery(info, body.replace('NE12-2026-000123', `NE12-BENCH-${Date.now()}`));
        if (answer.status === 202) return { ready: ready / 1000, accepted: (performance.now() - started) / 1000 };
        throw new Error(`webhook answered ${answer.status}: ${JSON.stringify(answer.json)}`);
      } catch (error) {
        if (!/No local stack is running|fetch failed/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const cdkOut = join(PROJECT_ROOT, 'cdk.out');
const functionBundles = join(PROJECT_ROOT, 'node_modules', '.cache', 'cared-for', 'functions');
const modes = [
  // A clean clone: nothing synthesized, no function bundled.
  { name: 'no cdk.out, no bundles (clean clone)', goal: 12, prepare: () => [cdkOut, functionBundles].forEach((dir) => rmSync(dir, { recursive: true, force: true })) },
  // An edit outside the functions' code (infra/): synthesized again, every bundle reused.
  { name: 'cdk.out out of date, bundles up to date', prepare: () => rmSync(join(cdkOut, 'local-synth.json'), { force: true }) },
  { name: 'cdk.out up to date', goal: 3, prepare: () => undefined },
];
const rows: Array<Record<string, string>> = [];
const recorder = new BenchRecorder('start');
for (const mode of modes) {
  const timings: Timing[] = [];
  for (let i = 0; i < RUNS; i++) {
    // The last start of each mode leaves cdk.out up to date for the next.
    mode.prepare();
    timings.push(await once());
  }
  rows.push({
    'synth': mode.name,
    runs: String(RUNS),
    'stack.json written (s, median)': median(timings.map((t) => t.ready)).toFixed(2),
    'first 202 (s, median)': median(timings.map((t) => t.accepted)).toFixed(2),
    'first 202 (s, min–max)': `${Math.min(...timings.map((t) => t.accepted)).toFixed(2)}–${Math.max(...timings.map((t) => t.accepted)).toFixed(2)}`,
  });
  recorder.measure({
    measure: `npm start to first 202, ${mode.name} (median)`,
    figure: Number(median(timings.map((t) => t.accepted)).toFixed(2)),
    unit: 's',
    ...(mode.goal ? { goal: { op: '<=' as const, value: mode.goal } } : {}),
    note: `${RUNS} runs`,
  });
}
recorder.table('npm start → webhook accepting a signed delivery (202), fresh data dir each time', rows);
recorder.write();
