/**
 * DynamoDB Local, AWS's own emulator, from the jar inside the npm package amplify-dynamodb-simulator
 * (its licence forbids redistributing the jar, so it is never committed).
 *
 * DynamoDB Local has no option to choose the address it listens on and binds every interface.
 * Children's data must not be reachable from the office network, so it is started through
 * DynamoDbLocalLauncher.java, which puts DynamoDB Local's own request handler behind a Jetty
 * connector bound to 127.0.0.1 only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_REGION, LOOPBACK } from './constants';

export interface DynamoDbLocalOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Directory for the database file; omitted = in memory, gone on stop. */
  dbPath?: string;
  /** Options for the JVM, before the class path. @default {@link JVM_OPTIONS} */
  jvmOptions?: readonly string[];
}

/**
 * The client compiler only (C2's compilations cost more CPU than a local emulator's run wins back)
 * and the serial collector (no GC threads competing for the cores), for the DynamoDB Local of the test
 * run, of the e2e files' own stacks and of `npm start`. The JVM shares the machine with Node
 * (the runner, the functions, the tests); measured on 2 cores, 2 December 2026:
 * - ready to answer 2.4–2.9 → 1.9–2.0 s, 4.4–5.1 → 2.6–2.7 s of CPU; `npm start` with cdk.out up to
 *   date to its first 202, 4.62–4.76 → 3.65–3.93 s (`npm run bench -- start`, alternated);
 * - then 9,000 requests at 8 at once (puts, queries, two-item transactions) no slower once warm
 *   (rounds of 1,500: 3.1–3.8 s with C2, 2.9–3.2 s without) for 36 s of machine CPU instead of 49–51;
 *   the matcher bench the same within its noise; the test run's five integration files 42 → 31 s of CPU.
 * Under minutes of sustained heavy load C2 does win (the Section 17 bench's 10,000 awards at 16 at once:
 * 118 s with it, 155 s without), so the benches on the emulators keep the JVM's defaults (`jvmOptions: []`).
 */
const JVM_OPTIONS: readonly string[] = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/**
 * DynamoDB Local's logging through log4j's own simple logger (errors only, to stderr, passed on as
 * `[dynamodb-local]` lines) instead of log4j-core. Configuring log4j-core (its XML file, plugin
 * scanning, JMX beans: ~600 classes) was a third of the JVM's start: ready to answer 2.0–2.3 →
 * 1.4–1.7 s, 2.9–3.2 → 1.9–2.3 s of CPU (2 cores, 2 December 2026). The packaged configuration sent
 * warnings to stdout, which nothing reads, and its own (a warning with a stack trace for every
 * cancelled transaction, which our conditions cause on purpose) nowhere.
 */
const LOGGING = [
  '-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory',
  '-Dorg.apache.logging.log4j.simplelog.level=ERROR',
];

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const INSTALL_JAVA =
  'Install it with `apt-get install -y openjdk-17-jre-headless` on Debian/Ubuntu, or any Java 17+ ' +
  '(e.g. `brew install openjdk@17` on macOS), then run again.';

const launcherSource = fileURLToPath(new URL('./DynamoDbLocalLauncher.java', import.meta.url));
const launcherClass = 'DynamoDbLocalLauncher';

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const java = javaCommand();
  const emulator = emulatorDir();
  const jar = join(emulator, 'DynamoDBLocal.jar');
  const dbPath = options.dbPath === undefined ? undefined : resolve(options.dbPath);
  if (dbPath) mkdirSync(dbPath, { recursive: true });

  const compiled = compiledLauncher(java, jar);
  const classPath = compiled ? [jar, compiled].join(pathSeparator()) : jar;
  const args = [
    ...(options.jvmOptions ?? JVM_OPTIONS),
    '-Djava.net.preferIPv4Stack=true',
    ...LOGGING,
    `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
    '-cp',
    classPath,
    compiled ? launcherClass : launcherSource,
    '-host',
    LOOPBACK,
    '-port',
    String(options.port ?? 0),
    ...(dbPath ? ['-dbPath', dbPath] : ['-inMemory']),
    '-disableTelemetry',
  ];

  const child = spawn(java, args, {
    // Own process group, so stop() can end the JVM and anything it started.
    detached: true,
    // stdin stays open: the launcher exits when it closes, i.e. when this process dies in any way.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
  });
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  try {
    const port = await waitForListening(child);
    const endpoint = `http://${LOOPBACK}:${port}`;
    await waitForListTables(endpoint, child);
    return {
      endpoint,
      port,
      stop: async () => {
        process.removeListener('exit', killOnExit);
        await stopChild(child);
      },
    };
  } catch (error) {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    throw error;
  }
}

