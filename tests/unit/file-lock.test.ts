import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { withLock } from '#infra/local/file-lock';

const work = mkdtempSync(join(tmpdir(), 'cared-for-lock-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Two holders of one lock asking at once; the order they went in and out. */
async function twoHolders(lock: string): Promise<string[]> {
  const events: string[] = [];
  const holder = (name: string) =>
    withLock(lock, async () => {
      events.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 30));
      events.push(`${name} out`);
    }, { pollMs: 5 });
  await Promise.all([holder('a'), holder('b')]);
  return events;
}

describe('withLock', () => {
  it('runs one holder at a time: the second starts after the first ends', async () => {
    expect(await twoHolders(join(work, 'serial.lock'))).toEqual(['a in', 'a out', 'b in', 'b out']);
  });

  it('keeps a live holder\'s lock while this process\'s Date reads years later (as under npm run test:dates)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.UTC(2029, 2, 14, 12));
      expect(await twoHolders(join(work, 'moved-clock.lock'))).toEqual(['a in', 'a out', 'b in', 'b out']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('releases the lock when the work throws', async () => {
    const lock = join(work, 'throws.lock');
    await expect(withLock(lock, async () => Promise.reject(new Error('synthesis failed')))).rejects.toThrow('synthesis failed');

    await expect(withLock(lock, async () => 'next', { pollMs: 5 })).resolves.toBe('next');
  });

  it('takes over a lock whose owner is gone', async () => {
    const lock = join(work, 'abandoned.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), '2147483646'); // no such process

    await expect(withLock(lock, async () => 'taken over', { pollMs: 5 })).resolves.toBe('taken over');
  });
});
