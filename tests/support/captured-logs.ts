import { vi } from 'vitest';

/**
 * For a test of a function's logs: Powertools at INFO with metrics off, and whatever is written to
 * stdout and stderr pushed onto `logged` instead of printed. Call it in beforeAll; `vi.restoreAllMocks()`
 * and `vi.unstubAllEnvs()` undo it.
 */
export function captureFunctionLogs(logged: string[]): void {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
  }
}
