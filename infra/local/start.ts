/**
 * `npm start [-- --fresh] [-- --port N]`: the whole system on this machine. Synthesizes the CDK
 * app (or reuses an up-to-date cdk.out), starts DynamoDB Local and fauxqs on 127.0.0.1, deploys the
 * template to them, runs every function, mapping, route and schedule, and prints what runs.
 * Ctrl-C stops everything.
 *
 * Options: --fresh (start empty), --port N (the API, default 3000; 0 = a free port),
 * --data-dir DIR (default .local), --cdk-out DIR (run this assembly as it is), -c key=value (CDK
 * context, e.g. -c alarmEmail=ops@council.example), --dynamodb-port N, --sqs-port N, --no-schedules,
 * --clock INSTANT (the stack's clock starts there, e.g. 2026-05-01T09:00:00+01:00, and runs on;
 * `npm run clock` moves it), --timings (log how long each phase of the start took).
 */
// Only light modules here: DynamoDB Local's JVM (the slowest part of a start) is spawned first, and the
// runner's modules (the AWS SDK, fauxqs …) load while it boots.
import { rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assertNotRunning, DEFAULT_DATA_DIR, dynamodbDataDir } from './data-dir';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local';
import { describeInstant } from './local-clock';
import type { LocalStack, LocalStackInfo } from './runner';

const COLOURS = [36, 33, 35, 32, 34, 91, 92, 93, 94, 95, 96];
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;

function colourFor(source: string): (text: string) => string {
  if (!useColour) return (text) => text;
  let hash = 0;
  for (const ch of source) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const code = COLOURS[hash % COLOURS.length]!;
  return (text) => `\x1b[${code}m${text}\x1b[0m`;
}
const bold = (text: string) => (useColour ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text: string) => (useColour ? `\x1b[2m${text}\x1b[0m` : text);

function log(source: string, line: string): void {
  const text = line.startsWith('REPORT ') || line.startsWith('INIT_REPORT ') ? dim(line) : line;
  process.stdout.write(`${colourFor(source)(`[${source}]`)} ${text}\n`);
}

