/**
 * `npm start` as a person runs it: the real command, on free ports and a fresh data dir, answering
 * a signed delivery at the clock it was started with, moved on by `npm run clock`; then Ctrl-C (SIGINT to its process group, as a terminal sends it) stops it and
 * every process it started (the DynamoDB Local JVM, the function environments), and removes
 * stack.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { readLocalStackInfo } from '#infra/local/runner';
import { TEST_NOW, TEST_NOW_MS } from '#tests/support/clock';
import { sampleEvent } from '#tests/support/sample-events';
import { testDir } from '#tests/support/test-dir';
import { bundledAssembly, eventually, postSignedDelivery, stackNowMs } from './support';


/** Every process descended from `pid` (from /proc). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) if (parent === p) (out.push(child), walk(child));
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let child: ChildProcess | undefined;
let output = '';
const dataDir = testDir('start');

beforeAll(async () => {
  const cdkOut = await bundledAssembly();
  child = spawn('npm', ['start', '--', '--fresh', '--port', '0', '--data-dir', dataDir, '--cdk-out', cdkOut, '--clock', TEST_NOW], {
    cwd: PROJECT_ROOT,
    detached: true, // its own process group, as a terminal's foreground job
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(async () => output.includes('Ready in') || child!.exitCode !== null, 60_000, 'npm start to be ready');
  if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
}, 180_000);

afterAll(() => {
  // Only if a test failed half-way: the group is gone after a clean stop.
  try {
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
});

describe('npm start', () => {
  it('prints the webhook URL and secret and the clock it was started at, and accepts a delivery signed at that clock', async () => {
    const info = readLocalStackInfo(dataDir);
    expect(output).toContain(`POST ${info.webhookUrl}`);
    expect(output).toContain(info.webhookSecret);
    expect(output).toContain(`(${info.clock.now})`);
    expect(Date.parse(info.clock.now) - TEST_NOW_MS).toBeLessThan(120_000);
    expect((await postSignedDelivery(info, sampleEvent('referrals/created.json'))).status).toBe(202);
    await eventually(async () => output.includes('[intake] REPORT'), 5_000, 'the intake log line');
  });

  it('moves its clock with npm run clock, which prints the move', async () => {
    const moved = await new Promise<string>((resolve, reject) => {
      let text = '';
      const cli = spawn('npm', ['run', 'clock', '--', '+7d', '--data-dir', dataDir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      cli.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      cli.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
      cli.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`npm run clock exited ${code}:\n${text}`))));
    });
    const now = await stackNowMs(readLocalStackInfo(dataDir));

    expect(moved).toMatch(/The stack's clock moved from/);
    expect(now - TEST_NOW_MS).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(now - TEST_NOW_MS).toBeLessThan(7 * 86_400_000 + 300_000);
    expect(readLocalStackInfo(dataDir).clock.now.slice(0, 10)).toBe(new Date(now).toISOString().slice(0, 10));
  }, 60_000);

  it('stops everything it started on Ctrl-C', async () => {
    const processes = descendants(child!.pid!);
    const commands = processes.map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    });
    expect(commands.some((c) => c.includes('java'))).toBe(true);
    expect(commands.some((c) => c.includes('lambda-worker'))).toBe(true);

    const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    process.kill(-child!.pid!, 'SIGINT');
    await exited;
    await eventually(async () => processes.every((pid) => !alive(pid)), 10_000, 'every process to end');
    // The runner (a child of npm, which ends on the signal itself) said it stopped cleanly.
    expect(output).toContain('SIGINT: stopping');
    // Its last line may still be in the pipe when the processes are gone.
    await eventually(async () => /^stopped$/m.test(output), 5_000, 'the runner to say it stopped');
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
  }, 30_000);
});
