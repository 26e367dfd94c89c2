/**
 * What the CLIs share: the running stack's description (`.local/stack.json`, or `--data-dir`'s),
 * its tables, and calls to its control endpoint.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#lib/aws/clients';
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

/** A document client for the running stack's DynamoDB (`close` when done), and its tables' names by logical id (throwing for a table it lacks). */
export function stackTables(info: LocalStackInfo): { db: DynamoDBDocumentClient; table: (logicalId: string) => string; close: () => void } {
  const client = new DynamoDBClient({ region: info.region, endpoint: info.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    db: documentClient({ client }),
    close: () => client.destroy(),
    table: (logicalId) => {
      const name = info.tables[logicalId];
      if (!name) throw new Error(`The local stack has no ${logicalId}`);
      return name;
    },
  };
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