function parse() {
  const { values } = parseArgs({
    options: {
      fresh: { type: 'boolean', default: false },
      port: { type: 'string', default: '3000' },
      'data-dir': { type: 'string' },
      'cdk-out': { type: 'string' },
      context: { type: 'string', short: 'c', multiple: true },
      'dynamodb-port': { type: 'string' },
      'sqs-port': { type: 'string' },
      'no-schedules': { type: 'boolean', default: false },
      clock: { type: 'string' },
      timings: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const port = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} ${value} is not a port`);
    return n;
  };
  const context: Record<string, string> = {};
  for (const pair of values.context ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`-c ${pair}: expected key=value`);
    context[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    fresh: values.fresh,
    ports: {
      api: port('port', values.port) ?? 3000,
      ...(values['dynamodb-port'] ? { dynamodb: port('dynamodb-port', values['dynamodb-port']) } : {}),
      ...(values['sqs-port'] ? { sqs: port('sqs-port', values['sqs-port']) } : {}),
    },
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values['cdk-out'] ? { cdkOut: values['cdk-out'] } : {}),
    ...(Object.keys(context).length > 0 ? { context } : {}),
    schedules: !values['no-schedules'],
    ...(values.clock ? { clock: values.clock } : {}),
    timings: values.timings,
  };
}

function banner(info: LocalStackInfo, seconds: number, synth: string): string {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(12)}${value}`);
  lines.push('', bold(`Cared For is running on this machine (stack ${info.stackName}, data in ${relative(process.cwd(), info.dataDir) || '.'}/)`), '');
  row('Clock', `${describeInstant(info.clock.now)}${info.clock.shifted ? ', running on from there' : ' (the wall clock)'}; npm run clock -- +7d moves it`);
  lines.push('');
  if (info.webhookUrl) row('Webhook', `POST ${info.webhookUrl}`);
  if (info.webhookSecret) row('  secret', info.webhookSecret);
  if (info.outputs.ConsoleUrl) row('Console', `${info.outputs.ConsoleUrl}  (open in a browser; sign in by picking a role)`);
  if (info.apiUrl) row('API', info.apiUrl);
  for (const [id, api] of Object.entries(info.apis)) {
    for (const route of api.routes) {
      const fn = route.function ? info.functions[route.function]?.shortName ?? route.function : 'mock';
      row(Object.keys(info.apis).length > 1 ? `  ${id}` : '', `${route.method.padEnd(7)}${route.url}  → ${fn}`);
    }
  }
  for (const [id, url] of Object.entries(info.functionUrls)) row('Function URL', `${url.url}  → ${info.functions[url.function]?.shortName ?? id}`);
  if (info.auth) {
    row('Tokens', `dev OIDC issuer ${info.auth.issuer} (send as Authorization: Bearer <token>)`);
    for (const [role, token] of Object.entries(info.auth.tokens)) lines.push(`    ${`${role}:`.padEnd(20)}${token}`);
  }
  lines.push('');
  for (const [id, fn] of Object.entries(info.functions)) {
    row(fn === Object.values(info.functions)[0] ? 'Functions' : '', `${fn.shortName.padEnd(18)}${id}: ${fn.timeoutSeconds} s, ${fn.memoryMb} MB, up to ${fn.concurrency} at once`);
  }
  const consumed = new Set(Object.values(info.eventSourceMappings).map((m) => m.queue));
  for (const [id, m] of Object.entries(info.eventSourceMappings)) {
    row(id === Object.keys(info.eventSourceMappings)[0] ? 'Queues' : '', `${m.queue} → ${info.functions[m.function]?.shortName ?? m.function} (batches of ${m.batchSize}${m.reportBatchItemFailures ? ', partial failures' : ''})`);
  }
  const deadLetterQueues = new Set(Object.values(info.queues).map((q) => q.deadLetterQueue));
  const unconsumed = Object.keys(info.queues).filter((q) => !consumed.has(q) && !deadLetterQueues.has(q));
  if (unconsumed.length > 0) row(consumed.size > 0 ? '' : 'Queues', `no consumer (read them with the SQS endpoint): ${unconsumed.join(', ')}`);
  for (const [id, s] of Object.entries(info.schedules)) {
    const when = s.firing ? `next ${s.next[0] ?? 'never'} by the stack's clock` : s.enabled ? 'not fired (--no-schedules): npm run schedule fires it' : 'disabled in the template';
    row(id === Object.keys(info.schedules)[0] ? 'Schedules' : '', `${id}: ${s.expression} UTC, ${when}`);
  }
  for (const alert of info.alerts) {
    const where = [...alert.emails.map((e) => `would e-mail ${e} (printed here)`), ...alert.queues.map((q) => `SQS ${q} (its host does not resolve: read it through the SQS endpoint below)`)];
    row(alert === info.alerts[0] ? 'Alerts' : '', `${alert.topic} → ${where.join('; ') || 'no subscriptions'}`);
  }
  lines.push('');
  row('DynamoDB', info.endpoints.dynamodb);
  row('SQS / SNS', info.endpoints.sqs);
  if (info.ses) row('E-mail', `${info.ses.url}  (SES emulator: every e-mail sent, attachments too; nothing leaves this machine)`);
  if (info.webhookSink) row('Webhooks', `${info.webhookSink.url}  (outbound webhooks land here, printed as [webhook-sink])`);
  lines.push('', `Ready in ${seconds.toFixed(1)} s (${synth}). Ctrl-C stops everything.`, '');
  return lines.join('\n');
}

/** DynamoDB Local on the data dir, checked (no stack running there) and emptied first when `--fresh`. */
function startDynamoDbLocalFirst(options: ReturnType<typeof parse>): Promise<DynamoDbLocal> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  assertNotRunning(dataDir);
  if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
  const starting = startDynamoDbLocal({ port: options.ports.dynamodb ?? 0, dbPath: dynamodbDataDir(dataDir) });
  starting.catch(() => undefined); // the runner awaits it, and says why it failed
  return starting;
}

async function main(): Promise<void> {
  const options = parse();
  // Counted from this process's start: Node and tsx are in it.
  const started = performance.now();
  const dynamodbLocal = startDynamoDbLocalFirst(options);
  const { startLocalStack } = await import('./runner');
  if (options.timings) log('runner', `timing Node, tsx and this file took ${Math.round(started)} ms; the runner's modules ${Math.round(performance.now() - started)} ms more`);
  let synth = 'assembly given';
  const stack: LocalStack = await startLocalStack({
    ...options,
    fresh: false, // done above, before DynamoDB Local started on it
    dynamodbLocal,
    log: (source, line) => {
      if (source === 'runner' && line.startsWith('synthesizing')) synth = 'synthesized';
      log(source, line);
    },
  });
  if (!options.cdkOut && synth !== 'synthesized') synth = 'synth cached';
  process.stdout.write(`${banner(stack.info, performance.now() / 1000, synth)}\n`);

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches this process twice, from the terminal and forwarded by npm, and the forward can come late on a
    // loaded machine: so a second press is the third signal, not "a second signal some time later". (npm start
    // runs node with tsx as a loader, not the tsx CLI: that one relays each signal again and, when a loaded child
    // does not acknowledge a relay within 30 ms, kills it with SIGKILL before it has stopped anything.)
    signals++;
    if (signals === 2) return;
    if (signals > 2) {
      process.stdout.write(`${signal} again: exiting now\n`);
      process.exit(130);
    }
    process.stdout.write(`\n${signal}: stopping …\n`);
    stack.stop().then(
      () => {
        process.stdout.write('stopped\n');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`\nnpm start failed: ${message}`);
  if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
  process.exit(1);
});
