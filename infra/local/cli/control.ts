/**
 * What the CLIs share: the running stack's description (`.local/stack.json`, or `--data-dir`'s)
 * and calls to its control endpoint.
 */
import { DEFAULT_DATA_DIR, readLocalStackInfo, type LocalStackInfo } from '#infra/local/runner';

/** `--data-dir DIR` anywhere in argv (removed from it), else the default `.local`. */
export function takeDataDir(argv: string[]): string {
  const i = argv.indexOf('--data-dir');
  if (i < 0) return DEFAULT_DATA_DIR;
  const [, dir] = argv.splice(i, 2);
  if (!dir) throw new Error('--data-dir needs a directory');
  return dir;
}

export function runningStack(argv: string[]): LocalStackInfo {
  return readLocalStackInfo(takeDataDir(argv));
}

/** POSTs to the runner's control endpoint and returns its JSON answer; throws with its message on an error status. */
export async function control<T>(info: LocalStackInfo, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${info.control.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${info.control.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const answer = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new Error(answer.message ?? `control endpoint answered ${response.status}`);
  return answer;
}

/** Runs a CLI's main, printing a failure as one line and exiting 1. */
export function run(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
