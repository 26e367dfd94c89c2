/**
 * The local stack: the synthesized template deployed to the embedded emulators and run with Lambda
 * semantics, all on 127.0.0.1. Everything comes from the template (tables, queues, topics,
 * functions, event source mappings, REST API routes, Function URLs, schedules); a resource it
 * cannot run stops it before anything starts.
 *
 *   const { info, stop } = await startLocalStack({ dataDir: '.local', ports: { api: 3000 } });
 *
 * `npm start` (start.ts) is this plus printing; the CLIs (cli/) talk to a running stack through
 * `<dataDir>/stack.json` and its control endpoint.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalAuth } from './auth';
import { ensureSynthesized, PROJECT_ROOT, readAssembly, type Assembly } from './assembly';
import { ENV } from '#lib/config';
import { startOutbox, type EmailSubscription, type Outbox } from './email-outbox';
import { startSesLocal, templateSendsEmail } from './ses-local';
import { startWebhookSink } from './webhook-sink';
import { dynamoClient, snsClient, sqsClient, startEmulators, type EmulatorEndpoints, type Emulators } from './emulators';
import { SqsPoller, type BatchOutcome, type SqsMappingSpec } from './event-source-mapping';
import { TtlSweeper } from './ttl-sweeper';
import { endpointHandler, listen, listRoutes, localApiId, readRestApis, type Endpoint, type HttpListener, type RestApiSpec } from './http-gateway';
import { DEFAULT_CONCURRENCY, LocalFunction, type FunctionSpec, type InvokeResult, type WorkerError } from './lambda-runtime';
import { ClockMoveRefused, InvalidClockTarget, LocalClock, parseClockTarget, saveClock, savedClockOffset, type ClockState } from './local-clock';
import { LOCAL_ACCOUNT, LOCAL_REGION, LOOPBACK } from './constants';
import { localName, provisionedValues, provisionTemplate, type ProvisionedResource } from './provision';
import { DEFAULT_ASYNC_RETRIES, invocationRecord, readAsyncInvokeConfigs, type AsyncInvokeConfig } from './async-invoke';
import { nextFirings, parseScheduleExpression, ScheduleDelivery, scheduledEvent, targetPayload, type ScheduleSpec, type ScheduleTarget } from './schedules';
import { loadLocalSecrets, withLocalSecrets, type LocalSecret } from './secrets';
import {
  assertRunnable,
  referencedIds,
  resolveIntrinsics,
  resolveString,
  resourcesOfType,
  shortName,
  UnsupportedResourceError,
  type CfnTemplate,
  type LocalValues,
  type ResolveContext,
} from './template';

export const DEFAULT_DATA_DIR = join(PROJECT_ROOT, '.local');
export const STACK_INFO_FILE = 'stack.json';

// ---------------------------------------------------------------------------------------------
// What a running stack describes of itself (.local/stack.json)

export interface LocalStackInfo {
  version: 1;
  stackName: string;
  /** The runner's process. */
  pid: number;
  startedAt: string;
  dataDir: string;
  region: string;
  accountId: string;
  /** The emulators (SQS and SNS share fauxqs's port). */
  endpoints: { dynamodb: string; sqs: string; sns: string };
  /** The stack's clock when this was written (stack.json is written again whenever the clock is moved). */
  clock: ClockState;
  /** The runner's control endpoint (info, clock, invoke, schedule), for the CLIs; needs `Authorization: Bearer <token>`. */
  control: { url: string; token: string };
  /** The first REST API's URL with its stage, e.g. `http://127.0.0.1:3000/v1`. */
  apiUrl?: string;
  /** The stack output `WebhookUrl`, made local. */
  webhookUrl?: string;
  /** The webhook signing secret (`whsec_…`). */
  webhookSecret?: string;
  apis: Record<string, { url: string; stage: string; routes: Array<{ method: string; path: string; url: string; function?: string }> }>;
  functionUrls: Record<string, { url: string; function: string }>;
  functions: Record<
    string,
    { name: string; shortName: string; arn: string; timeoutSeconds: number; memoryMb: number; concurrency: number; codeDir: string; environment: Record<string, string> }
  >;
  /** Tables, queues, topics and subscriptions by logical id. */
  resources: Record<string, { type: string; name: string; arn: string; url?: string }>;
  tables: Record<string, string>;
  /** With the DLQ (logical id) and maxReceiveCount of those that have one. */
  queues: Record<string, { name: string; url: string; arn: string; deadLetterQueue?: string; maxReceiveCount?: number }>;
  topics: Record<string, string>;
  eventSourceMappings: Record<string, { function: string; queue: string; batchSize: number; batchingWindowSeconds: number; reportBatchItemFailures: boolean; enabled: boolean }>;
  /** `enabled`: the rule's state in the template; `firing`: whether this run fires it (not with `--no-schedules`); `next`: when it fires by the stack's clock (none when it does not fire). */
  schedules: Record<string, { name: string; expression: string; enabled: boolean; firing: boolean; next: string[]; targets: string[] }>;
  /** Where each topic's notifications go. */
  alerts: Array<{ topic: string; arn: string; queues: string[]; emails: string[] }>;
  secrets: Record<string, { arn: string; value: string }>;
  outputs: Record<string, string>;
  /** The SES emulator (its root is a viewer of every e-mail sent; `GET /store` as JSON), when the stack sends e-mail. */
  ses?: { url: string };
  /** Where outbound webhooks go locally (printed, answered 204). */
  webhookSink?: { url: string };
  /** The dev OIDC issuer, when the stack has a function that verifies OIDC tokens. */
  auth?: { issuer: string; jwksUrl: string; tokens: Record<string, string> };
}

