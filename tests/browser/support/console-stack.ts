/**
 * The local stack (`npm start`'s runner on the bundled app) for the browser tests: free ports,
 * its own data dir and table prefix, the shared emulators of the test run, the sample estate.
 */
import { randomUUID } from 'node:crypto';
import { startLocalStack, type LocalStack } from '#infra/local/runner';
import { seedLocalStack } from '#infra/local/seed-local';
import { TEST_NOW } from '#tests/support/clock';
import { emulatorEndpoints } from '#tests/support/emulators';
import { bundledAssembly, tempDir } from '#tests/e2e/support';

export interface ConsoleStack {
  stack: LocalStack;
  /** `http://127.0.0.1:<port>/v1/console` */
  consoleUrl: string;
  logs: string[];
}

export async function startConsoleStack(name: string): Promise<ConsoleStack> {
  const logs: string[] = [];
  const stack = await startLocalStack({
    clock: TEST_NOW,
    clockStandsStill: true,
    cdkOut: await bundledAssembly(),
    dataDir: tempDir(`console-${name}`),
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
