/**
 * One process at a time across the machine (parallel test files, a second terminal): the lock is a
 * directory, made atomically, holding the owner's pid. A lock whose owner is gone, or that is older
 * than `staleAfterMs`, is taken over.
 *
 *   await withLock(`${outdir}.lock`, () => synthesize());
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface LockOptions {
  /** A lock held longer than this is taken as abandoned. @default 10 minutes */
  staleAfterMs?: number;
  /** How often a waiting process looks again. @default 100 ms */
  pollMs?: number;
}

export async function withLock<T>(lock: string, work: () => Promise<T>, { staleAfterMs = 10 * 60_000, pollMs = 100 }: LockOptions = {}): Promise<T> {
  while (!tryTake(lock)) {
    if (isAbandoned(lock, staleAfterMs)) rmSync(lock, { recursive: true, force: true });
    else await new Promise((r) => setTimeout(r, pollMs));
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function tryTake(lock: string): boolean {
  try {
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  return true;
}

function isAbandoned(lock: string, staleAfterMs: number): boolean {
  try {
    if (fileSystemNowMs(dirname(lock)) - statSync(lock).mtimeMs > staleAfterMs) return true;
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written: its owner is alive
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ESRCH: its owner is gone. ENOENT: released meanwhile (or the pid not written yet: look again).
    return code === 'ESRCH';
  }
}

/**
 * Now by the clock that dated the lock: the file system's. This process's Date may read another time
 * (`npm run test:dates` moves the test processes' wall clock), which would make every lock look abandoned.
 */
export function fileSystemNowMs(dir: string): number {
  const probe = join(dir, `.clock-${process.pid}`);
  writeFileSync(probe, '');
  try {
    return statSync(probe).mtimeMs;
  } finally {
    rmSync(probe, { force: true });
  }
}
