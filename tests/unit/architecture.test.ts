import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of .dependency-cruiser.cjs (contexts and what each may use, no cycle between
 * them, no AWS in domain code, domain on ports, adapters wired only in composition roots): a
 * violation fails the suite, printed with the rule that forbids it and why. The rules and the
 * context map are in docs/architecture.md.
 */
const CONFIG = fileURLToPath(new URL('../../.dependency-cruiser.cjs', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/context-cycle', import.meta.url));
/** dependency-cruiser's command, run with this Node directly (`npx` would start npm first, each time). */
const DEPCRUISE = fileURLToPath(new URL('../../node_modules/dependency-cruiser/bin/dependency-cruiser.mjs', import.meta.url));

function depcruise(cwd: string | undefined, ...paths: string[]): { status: number | null; report: string } {
  const run = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'err-long', ...paths], { encoding: 'utf8', ...(cwd ? { cwd } : {}) });
  return { status: run.status, report: `${run.stdout}${run.stderr}` };
}

describe('the structure of lib/', () => {
  it('keeps every dependency rule (dependency-cruiser), with no known violation set aside', () => {
    const { status, report } = depcruise(undefined, 'lib', 'functions', 'infra');
    expect(status, report).toBe(0);
    expect(report).toContain('no dependency violations found');
  }, 120_000);

  it('fails when a context uses one that uses it (a cycle between contexts)', () => {
    // tests/fixtures/context-cycle/lib: matching uses estate through its front door (allowed); estate/uses-matching.ts uses matching back.
    const allowed = depcruise(FIXTURE, 'lib/matching', 'lib/estate/index.ts');
    expect(allowed.status, allowed.report).toBe(0);

    const cycle = depcruise(FIXTURE, 'lib');
    expect(cycle.status).not.toBe(0);
    expect(cycle.report).toContain('context-map/estate');
    expect(cycle.report).toContain('lib/estate/uses-matching.ts → lib/matching/index.ts');
  }, 120_000);
});
