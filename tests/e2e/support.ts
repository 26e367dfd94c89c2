/**
 * Shared by the end-to-end tests: the app synthesized with bundling once per change of its inputs
 * (kept in node_modules/.cache, keyed by the same hash `npm start` uses for cdk.out), free-port
 * stacks on temporary data dirs, and signed deliveries over real HTTP.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSynthesized, PROJECT_ROOT, synthInputsHash } from '#infra/local/assembly';
import type { ClockState } from '#infra/local/local-clock';
import type { LocalStackInfo } from '#infra/local/runner';
import { signDelivery } from '#lib/webhooks/standard-webhooks';
import { TEST_NOW } from '#tests/support/clock';
import { emulatorEndpoints } from '#tests/support/emulators';

const CACHE = join(PROJECT_ROOT, 'node_modules', '.cache', 'cared-for');

/** The cloud assembly of the app as it is now, bundled; synthesized only when its inputs changed. */
export async function bundledAssembly(): Promise<string> {
  const key = synthInputsHash().slice(0, 16);
  const dir = join(CACHE, `e2e-cdk-out-${key}`);
  mkdirSync(CACHE, { recursive: true });
  await ensureSynthesized({ outdir: dir });
  // Assemblies of older inputs, once nothing can be using them.
  for (const entry of readdirSync(CACHE)) {
    const path = join(CACHE, entry);
    // wall clock: a file's age on this machine, nothing the stack sees
    if (entry.startsWith('e2e-cdk-out-') && path !== dir && Date.now() - statSync(path).mtimeMs > 15 * 60_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
  return dir;
}

/**
 * What every end-to-end stack shares: its clock standing still at `clock` (the tests' instant unless
 * given), the embedded emulators, resource names under a fresh `<name>-xxxxxxxx` prefix, no stack.json.
 */
export function sharedStackOptions(name: string, clock = TEST_NOW) {
  return { clock, clockStandsStill: true, emulators: emulatorEndpoints(), prefix: `${name}-${randomUUID().slice(0, 8)}`, writeInfo: false };
}

/** sharedStackOptions for a stack of the test's own CDK app, synthesized to `<dir>/cdk.out`, its data under `<dir>/data`. */
export function ownAppStackOptions(name: string, dir: string) {
  return { ...sharedStackOptions(name), cdkOut: join(dir, 'cdk.out'), dataDir: join(dir, 'data') };
}

/** A fresh `cared-for-<name>-xxxxxx` directory for a bench, which removes it itself (a test file uses `testDir`). */
export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `cared-for-${name}-`));
}

/** The running stack's clock now, from its control endpoint. */
export async function stackNowMs(info: LocalStackInfo): Promise<number> {
  const response = await fetch(`${info.control.url}/clock`, { headers: { authorization: `Bearer ${info.control.token}` } });
  return Date.parse(((await response.json()) as ClockState).now);
}

/** Posts `body` to the stack's webhook as the regional inbox would, freshly signed by the stack's clock. */
export async function postSignedDelivery(info: LocalStackInfo, body: string): Promise<{ status: number; json: any }> {
  if (!info.webhookUrl || !info.webhookSecret) throw new Error('the stack has no webhook');
  const headers = signDelivery(info.webhookSecret, `msg_${randomUUID()}`, Math.floor((await stackNowMs(info)) / 1000), body);
  const response = await fetch(info.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, json: await response.json() };
}

/** Polls `probe` until it returns something truthy, or fails after `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
