import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock, installedLocalClock, installLocalClock, uninstallLocalClock } from '#lib/clock';
import { assertClockNotShiftedOutsideLocalRunner, LOCAL_CLOCK_VARIABLE, stackClock } from '#lib/stack-clock';

/** The stack's clock: the wall clock unless the local runner (or a test) installs its own; never shifted in AWS. */

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('the stack clock', () => {
  it('reads the clock installed in this process, and the previous one again once it is removed', () => {
    const outer = installLocalClock(fixedClock('2027-03-28T00:30:00Z'));
    const inner = installLocalClock(fixedClock('2028-02-29T12:00:00Z'));
    expect(new Date(stackClock.nowMs()).toISOString()).toBe('2028-02-29T12:00:00.000Z');
    inner();
    expect(new Date(stackClock.nowMs()).toISOString()).toBe('2027-03-28T00:30:00.000Z');
    outer();
  });

  it('reads the wall clock again once every installed clock is taken away, however many were stacked (a test file that left its own)', () => {
    installLocalClock(fixedClock('2027-03-28T00:30:00Z'));
    installLocalClock(fixedClock('2028-02-29T12:00:00Z'));
    uninstallLocalClock();
    expect(installedLocalClock()).toBeUndefined();
    vi.useFakeTimers({ now: Date.parse('2030-01-01T09:00:00Z'), toFake: ['Date'] });
    try {
      expect(new Date(stackClock.nowMs()).toISOString()).toBe('2030-01-01T09:00:00.000Z');
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets a process the local runner started run shifted: the variable with its clock installed', () => {
    const remove = installLocalClock(fixedClock('2026-05-01T08:00:00Z'));
    try {
      expect(() => assertClockNotShiftedOutsideLocalRunner({ [LOCAL_CLOCK_VARIABLE]: '1' })).not.toThrow();
    } finally {
      remove();
    }
  });

  it('refuses a shift asked for by the environment where the local runner did not install its clock', () => {
    expect(() => assertClockNotShiftedOutsideLocalRunner({ [LOCAL_CLOCK_VARIABLE]: '1' })).toThrow(/only the local runner \(npm start\) can do/);
  });

  it('refuses any shift inside a Lambda execution environment, installed or not', () => {
    const lambda = { AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9001' };
    expect(() => installLocalClock(fixedClock('2026-05-01T08:00:00Z'), lambda)).toThrow(/cannot be installed in a Lambda execution environment/);
    const remove = installLocalClock(fixedClock('2026-05-01T08:00:00Z'));
    try {
      expect(() => assertClockNotShiftedOutsideLocalRunner({ ...lambda, [LOCAL_CLOCK_VARIABLE]: '1' })).toThrow(/a deployed function always runs on real time/);
    } finally {
      remove();
    }
  });

  it('fails a cold start: loading the module with the variable set and no local clock throws', async () => {
    vi.resetModules();
    vi.stubEnv(LOCAL_CLOCK_VARIABLE, '2026-05-01T08:00:00Z');
    await expect(import('#lib/stack-clock')).rejects.toThrow(/CARED_FOR_LOCAL_CLOCK asks this function to run on a shifted clock/);
  });
});