/** The running stack's description, for the CLIs and seeding. Throws if no stack is running there. */
export function readLocalStackInfo(dataDir: string = DEFAULT_DATA_DIR): LocalStackInfo {
  const file = join(dataDir, STACK_INFO_FILE);
  if (!existsSync(file)) throw new Error(`No local stack is running (no ${file}): start one with npm start`);
  const info = JSON.parse(readFileSync(file, 'utf8')) as LocalStackInfo;
  if (!isAlive(info.pid)) throw new Error(`No local stack is running (${file} is left from process ${info.pid}, which has ended): start one with npm start`);
  return info;
}

// ---------------------------------------------------------------------------------------------

export interface LocalStackPorts {
  /** The first REST API. @default 0 (a free port); `npm start` passes 3000 */
  api?: number;
  /** @default 0 */
  dynamodb?: number;
  /** @default 0 */
  sqs?: number;
  /** @default 0 */
  control?: number;
  /** The SES emulator, when the stack sends e-mail. @default 0 */
  ses?: number;
}

export interface StartLocalStackOptions {
  /** Where the emulators keep their data, the local secrets and stack.json. @default <project>/.local */
  dataDir?: string;
  /** Start empty: delete `dataDir` first. */
  fresh?: boolean;
  /** 0 (or a number for the API alone) = free ports. */
  ports?: number | LocalStackPorts;
  /** A synthesized cloud assembly to run. @default cdk.out, synthesized with bundling when out of date */
  cdkOut?: string;
  /** CDK context for that synthesis (`-c key=value`). */
  context?: Record<string, string>;
  /** Use emulators that are already running (tests) instead of starting them; they are not stopped. */
  emulators?: EmulatorEndpoints;
  /** Local resource names are `<prefix>-<logicalId>`. @default the stack name */
  prefix?: string;
  /** Where log lines go, by source (a function's short name, a topic, `runner`). @default console.log with `[source] ` */
  log?: (source: string, line: string) => void;
  /** Fire schedules at their times. @default true */
  schedules?: boolean;
  /**
   * Where the stack's clock starts (an instant, ISO with its zone, or epoch ms); it runs on from there.
   * @default the clock kept in `dataDir` by the last run (the same distance from the wall clock), else the wall clock
   */
  clock?: string | number;
  /** The clock stays at `clock` until it is moved (tests: nothing happens a minute later by accident). @default false */
  clockStandsStill?: boolean;
  /** Write `<dataDir>/stack.json` for the CLIs. @default true */
  writeInfo?: boolean;
  /** Called after each batch an event source mapping hands to its function. */
  onBatch?: (mappingLogicalId: string, outcome: BatchOutcome) => void;
}

export interface LocalStack {
  info: LocalStackInfo;
  /** Runs a function once (by logical id, short name or local name) and returns Lambda's answer. */
  invoke(functionName: string, event: unknown): Promise<InvokeResult>;
  /**
   * Fires a schedule now (by logical id, short name or rule name); `at` is the event's time (default: the
   * stack's clock now). No retries, so the caller sees the outcome at once: a failed function's event goes
   * straight to its on-failure destination, as after Lambda's last retry.
   */
  fireSchedule(ruleName: string, at?: Date): Promise<ScheduleFiring>;
  /** The stack's clock: what every function, mapping, schedule and the dev issuer read. */
  clock: LocalClock;
  /**
   * Moves the stack's clock forward, to an instant or by a step (`+7d`, see local-clock.ts): every
   * schedule firing on the way is delivered at its own time, and what it queued is left to drain,
   * before the clock goes on. Then the dev issuer's tokens are issued again and stack.json rewritten.
   */
  moveClock(to: string | number): Promise<ClockMove>;
  functions: ReadonlyMap<string, LocalFunction>;
  stop(): Promise<void>;
}

export interface ClockMove {
  from: string;
  to: string;
  /** The schedule firings delivered on the way, in time order. */
  fired: ScheduleFiring[];
  /** The dev issuer's tokens, issued at the new time. */
  tokens?: Record<string, string>;
}

export interface ScheduleFiring {
  rule: string;
  time: string;
  /** `failedEventsQueue`: the on-failure destination a failed function's event was sent to. */
  targets: Array<{ id: string; kind: ScheduleTarget['kind']; ok: boolean; payload?: unknown; error?: unknown; failedEventsQueue?: string }>;
  /** Why the firing could not be delivered at all. */
  error?: string;
}

