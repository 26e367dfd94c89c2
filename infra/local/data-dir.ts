/**
 * The data dir a local stack keeps its state in, and whether a stack is running on it. Imports nothing
 * heavy: `npm start` checks it, and starts DynamoDB Local there, before the runner's modules load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './constants';

export const DEFAULT_DATA_DIR = join(PROJECT_ROOT, '.local');
export const STACK_INFO_FILE = 'stack.json';

/** Where DynamoDB Local keeps a data dir's tables. */
export function dynamodbDataDir(dataDir: string): string {
  return join(dataDir, 'dynamodb');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Refuses to start a second stack on a data dir whose stack is still running. */
export function assertNotRunning(dataDir: string): void {
  const file = join(dataDir, STACK_INFO_FILE);
  if (!existsSync(file)) return;
  try {
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
    if (pid !== process.pid && isAlive(pid)) {
      throw new Error(`A local stack is already running on ${dataDir} (process ${pid}): stop it first (Ctrl-C in its terminal)`);
    }
  } catch (error) {
    if (error instanceof SyntaxError) return;
    throw error;
  }
}
