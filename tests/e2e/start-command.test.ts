/**
 * `npm start` as a person runs it: the real command, on free ports and a fresh data dir, answering
 * a signed delivery; then Ctrl-C (SIGINT to its process group, as a terminal sends it) stops it and
 * every process it started (the DynamoDB Local JVM, the function environments), and removes
 * stack.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/local/assembly';
import { readLocalStackInfo } from '#infra/local/runner';
import { bundledAssembly, eventually, postSignedDelivery, tempDir } from './support';


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
let dataDir: string;

beforeAll(async () => {
  const cdkOut = await bundledAssembly();
  dataDir = tempDir('start');
  child = spawn('npm', ['start', '--', '--fresh', '--port', '0', '--data-dir', dataDir, '--cdk-out', cdkOut], {
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
  it('prints the webhook URL and secret, and accepts a signed delivery', async () => {
    const info = readLocalStackInfo(dataDir);
    expect(output).toContain(`POST ${info.webhookUrl}`);
    expect(output).toContain(info.webhookSecret);
    const body = readFileSync(join(PROJECT_ROOT, 'events/referrals/created.json'), 'utf8');
    expect((await postSignedDelivery(info, body)).status).toBe(202);
    await eventually(async () => output.includes('[intake] REPORT'), 5_000, 'the intake log line');
  });

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
    expect(output).toMatch(/^stopped$/m);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
  }, 30_000);
});
