import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build, formatMessages } from 'esbuild';
import { esbuildOptions } from '#infra/function-bundling';
import { emulatorEndpoints } from './emulators';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A crash test's worker script bundled as the functions are (infra/function-bundling.ts), into a
 * file of its own: a test starts a dozen workers, and each started from the bundle in a third of the
 * CPU it took under `node --import tsx`. The lazy modules (a PDF, should a worker draw one) are bundled
 * into it too: it is one file, with no package.json beside it to resolve them.
 */
export async function bundledWorker(script: string): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'cared-for-worker-')), `${basename(script, '.ts')}.mjs`);
  const { warnings } = await build({ ...esbuildOptions(script, outfile), external: [], absWorkingDir: PROJECT_ROOT, logLevel: 'silent' });
  // A warning is a worker that would not run as written (a side-effect import dropped, say): stop here, not in its test.
  if (warnings.length > 0) throw new Error(`bundling ${script}:\n${(await formatMessages(warnings, { kind: 'warning' })).join('\n')}`);
  return outfile;
}

/** Removes a bundle {@link bundledWorker} made (a test file's afterAll). */
export function removeBundledWorker(bundle: string): void {
  rmSync(dirname(bundle), { recursive: true, force: true });
}

/**
 * Starts a bundled worker (a crash test's victim, {@link bundledWorker}) in its own Node process, reaching
 * the embedded emulators' DynamoDB and SQS, with Powertools silent and only `env` besides: nothing else of ours leaks in.
 */
export function spawnWorker(bundle: string, env: Record<string, string>): ChildProcess {
  const endpoints = emulatorEndpoints();
  return spawn(process.execPath, ['--enable-source-maps', bundle], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...env,
    },
  });
}

/** A crash test's queue worker as its parent sees it: ready once loaded, the receipt handles of the batch it holds, what it said, its exit. */
export interface QueueWorker {
  child: ChildProcess;
  ready: Promise<void>;
  /** On 'close', not 'exit': by then every line it wrote has been read (the handles it held above all). */
  exited: Promise<number | null>;
  inFlight: string[];
  /** Its stderr and the types of the messages it received, for a failure's message. */
  log: string[];
}

/**
 * Follows a worker's own lines on stdout (`{"event":"ready"}` once loaded, `{"event":"received","handles":[…],"bodies":[…]}`
 * for each batch; Powertools may print a notice of its own, which is passed over). DEBUG_CRASH=1 echoes what it says.
 */
export function followWorker(child: ChildProcess): QueueWorker {
  const worker: QueueWorker = { child, inFlight: [], log: [], ready: undefined as never, exited: undefined as never };
  let onReady: () => void;
  worker.ready = new Promise<void>((resolve) => (onReady = resolve));
  worker.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (process.env.DEBUG_CRASH) console.log(line.slice(0, 300));
    const message = line.startsWith('{"event"') ? (JSON.parse(line) as { event: string; handles?: string[]; bodies?: string[] }) : undefined;
    if (message?.event === 'ready') onReady();
    if (message?.event === 'received') {
      worker.inFlight = message.handles ?? [];
      worker.log.push(...(message.bodies ?? []).map((b) => (JSON.parse(b) as { type?: string }).type ?? '?'));
    }
  });
  child.stderr!.on('data', (chunk) => {
    if (process.env.DEBUG_CRASH) console.log(String(chunk).slice(0, 2000));
    worker.log.push(String(chunk));
  });
  return worker;
}

/** After a kill: what the worker held becomes visible again now, as it would once the visibility timeout ran out. */
export async function releaseInFlight(sqs: SQSClient, queueUrl: string, worker: QueueWorker): Promise<void> {
  await Promise.all(
    worker.inFlight.map((handle) => sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 })).catch(() => undefined)),
  );
}
