import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A fresh `cared-for-<name>-xxxxxx` directory for the test file that calls it, removed after the file's
 * tests (a stack's data, a synthesized assembly: ~20 MB a file that nothing needs once it has passed).
 * Call it at the file's top level, before registering the hooks that stop what uses it: vitest runs a
 * file's afterAll hooks in the reverse order of their registration, so the directory goes last.
 */
export function testDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cared-for-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
