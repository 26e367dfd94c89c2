import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { emulatorEndpoints } from './emulators';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts a TypeScript worker (a crash test's victim) in its own Node process, reaching the embedded
 * emulators' DynamoDB and SQS, with Powertools silent and only `env` besides: nothing else of ours leaks in.
 */
export function spawnWorker(script: string, env: Record<string, string>): ChildProcess {
  const endpoints = emulatorEndpoints();
  return spawn(process.execPath, ['--import', 'tsx', script], {
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
