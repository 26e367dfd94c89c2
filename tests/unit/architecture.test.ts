import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of .dependency-cruiser.cjs (contexts and what each may use, no cycle between
 * them, front doors, no AWS in domain code, domain on ports): a violation fails the suite, printed
 * with the rule that forbids it and why. The rules and the context map are in docs/architecture.md.
 */
describe('the structure of lib/', () => {
  it('keeps every dependency rule (dependency-cruiser)', () => {
    const run = spawnSync('npx', ['depcruise', '--config', '.dependency-cruiser.cjs', '--ignore-known', '.dependency-cruiser-known-violations.json', '--output-type', 'err-long', 'lib', 'functions', 'infra'], { encoding: 'utf8' });
    const report = `${run.stdout}${run.stderr}`;
    expect(run.status, report).toBe(0);
  }, 120_000);
});