function javaCommand(): string {
  const fromHome = process.env.JAVA_HOME && join(process.env.JAVA_HOME, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
  const java = fromHome && existsSync(fromHome) ? fromHome : 'java';
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error(
      `DynamoDB Local needs Java 17 or later, and no \`java\` was found ($JAVA_HOME/bin/java, then PATH). ${INSTALL_JAVA}`,
      { cause: probe.error },
    );
  }
  const major = Number(/version "(?:1\.)?(\d+)/.exec(probe.stderr)?.[1]);
  if (!(major >= 17)) {
    const found = probe.stderr.split('\n')[0]?.trim() || 'an unknown version';
    throw new Error(`DynamoDB Local needs Java 17 or later; ${java} is ${found}. ${INSTALL_JAVA}`);
  }
  return java;
}

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  const emulator = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  if (!existsSync(join(emulator, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDBLocal.jar not found in ${emulator}: run npm install (package amplify-dynamodb-simulator).`);
  }
  return emulator;
}

/**
 * `java DynamoDbLocalLauncher.java` (source-file mode) compiles the launcher in memory on every start,
 * which costs about as much as starting DynamoDB Local itself. So compile it once per version of the
 * source, with the compiler module the JRE carries for source-file mode (no JDK or javac binary
 * needed), into node_modules/.cache. If that fails for any reason, fall back to source-file mode.
 */
function compiledLauncher(java: string, jar: string): string | undefined {
  try {
    const source = readFileSync(launcherSource);
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    const nodeModules = dirname(dirname(dirname(jar)));
    const dir = join(nodeModules, '.cache', 'cared-for', `dynamodb-local-launcher-${hash}`);
    if (existsSync(join(dir, `${launcherClass}.class`))) return dir;
    const tmp = `${dir}.${process.pid}.tmp`;
    const compile = spawnSync(
      java,
      ['-m', 'jdk.compiler/com.sun.tools.javac.Main', '--release', '17', '-nowarn', '-d', tmp, '-cp', jar, launcherSource],
      { encoding: 'utf8' },
    );
    if (compile.status !== 0 || !existsSync(join(tmp, `${launcherClass}.class`))) {
      rmSync(tmp, { recursive: true, force: true });
      return undefined;
    }
    try {
      renameSync(tmp, dir);
    } catch {
      // Another process compiled it at the same moment: use theirs.
      rmSync(tmp, { recursive: true, force: true });
    }
    // Builds of older versions of the launcher.
    const current = basename(dir);
    for (const old of readdirSync(dirname(dir)).filter((d) => d.startsWith('dynamodb-local-launcher-') && !d.startsWith(current))) {
      rmSync(join(dirname(dir), old), { recursive: true, force: true });
    }
    return existsSync(join(dir, `${launcherClass}.class`)) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function pathSeparator(): string {
  return process.platform === 'win32' ? ';' : ':';
}

function waitForListening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail(new Error('DynamoDB Local did not start within 60 s')), 60_000);
    const fail = (error: Error) => {
      cleanup();
      reject(new Error(`${error.message}${stderr ? `\n${stderr.trim().slice(-4000)}` : ''}`, { cause: error }));
    };
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on [\d.]+:(\d+)/.exec(stdout);
      if (match) {
        cleanup();
        resolve(Number(match[1]));
      }
    };
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString();
    };
    const onError = (error: Error) => fail(error);
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`DynamoDB Local exited before listening (code ${code}, signal ${signal})`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onStdout);
      child.stderr?.off('data', onStderr);
      child.removeListener('error', onError);
      child.removeListener('exit', onExit);
      // Keep draining its output so the JVM never blocks on a full pipe. DynamoDB Local is silent on
      // stderr unless something is wrong, so pass that on.
      child.stdout?.resume();
      child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[dynamodb-local] ${chunk.toString()}`));
    };
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

async function waitForListTables(endpoint: string, child: ChildProcess): Promise<void> {
  // Loaded here, once the JVM is up: npm start spawns it before loading anything heavy.
  const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`DynamoDB Local at ${endpoint} does not answer ListTables`, { cause: error });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    client.destroy();
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