export async function startLocalStack(options: StartLocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((source: string, line: string) => console.log(`[${source}] ${line}`));
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const ports: LocalStackPorts = typeof options.ports === 'number' ? { api: options.ports } : (options.ports ?? {});
  const writeInfo = options.writeInfo ?? true;

  if (writeInfo) assertNotRunning(dataDir);
  if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const clock = startingClock(options.clock, dataDir, options.clockStandsStill ?? false);
  if (writeInfo) saveClock(dataDir, clock);

  const assembly: Assembly = options.cdkOut
    ? readAssembly(resolve(options.cdkOut))
    : await ensureSynthesized({ ...(options.context ? { context: options.context } : {}), log: (line) => log('runner', line) });
  const { template, stackName } = assembly;
  const prefix = options.prefix ?? stackName;
  // Everything the template asks for is checked before anything starts.
  const plan = planStack(template, assembly, prefix);

  const cleanup: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch((error: unknown) => log('runner', `stopping: ${(error as Error).message}`));
  };

  try {
    let emulators: Emulators | undefined;
    let endpoints = options.emulators;
    if (!endpoints) {
      emulators = await startEmulators({
        dataDir,
        ...(ports.dynamodb !== undefined ? { dynamodbPort: ports.dynamodb } : {}),
        ...(ports.sqs !== undefined ? { sqsPort: ports.sqs } : {}),
      });
      const started = emulators;
      cleanup.push(() => started.stop());
      endpoints = emulators.endpoints;
    }
    const clients = { dynamodb: dynamoClient(endpoints.dynamodb), sqs: sqsClient(endpoints.sqs), sns: snsClient(endpoints.sns) };
    cleanup.push(async () => {
      clients.dynamodb.destroy();
      clients.sqs.destroy();
      clients.sns.destroy();
    });

    const provisioned = await provisionTemplate(template, clients, { prefix });
    const ttlTables = Object.values(provisioned.resources).flatMap((r) => (r.ttl ? [{ name: r.name, ...r.ttl }] : []));
    const sweeper = new TtlSweeper(DynamoDBDocumentClient.from(clients.dynamodb), ttlTables, clock, (line) => log('runner', line));
    cleanup.push(async () => sweeper.stop());
    const secrets = loadLocalSecrets(dataDir, prefix, plan.secretIds);

    // Listeners first: their URLs go into the functions' environments and the outputs.
    const functions = new Map<string, LocalFunction>();
    const invoke = async (logicalId: string, event: unknown): Promise<InvokeResult> => {
      const fn = functions.get(logicalId);
      if (!fn) throw new Error(`no function ${logicalId}`);
      return fn.invoke(event);
    };
    const control = await startControl(ports.control ?? 0);
    cleanup.push(() => control.close());

    const apiListeners = new Map<string, HttpListener>();
    let ready = false;
    for (const [i, api] of plan.apis.entries()) {
      const listener = await listen(i === 0 ? (ports.api ?? 0) : 0, endpointHandler(() => (ready ? { kind: 'rest-api', api } : undefined), invoke, clock));
      cleanup.push(() => listener.close());
      apiListeners.set(api.logicalId, listener);
    }
    const urlListeners = new Map<string, HttpListener>();
    for (const url of plan.functionUrls) {
      const endpoint: Endpoint = { kind: 'function-url', urlId: localApiId(url.logicalId), functionLogicalId: url.functionLogicalId };
      const listener = await listen(0, endpointHandler(() => (ready ? endpoint : undefined), invoke, clock));
      cleanup.push(() => listener.close());
      urlListeners.set(url.logicalId, listener);
    }

    const ctx = resolveContext(template, stackName, prefix, provisioned.resources, secrets, plan, apiListeners, urlListeners);
    // E-mail and outbound webhooks stay on this machine: SES is emulated, webhooks go to a local sink.
    const mail = templateSendsEmail(template) ? await startSesLocal(ports.ses ?? 0) : undefined;
    if (mail) cleanup.push(() => mail.stop());
    const sink = mail ? await startWebhookSink((line) => log('webhook-sink', line)) : undefined;
    if (sink) cleanup.push(() => sink.stop());
    const baseEnvironment = {
      ...(mail ? { AWS_ENDPOINT_URL_SESV2: mail.url, AWS_ENDPOINT_URL_SES: mail.url } : {}),
      ...(sink ? { [ENV.webhookBaseUrlOverride]: sink.url } : {}),
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      AWS_ENDPOINT_URL_SNS: endpoints.sns,
      // Any other AWS service answers from the runner that it is not emulated, instead of reaching AWS.
      AWS_ENDPOINT_URL: `${control.url}/not-emulated`,
    };
    // Event source mappings: stopped (no new batches) first, drained after the functions stop.
    const pollers: SqsPoller[] = [];
    cleanup.push(async () => {
      await Promise.all(pollers.map((p) => p.drained()));
    });
    const environments = plan.functions.map((f) => {
      const variables = (f.properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      const environment: Record<string, string> = {};
      for (const [name, value] of Object.entries(variables)) {
        environment[name] = resolveString(value, ctx, `${f.logicalId}.Environment.Variables.${name}`);
      }
      return withLocalSecrets(f.logicalId, environment, secrets);
    });
    const auth = await startLocalAuth(environments, dataDir, clock);
    if (auth) cleanup.push(() => auth.stop());
    for (const [i, f] of plan.functions.entries()) {
      const environment = auth ? auth.configure(environments[i]!) : environments[i]!;
      functions.set(f.logicalId, new LocalFunction({ ...f.spec, environment }, { baseEnvironment, clock, log: (s, line) => log(s.shortName, line) }));
    }
    cleanup.push(async () => {
      await Promise.all([...functions.values()].map((fn) => fn.stop()));
    });

    for (const m of plan.mappings) {
      const queue = provisioned.resources[m.queueLogicalId]!;
      const spec: SqsMappingSpec = { ...m.spec, queue: { logicalId: m.queueLogicalId, url: queue.url!, arn: queue.arn } };
      const poller = new SqsPoller(spec, functions.get(m.functionLogicalId)!, {
        sqs: clients.sqs,
        log: (line) => log(functions.get(m.functionLogicalId)!.spec.shortName, line),
        onBatch: (outcome) => options.onBatch?.(m.logicalId, outcome),
        clock,
      });
      pollers.push(poller);
    }

    // Schedules.
    const rules = plan.rules.map((r) => resolveRule(r, ctx, provisioned.resources));
    const fire = async (rule: ScheduleSpec, at: Date, retries: boolean): Promise<ScheduleFiring> => {
      const event = scheduledEvent(rule, at);
      log('runner', `schedule ${rule.logicalId} fires for ${event.time}`);
      const targets = await Promise.all(rule.targets.map(async (target) => ({ id: target.id, kind: target.kind, ...(await deliver(target, event, retries)) })));
      return { rule: rule.logicalId, time: event.time, targets };
    };
    const deliver = async (
      target: ScheduleTarget,
      event: ReturnType<typeof scheduledEvent>,
      retries: boolean,
    ): Promise<{ ok: boolean; payload?: unknown; error?: unknown; failedEventsQueue?: string }> => {
      const payload = targetPayload(target.input, event);
      if (target.kind === 'sqs') {
        await clients.sqs.send(new SendMessageCommand({ QueueUrl: target.queueUrl, MessageBody: JSON.stringify(payload) }));
        return { ok: true };
      }
      if (target.kind === 'sns') {
        await clients.sns.send(new PublishCommand({ TopicArn: target.topicArn, Message: JSON.stringify(payload) }));
        return { ok: true };
      }
      // EventBridge invokes Lambda asynchronously: Lambda retries a failed event (twice unless its config says
      // otherwise), a minute then two minutes later, then sends it to the on-failure destination, if any. The
      // first answer is reported; the retries go on meanwhile, so later firings do not wait for them.
      const asyncConfig = plan.asyncInvoke.get(target.functionLogicalId);
      const fn = functions.get(target.functionLogicalId)!;
      const toFailureDestination = async (error: WorkerError, attempts: number): Promise<string | undefined> => {
        const queue = asyncConfig?.onFailureQueueLogicalId ? provisioned.resources[asyncConfig.onFailureQueueLogicalId] : undefined;
        if (!queue?.url) return undefined;
        const record = invocationRecord(fn.spec.arn, payload, error, attempts, new Date(clock.nowMs()));
        await clients.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify(record) }));
        log(fn.spec.shortName, `scheduled invocation failed; its event is on ${asyncConfig!.onFailureQueueLogicalId}`);
        return asyncConfig!.onFailureQueueLogicalId;
      };
      const maxRetries = retries ? (asyncConfig?.retryAttempts ?? DEFAULT_ASYNC_RETRIES) : 0;
      const first = await invoke(target.functionLogicalId, payload);
      if (first.ok) return { ok: true, payload: first.payload };
      if (maxRetries === 0 || stopping) {
        const failedEventsQueue = await toFailureDestination(first.error, 1);
        return { ok: false, error: first.error, ...(failedEventsQueue ? { failedEventsQueue } : {}) };
      }
      void (async () => {
        let last: WorkerError = first.error;
        for (let attempt = 1; attempt <= maxRetries; attempt++) {
          log(fn.spec.shortName, `scheduled invocation failed; Lambda retries it in ${attempt} minute(s)`);
          await new Promise((r) => setTimeout(r, attempt * 60_000).unref());
          if (stopping) return;
          const again = await invoke(target.functionLogicalId, payload);
          if (again.ok) return;
          last = again.error;
        }
        await toFailureDestination(last, maxRetries + 1);
      })().catch((error: unknown) => log(fn.spec.shortName, `retrying a scheduled invocation: ${(error as Error).message}`));
      return { ok: false, error: first.error };
    };
    let stopping = false;
    const firesSchedules = options.schedules ?? true;
    const delivery = new ScheduleDelivery(
      firesSchedules ? rules.filter((r) => r.enabled) : [],
      clock,
      ({ rule, at }) => fire(rule, at, true),
      (line) => log('runner', line),
    );
    cleanup.push(async () => {
      stopping = true;
      delivery.stop();
    });
    /** Waits until every queue a function consumes is empty and no batch is being handled (at most a minute). */
    const settle = async (): Promise<void> => {
      const deadline = performance.now() + 60_000;
      let quietChecks = 0;
      while (performance.now() < deadline && !stopping) {
        const counts = await Promise.all(
          pollers.map(async (p) => {
            const { Attributes = {} } = await clients.sqs.send(
              new GetQueueAttributesCommand({ QueueUrl: p.spec.queue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
            );
            return p.busy + Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
          }),
        );
        quietChecks = counts.every((n) => n === 0) ? quietChecks + 1 : 0;
        if (quietChecks >= 2) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      log('runner', 'the queues did not drain within a minute: the clock goes on');
    };

    // E-mail subscriptions: printed, never sent.
    const outboxes: Outbox[] = [];
    for (const sub of plan.emailSubscriptions) {
      const topic = provisioned.resources[sub.topicLogicalId];
      if (!topic) continue;
      outboxes.push(await startOutbox({ ...sub, topicArn: topic.arn }, clients, prefix, log));
    }
    cleanup.push(async () => {
      await Promise.all(outboxes.map((o) => o.stop()));
    });

    const outputs: Record<string, string> = {};
    for (const [name, output] of Object.entries(template.Outputs ?? {})) {
      try {
        outputs[name] = resolveString(output.Value, ctx, `Outputs.${name}`);
      } catch {
        // An output naming something with no local counterpart is left out.
      }
    }

    const info = describe({
      auth,
      stackName,
      dataDir,
      endpoints,
      control,
      plan,
      provisioned: provisioned.resources,
      functions,
      apiListeners,
      urlListeners,
      rules,
      secrets,
      outputs,
      outboxes,
      template,
      ctx,
      clock,
      firesSchedules,
    });
    if (mail) info.ses = { url: mail.url };
    if (sink) info.webhookSink = { url: sink.url };
    const infoFile = join(dataDir, STACK_INFO_FILE);
    const writeInfoFile = () => writeFileSync(infoFile, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });

    const findFunction = (name: string): LocalFunction => {
      const fn =
        functions.get(name) ??
        [...functions.values()].find((f) => [f.spec.shortName, f.spec.name].includes(name) || f.spec.logicalId.toLowerCase() === name.toLowerCase());
      if (!fn) throw new NotFound(`No function ${name}: the stack has ${[...functions.values()].map((f) => `${f.spec.shortName} (${f.spec.logicalId})`).join(', ') || 'none'}`);
      return fn;
    };
    const findRule = (name: string): ScheduleSpec => {
      const rule = rules.find((r) => [r.logicalId, r.name, shortName(r.logicalId)].includes(name) || r.logicalId.toLowerCase() === name.toLowerCase());
      if (!rule) throw new NotFound(`No schedule ${name}: the stack has ${rules.map((r) => `${shortName(r.logicalId)} (${r.logicalId})`).join(', ') || 'none'}`);
      return rule;
    };
    const stack: LocalStack = {
      info,
      functions,
      invoke: (name, event) => findFunction(name).invoke(event),
      fireSchedule: (name, at = new Date(clock.nowMs())) => fire(findRule(name), at, false),
      clock,
      moveClock: async (to) => {
        const from = clock.state().now;
        const target = typeof to === 'number' ? to : parseClockTarget(to, clock.nowMs());
        if (target < clock.nowMs()) clock.moveTo(target); // refused, with the reason
        const fired = (await delivery.advance(target, (ms) => clock.moveTo(ms), settle)).map(
          (d): ScheduleFiring => d.result ?? { rule: d.firing.rule.logicalId, time: scheduledEvent(d.firing.rule, d.firing.at).time, targets: [], error: d.error },
        );
        if (writeInfo) saveClock(dataDir, clock);
        await sweeper.sweep();
        const tokens = await auth?.reissue();
        info.clock = clock.state();
        info.schedules = scheduleInfo(rules, firesSchedules, clock);
        if (writeInfo) writeInfoFile();
        log('runner', `the clock moved from ${from} to ${info.clock.now}${fired.length > 0 ? `, firing ${fired.map((f) => `${f.rule} at ${f.time}`).join(', ')}` : ''}`);
        return { from, to: info.clock.now, fired, ...(tokens ? { tokens } : {}) };
      },
      stop: async () => {
        await stopAll();
      },
    };
    control.setHandler(controlHandler(stack));

    // Go: pollers, schedules, listeners.
    cleanup.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });
    pollers.forEach((p) => p.start());
    delivery.start();
    sweeper.start();
    ready = true;

    if (writeInfo) {
      writeInfoFile();
      cleanup.unshift(async () => {
        // Only ours: a stack started later on the same data dir has its own.
        try {
          if ((JSON.parse(readFileSync(infoFile, 'utf8')) as LocalStackInfo).pid === process.pid) rmSync(infoFile, { force: true });
        } catch {
          // already gone
        }
      });
    }
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

