/**
 * The local stack (`npm start`'s runner on the bundled app) for the browser tests: free ports,
 * its own data dir and table prefix, the shared emulators of the test run, the sample estate.
 */
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startLocalStack, type LocalStack } from '#infra/local/runner';
import { seedLocalStack } from '#infra/local/seed-local';
import { TEST_NOW } from '#tests/support/clock';
import { emulatorEndpoints } from '#tests/support/emulators';
import { bundledAssembly } from '#tests/e2e/support';
import { testDir } from '#tests/support/test-dir';
import { launchChromium } from './chromium';

export interface ConsoleStack {
  stack: LocalStack;
  /** `http://127.0.0.1:<port>/v1/console` */
  consoleUrl: string;
  logs: string[];
}

export async function startConsoleStack(name: string, dataDir: string): Promise<ConsoleStack> {
  const logs: string[] = [];
  const stack = await startLocalStack({
    clock: TEST_NOW,
    clockStandsStill: true,
    cdkOut: await bundledAssembly(),
    dataDir,
    emulators: emulatorEndpoints(),
    prefix: `${name}-${randomUUID().slice(0, 8)}`,
    ports: 0,
    schedules: false,
    writeInfo: false,
    log: (source, line) => logs.push(`[${source}] ${line}`),
  });
  await seedLocalStack(stack.info);
  const consoleUrl = stack.info.outputs.ConsoleUrl!.replace(/\/$/, '');
  return { stack, consoleUrl, logs };
}

export interface ConsoleInChromium {
  readonly env: ConsoleStack;
  readonly browser: Browser;
}

/**
 * What a browser test file runs against: its console stack (`name`) and a Chromium, started side by
 * side before its tests (then `ready`, such as a referral to post), both stopped after them.
 */
export function consoleInChromium(name: string, ready?: (env: ConsoleStack) => Promise<void>): ConsoleInChromium {
  let env: ConsoleStack | undefined;
  let browser: Browser | undefined;
  const dataDir = testDir(`console-${name}`);
  beforeAll(async () => {
    [env, browser] = await Promise.all([startConsoleStack(name, dataDir), launchChromium()]);
    await ready?.(env);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await env?.stack.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the ${name} console stack and Chromium have not started`);
    return value;
  };
  return {
    get env() {
      return started(env);
    },
    get browser() {
      return started(browser);
    },
  };
}
