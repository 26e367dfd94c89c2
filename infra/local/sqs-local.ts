/**
 * SQS and SNS (same port) from fauxqs, embedded in this process.
 *
 * fauxqs's own `startFauxqs` listens on every interface, so the app is built with the exported
 * `buildApp` and listened on 127.0.0.1 here. Queue URLs keep fauxqs's AWS-like form
 * `http://sqs.<region>.localhost:<port>/000000000000/<name>`, whose host does not resolve: give SQS
 * clients this emulator's endpoint and `useQueueUrlAsEndpoint: false` (see `sqsClient` in emulators.ts).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from 'fauxqs';
import { LOCAL_REGION, LOOPBACK } from './constants';

export interface SqsLocalOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Directory for fauxqs's SQLite file (queues, topics, subscriptions, messages); omitted = in memory. */
  dataDir?: string;
  /** Log every request (fastify logger). Default false. */
  logger?: boolean;
}

export interface SqsLocal {
  /** SQS and SNS endpoint. */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export async function startSqsLocal(options: SqsLocalOptions = {}): Promise<SqsLocal> {
  const persisted = options.dataDir ? await persistentStores(options.dataDir) : undefined;
  const app = buildApp({
    logger: options.logger ?? false,
    defaultRegion: LOCAL_REGION,
    ...(persisted ? { stores: persisted.stores } : {}),
  });
  if (persisted) app.addHook('preClose', () => persisted.close());
  try {
    await app.listen({ host: LOOPBACK, port: options.port ?? 0 });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('fauxqs is not listening on a TCP port');
  return {
    endpoint: `http://${LOOPBACK}:${address.port}`,
    port: address.port,
    stop: async () => {
      await app.close();
    },
  };
}

/**
 * fauxqs persists through a PersistenceManager wired into its stores; `startFauxqs` does the wiring,
 * but the package only exports `buildApp`, so the same wiring is done here with the classes loaded
 * from fauxqs's dist folder (fauxqs is pinned to an exact version in package.json).
 */
type Stores = NonNullable<NonNullable<Parameters<typeof buildApp>[0]>['stores']>;
interface Persistence {
  load(sqs: Stores['sqsStore'], sns: Stores['snsStore'], s3: Stores['s3Store']): void;
  close(): void;
}
interface Persistent {
  persistence?: unknown;
}

function fauxqsDist(): string {
  // fauxqs exports only its entry point (for `import`), so require.resolve cannot be used on it.
  const paths = createRequire(import.meta.url).resolve.paths('fauxqs') ?? [];
  const dist = paths.map((dir) => join(dir, 'fauxqs', 'dist')).find((dir) => existsSync(join(dir, 'persistence.js')));
  if (!dist) throw new Error('fauxqs is not installed: run npm install');
  return dist;
}

async function persistentStores(dataDir: string): Promise<{ stores: Stores; close(): void }> {
  const dist = fauxqsDist();
  const load = async <T>(file: string, name: string): Promise<T> =>
    ((await import(pathToFileURL(join(dist, file)).href)) as Record<string, T>)[name] as T;
  const [SqsStore, SnsStore, S3Store, PersistenceManager] = await Promise.all([
    load<new () => Stores['sqsStore']>('sqs/sqsStore.js', 'SqsStore'),
    load<new () => Stores['snsStore']>('sns/snsStore.js', 'SnsStore'),
    load<new () => Stores['s3Store']>('s3/s3Store.js', 'S3Store'),
    load<new (dir: string) => Persistence>('persistence.js', 'PersistenceManager'),
  ]);
  if (!SqsStore || !SnsStore || !S3Store || !PersistenceManager) {
    throw new Error(`fauxqs internals changed (looked in ${dist}): persistence is unavailable`);
  }
  const stores: Stores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
  const persistence = new PersistenceManager(dataDir);
  // Load first, then attach, as startFauxqs does (attaching first would rewrite every row on load).
  persistence.load(stores.sqsStore, stores.snsStore, stores.s3Store);
  for (const store of [stores.sqsStore, stores.snsStore, stores.s3Store] as Persistent[]) store.persistence = persistence;
  for (const queue of stores.sqsStore.allQueues() as Iterable<Persistent>) queue.persistence = persistence;
  return { stores, close: () => persistence.close() };
}