class NotFound extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function assertNotRunning(dataDir: string): void {
  const file = join(dataDir, STACK_INFO_FILE);
  if (!existsSync(file)) return;
  try {
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as LocalStackInfo;
    if (pid !== process.pid && isAlive(pid)) {
      throw new Error(`A local stack is already running on ${dataDir} (process ${pid}): stop it first (Ctrl-C in its terminal)`);
    }
  } catch (error) {
    if (error instanceof SyntaxError) return;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the template into what runs

interface PlannedFunction {
  logicalId: string;
  properties: Record<string, unknown>;
  spec: Omit<FunctionSpec, 'environment'>;
}

interface Plan {
  functions: PlannedFunction[];
  mappings: Array<{ logicalId: string; functionLogicalId: string; queueLogicalId: string; spec: Omit<SqsMappingSpec, 'queue'> }>;
  apis: RestApiSpec[];
  functionUrls: Array<{ logicalId: string; functionLogicalId: string }>;
  rules: Array<{ logicalId: string; properties: Record<string, unknown> }>;
  emailSubscriptions: Array<Omit<EmailSubscription, 'topicArn'>>;
  secretIds: string[];
  /** Async invoke configs (retries, on-failure destination) by function logical id. */
  asyncInvoke: Map<string, AsyncInvokeConfig>;
}

function planStack(template: CfnTemplate, assembly: Assembly, prefix: string): Plan {
  assertRunnable(template);
  const typeOf = (id: string) => template.Resources[id]?.Type;
  const functionIds = new Set(resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id));
  const one = (logicalId: string, type: string, value: unknown, what: string, wanted: (id: string) => boolean): string => {
    const ids = referencedIds(value).filter(wanted);
    if (ids.length !== 1) throw new UnsupportedResourceError(logicalId, type, `its ${what} is not a resource of this template the local stack runs`);
    return ids[0]!;
  };

  const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([logicalId, r]): PlannedFunction => {
    const p = r.Properties ?? {};
    const runtime = String(p.Runtime ?? '');
    if (!runtime.startsWith('nodejs')) throw new UnsupportedResourceError(logicalId, r.Type, `runtime ${runtime || '(image)'} is not run locally: only Node.js`);
    if (Array.isArray(p.Layers) && p.Layers.length > 0) throw new UnsupportedResourceError(logicalId, r.Type, 'layers are not run locally (bundle everything)');
    const code = (p.Code ?? {}) as Record<string, unknown>;
    let codeDir: string;
    if (typeof code.S3Key === 'string') {
      const hash = code.S3Key.replace(/\.zip$/, '');
      const dir = assembly.assetDirs[hash];
      if (!dir || !existsSync(dir)) {
        throw new UnsupportedResourceError(logicalId, r.Type, `its code asset ${hash} is not in ${assembly.dir}: synthesize with bundling`);
      }
      codeDir = dir;
    } else if (typeof code.ZipFile === 'string') {
      codeDir = join(assembly.dir, `inline.${logicalId}`);
      mkdirSync(codeDir, { recursive: true });
      writeFileSync(join(codeDir, 'index.js'), code.ZipFile);
    } else {
      throw new UnsupportedResourceError(logicalId, r.Type, 'its code is neither a CDK asset nor inline');
    }
    const name = typeof p.FunctionName === 'string' ? p.FunctionName : localName(prefix, logicalId, 64);
    const reserved = p.ReservedConcurrentExecutions === undefined ? undefined : Number(p.ReservedConcurrentExecutions);
    return {
      logicalId,
      properties: p,
      spec: {
        logicalId,
        name,
        shortName: shortName(logicalId),
        arn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`,
        handler: String(p.Handler ?? 'index.handler'),
        codeDir,
        runtime,
        timeoutSeconds: Number(p.Timeout ?? 3),
        memoryMb: Number(p.MemorySize ?? 128),
        concurrency: reserved === undefined ? DEFAULT_CONCURRENCY : Math.max(1, reserved),
      },
    };
  });

  const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').map(([logicalId, r]) => {
    const p = r.Properties ?? {};
    const queueLogicalId = referencedIds(p.EventSourceArn)[0] ?? '';
    if (typeOf(queueLogicalId) !== 'AWS::SQS::Queue') {
      throw new UnsupportedResourceError(logicalId, r.Type, 'only SQS queues of this template run as event sources locally');
    }
    if (p.FilterCriteria !== undefined) throw new UnsupportedResourceError(logicalId, r.Type, 'FilterCriteria are not applied locally');
    const functionLogicalId = one(logicalId, r.Type, p.FunctionName, 'FunctionName', (id) => functionIds.has(id));
    const responseTypes = Array.isArray(p.FunctionResponseTypes) ? p.FunctionResponseTypes : [];
    const scaling = p.ScalingConfig as { MaximumConcurrency?: unknown } | undefined;
    return {
      logicalId,
      functionLogicalId,
      queueLogicalId,
      spec: {
        logicalId,
        batchSize: Number(p.BatchSize ?? 10),
        maximumBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
        reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
        ...(scaling?.MaximumConcurrency !== undefined ? { maximumConcurrency: Number(scaling.MaximumConcurrency) } : {}),
        enabled: p.Enabled === undefined || p.Enabled === true || p.Enabled === 'true',
      },
    };
  });

  const functionUrls = resourcesOfType(template, 'AWS::Lambda::Url').map(([logicalId, r]) => {
    const p = r.Properties ?? {};
    if (String(p.AuthType ?? 'NONE') !== 'NONE') throw new UnsupportedResourceError(logicalId, r.Type, `AuthType ${String(p.AuthType)} is not enforced locally`);
    return { logicalId, functionLogicalId: one(logicalId, r.Type, p.TargetFunctionArn, 'TargetFunctionArn', (id) => functionIds.has(id)) };
  });

  const rules = resourcesOfType(template, 'AWS::Events::Rule').map(([logicalId, r]) => {
    const p = r.Properties ?? {};
    if (typeof p.ScheduleExpression !== 'string') {
      throw new UnsupportedResourceError(logicalId, r.Type, 'only schedules run locally: event patterns are not routed');
    }
    try {
      parseScheduleExpression(p.ScheduleExpression);
    } catch (error) {
      throw new UnsupportedResourceError(logicalId, r.Type, (error as Error).message);
    }
    for (const target of (Array.isArray(p.Targets) ? p.Targets : []) as Array<Record<string, unknown>>) {
      one(logicalId, r.Type, target.Arn, `target ${String(target.Id)}`, (id) =>
        ['AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::SNS::Topic'].includes(typeOf(id) ?? ''),
      );
    }
    return { logicalId, properties: p };
  });

  const emailSubscriptions: Plan['emailSubscriptions'] = [];
  for (const [logicalId, r] of resourcesOfType(template, 'AWS::SNS::Subscription')) {
    const p = r.Properties ?? {};
    const protocol = String(p.Protocol);
    if (protocol === 'sqs') continue;
    if (protocol !== 'email' && protocol !== 'email-json') {
      throw new UnsupportedResourceError(logicalId, r.Type, `protocol ${protocol} is not delivered locally (only sqs, email and email-json)`);
    }
    const topicLogicalId = referencedIds(p.TopicArn)[0] ?? '';
    emailSubscriptions.push({
      logicalId,
      topicLogicalId,
      address: typeof p.Endpoint === 'string' ? p.Endpoint : JSON.stringify(p.Endpoint),
      ...(p.FilterPolicy !== undefined ? { filterPolicy: typeof p.FilterPolicy === 'string' ? p.FilterPolicy : JSON.stringify(p.FilterPolicy) } : {}),
      ...(typeof p.FilterPolicyScope === 'string' ? { filterPolicyScope: p.FilterPolicyScope } : {}),
    });
  }

  return {
    functions,
    mappings,
    apis: readRestApis(template, functionIds),
    functionUrls,
    rules,
    emailSubscriptions,
    secretIds: resourcesOfType(template, 'AWS::SecretsManager::Secret').map(([id]) => id),
    asyncInvoke: readAsyncInvokeConfigs(template, functionIds),
  };
}

function resolveContext(
  template: CfnTemplate,
  stackName: string,
  prefix: string,
  provisioned: Record<string, ProvisionedResource>,
  secrets: Record<string, LocalSecret>,
  plan: Plan,
  apiListeners: Map<string, HttpListener>,
  urlListeners: Map<string, HttpListener>,
): ResolveContext {
  const values: Record<string, LocalValues> = provisionedValues(provisioned);
  for (const f of plan.functions) values[f.logicalId] = { ref: f.spec.name, attributes: { Arn: f.spec.arn } };
  for (const secret of Object.values(secrets)) values[secret.logicalId] = { ref: secret.arn, attributes: { Id: secret.arn } };
  const apiUrls: Record<string, string> = {};
  for (const api of plan.apis) {
    values[api.logicalId] = { ref: api.apiId, attributes: { RootResourceId: `${api.apiId}-root`, RestApiId: api.apiId } };
    apiUrls[api.apiId] = `${apiListeners.get(api.logicalId)!.url}/`;
  }
  for (const [id] of resourcesOfType(template, 'AWS::ApiGateway::Resource')) values[id] = { ref: id.toLowerCase(), attributes: { ResourceId: id.toLowerCase() } };
  for (const [id, r] of resourcesOfType(template, 'AWS::ApiGateway::Stage')) values[id] = { ref: String(r.Properties?.StageName), attributes: {} };
  for (const url of plan.functionUrls) {
    const fn = plan.functions.find((f) => f.logicalId === url.functionLogicalId)!;
    values[url.logicalId] = { ref: fn.spec.arn, attributes: { FunctionUrl: `${urlListeners.get(url.logicalId)!.url}/`, FunctionArn: fn.spec.arn } };
  }
  for (const rule of plan.rules) {
    const name = typeof rule.properties.Name === 'string' ? rule.properties.Name : localName(prefix, rule.logicalId, 64);
    values[rule.logicalId] = { ref: name, attributes: { Arn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${name}` } };
  }
  return { template, stackName, values, apiUrls };
}

function resolveRule(rule: Plan['rules'][number], ctx: ResolveContext, provisioned: Record<string, ProvisionedResource>): ScheduleSpec {
  const p = rule.properties;
  const local = ctx.values[rule.logicalId]!;
  const targets = ((Array.isArray(p.Targets) ? p.Targets : []) as Array<Record<string, unknown>>).map((t): ScheduleTarget => {
    const id = String(t.Id);
    const input = t.Input !== undefined
      ? { kind: 'constant' as const, json: resolveString(t.Input, ctx, `${rule.logicalId}.Targets.${id}.Input`) }
      : t.InputPath !== undefined
        ? { kind: 'path' as const, path: String(t.InputPath) }
        : t.InputTransformer !== undefined
          ? (() => {
              const transformer = resolveIntrinsics(t.InputTransformer, ctx, `${rule.logicalId}.Targets.${id}.InputTransformer`) as { InputPathsMap?: Record<string, string>; InputTemplate: string };
              return { kind: 'transformer' as const, paths: transformer.InputPathsMap ?? {}, template: transformer.InputTemplate };
            })()
          : { kind: 'event' as const };
    const targetId = referencedIds(t.Arn).find((ref) => ref in ctx.template.Resources)!;
    const type = ctx.template.Resources[targetId]!.Type;
    if (type === 'AWS::SQS::Queue') return { id, kind: 'sqs', queueUrl: provisioned[targetId]!.url!, input };
    if (type === 'AWS::SNS::Topic') return { id, kind: 'sns', topicArn: provisioned[targetId]!.arn, input };
    return { id, kind: 'lambda', functionLogicalId: targetId, input };
  });
  return {
    logicalId: rule.logicalId,
    name: local.ref,
    arn: local.attributes.Arn!,
    expression: String(p.ScheduleExpression),
    enabled: p.State === undefined || String(p.State).startsWith('ENABLED'),
    targets,
  };
}

// ---------------------------------------------------------------------------------------------
// stack.json

function describe(parts: {
  auth: Awaited<ReturnType<typeof startLocalAuth>>;
  stackName: string;
  dataDir: string;
  endpoints: EmulatorEndpoints;
  control: Control;
  plan: Plan;
  provisioned: Record<string, ProvisionedResource>;
  functions: Map<string, LocalFunction>;
  apiListeners: Map<string, HttpListener>;
  urlListeners: Map<string, HttpListener>;
  rules: ScheduleSpec[];
  secrets: Record<string, LocalSecret>;
  outputs: Record<string, string>;
  outboxes: Outbox[];
  template: CfnTemplate;
  ctx: ResolveContext;
  clock: LocalClock;
  firesSchedules: boolean;
}): LocalStackInfo {
  const { plan, provisioned } = parts;
  const apis: LocalStackInfo['apis'] = {};
  for (const api of plan.apis) {
    const url = `${parts.apiListeners.get(api.logicalId)!.url}/${api.stage}`;
    apis[api.logicalId] = {
      url,
      stage: api.stage,
      routes: listRoutes(api).map((r) => ({
        method: r.method,
        path: r.path,
        url: `${url}${r.path === '/' ? '' : r.path}`,
        ...(r.target.type === 'lambda' ? { function: r.target.functionLogicalId } : {}),
      })),
    };
  }
  const functions: LocalStackInfo['functions'] = {};
  for (const [id, fn] of parts.functions) {
    const { name, shortName: short, arn, timeoutSeconds, memoryMb, concurrency, codeDir, environment } = fn.spec;
    functions[id] = { name, shortName: short, arn, timeoutSeconds, memoryMb, concurrency, codeDir, environment };
  }
  const resources: LocalStackInfo['resources'] = {};
  const tables: LocalStackInfo['tables'] = {};
  const queues: LocalStackInfo['queues'] = {};
  const topics: LocalStackInfo['topics'] = {};
  for (const [id, r] of Object.entries(provisioned)) {
    resources[id] = { type: r.type, name: r.name, arn: r.arn, ...(r.url ? { url: r.url } : {}) };
    if (r.type === 'AWS::DynamoDB::Table' || r.type === 'AWS::DynamoDB::GlobalTable') tables[id] = r.name;
    if (r.type === 'AWS::SQS::Queue' && r.url) {
      const redrive = parts.template.Resources[id]?.Properties?.RedrivePolicy as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined;
      const dlq = redrive ? referencedIds(redrive.deadLetterTargetArn)[0] : undefined;
      queues[id] = { name: r.name, url: r.url, arn: r.arn, ...(dlq ? { deadLetterQueue: dlq, maxReceiveCount: Number(redrive!.maxReceiveCount) } : {}) };
    }
    if (r.type === 'AWS::SNS::Topic') topics[id] = r.arn;
  }
  const alerts = Object.entries(topics).map(([topic, arn]) => ({
    topic,
    arn,
    queues: Object.values(provisioned)
      .filter((r) => r.subscription?.topicArn === arn && r.subscription.protocol === 'sqs')
      .map((r) => Object.values(queues).find((q) => q.arn === r.subscription!.endpoint)?.url ?? r.subscription!.endpoint),
    emails: parts.outboxes.filter((o) => o.subscription.topicArn === arn).map((o) => o.subscription.address),
  }));
  const secretList = Object.values(parts.secrets);
  const webhookSecret = (secretList.length === 1 ? secretList[0] : secretList.find((s) => /webhook/i.test(s.logicalId)))?.value;
  const firstApi = plan.apis[0];
  return {
    version: 1,
    stackName: parts.stackName,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    clock: parts.clock.state(),
    dataDir: parts.dataDir,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT,
    endpoints: { dynamodb: parts.endpoints.dynamodb, sqs: parts.endpoints.sqs, sns: parts.endpoints.sns },
    control: { url: parts.control.url, token: parts.control.token },
    ...(firstApi ? { apiUrl: apis[firstApi.logicalId]!.url } : {}),
    ...(parts.outputs.WebhookUrl ? { webhookUrl: parts.outputs.WebhookUrl } : {}),
    ...(webhookSecret ? { webhookSecret } : {}),
    apis,
    functionUrls: Object.fromEntries(plan.functionUrls.map((u) => [u.logicalId, { url: `${parts.urlListeners.get(u.logicalId)!.url}/`, function: u.functionLogicalId }])),
    functions,
    resources,
    tables,
    queues,
    topics,
    eventSourceMappings: Object.fromEntries(
      plan.mappings.map((m) => [
        m.logicalId,
        {
          function: m.functionLogicalId,
          queue: m.queueLogicalId,
          batchSize: m.spec.batchSize,
          batchingWindowSeconds: m.spec.maximumBatchingWindowSeconds,
          reportBatchItemFailures: m.spec.reportBatchItemFailures,
          enabled: m.spec.enabled,
        },
      ]),
    ),
    schedules: scheduleInfo(parts.rules, parts.firesSchedules, parts.clock),
    alerts,
    secrets: Object.fromEntries(secretList.map((s) => [s.logicalId, { arn: s.arn, value: s.value }])),
    outputs: parts.outputs,
    ...(parts.auth ? { auth: { issuer: parts.auth.issuer, jwksUrl: parts.auth.jwksUrl, tokens: parts.auth.tokens } } : {}),
  };
}

function scheduleInfo(rules: ScheduleSpec[], firesSchedules: boolean, clock: LocalClock): LocalStackInfo['schedules'] {
  return Object.fromEntries(
    rules.map((r) => {
      const firing = firesSchedules && r.enabled;
      return [
        r.logicalId,
        {
          name: r.name,
          expression: r.expression,
          enabled: r.enabled,
          firing,
          next: firing ? nextFirings(r.expression, 3, new Date(clock.nowMs())).map((d) => d.toISOString()) : [],
          targets: r.targets.map((t) => (t.kind === 'lambda' ? t.functionLogicalId : t.kind === 'sqs' ? t.queueUrl : t.topicArn)),
        },
      ];
    }),
  );
}

/** The clock asked for, else the one kept in the data dir by the last run, else the wall clock. */
function startingClock(asked: string | number | undefined, dataDir: string, standsStill: boolean): LocalClock {
  if (asked === undefined) {
    if (standsStill) throw new InvalidClockTarget('a clock that stands still needs an instant to stand at');
    return LocalClock.fromOffset(savedClockOffset(dataDir) ?? 0);
  }
  if (typeof asked === 'string' && asked.trim().startsWith('+')) throw new InvalidClockTarget(`--clock ${asked}: give an instant, e.g. 2026-05-01T09:00:00+01:00`);
  const ms = typeof asked === 'number' ? asked : parseClockTarget(asked, Date.now());
  return standsStill ? LocalClock.standingAt(ms) : new LocalClock(ms);
}

// ---------------------------------------------------------------------------------------------
// The control endpoint: what the CLIs call on a running stack

interface Control {
  url: string;
  token: string;
  setHandler(handler: (method: string, path: string, query: URLSearchParams, body: string) => Promise<{ status: number; body: unknown }>): void;
  close(): Promise<void>;
}

async function startControl(port: number): Promise<Control> {
  const token = randomBytes(24).toString('base64url');
  let handler: Parameters<Control['setHandler']>[0] | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const reply = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(JSON.stringify(body));
      };
      if (url.pathname.startsWith('/not-emulated')) {
        // An SDK call to a service with no emulator: say so in the shape AWS JSON-protocol clients read.
        const target = String(req.headers['x-amz-target'] ?? req.headers['authorization'] ?? 'unknown');
        const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(target)?.[1] ?? target.split('.')[0];
        return reply(501, { __type: 'NotEmulatedLocally', message: `${service ?? 'This AWS service'} is not emulated by the local stack (only DynamoDB, SQS and SNS)` }, 'application/x-amz-json-1.1');
      }
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { message: 'missing or wrong control token (see stack.json)' });
      if (!handler) return reply(503, { message: 'starting' });
      try {
        const answer = await handler(req.method ?? 'GET', url.pathname, url.searchParams, Buffer.concat(chunks).toString('utf8'));
        reply(answer.status, answer.body);
      } catch (error) {
        reply(error instanceof NotFound ? 404 : 500, { message: (error as Error).message });
      }
    })();
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolvePromise());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${address.port}`,
    token,
    setHandler: (h) => (handler = h),
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

function controlHandler(stack: LocalStack): Parameters<Control['setHandler']>[0] {
  return async (method, path, query, body) => {
    const [, action, name] = path.split('/').map(decodeURIComponent);
    if (method === 'GET' && action === 'info') return { status: 200, body: stack.info };
    if (method === 'GET' && action === 'clock') return { status: 200, body: stack.clock.state() };
    if (method === 'POST' && action === 'clock') {
      const asked = (body.trim() === '' ? {} : JSON.parse(body)) as { to?: unknown; by?: unknown };
      const to = typeof asked.to === 'string' ? asked.to : typeof asked.by === 'string' ? (asked.by.startsWith('+') ? asked.by : `+${asked.by}`) : undefined;
      if (to === undefined) return { status: 400, body: { message: 'send {"to": "<instant>"} or {"by": "+7d"}' } };
      try {
        return { status: 200, body: await stack.moveClock(to) };
      } catch (error) {
        if (error instanceof InvalidClockTarget) return { status: 400, body: { message: error.message } };
        if (error instanceof ClockMoveRefused) return { status: 409, body: { message: error.message } };
        throw error;
      }
    }
    if (method === 'POST' && action === 'invoke' && name) {
      return { status: 200, body: await stack.invoke(name, body.trim() === '' ? {} : JSON.parse(body)) };
    }
    if (method === 'POST' && action === 'schedule' && name) {
      const at = query.get('at');
      const time = at ? new Date(at) : new Date(stack.clock.nowMs());
      if (Number.isNaN(time.getTime())) return { status: 400, body: { message: `--at ${at} is not an ISO time` } };
      return { status: 200, body: await stack.fireSchedule(name, time) };
    }
    return { status: 404, body: { message: `no ${method} ${path}` } };
  };
}
