/**
 * The local stack: the synthesized template deployed to the embedded emulators and run with Lambda
 * semantics, all on 127.0.0.1. Everything comes from the template (tables, queues, topics,
 * functions, event source mappings, REST API routes, Function URLs, schedules); a resource it
 * cannot run stops it before anything starts.
 *
 *   const { info, stop } = await startLocalStack({ dataDir: '.local', ports: { api: 3000 } });
 *
 * `npm start` (start.ts) is this plus printing; the CLIs (cli/) talk to a running stack through
 * `<dataDir>/stack.json` (stack-info.ts) and its control endpoint (control-endpoint.ts). This file
 * is the orchestration only: which part starts in which order, and what stops in which order.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#lib/config';
import { ensureSynthesized, readAssembly, type Assembly } from './assembly';
import { AsyncInvoker } from './async-invoke';
import { startLocalAuth } from './auth';
import { controlHandler, NotFound, startControl } from './control-endpoint';
import { startOutbox, type Outbox } from './email-outbox';
import type { DynamoDbLocal } from './dynamodb-local';
import { emulatorClientsAt, type sqsClient, type snsClient, startEmulators, type EmulatorEndpoints } from './emulators';
import { SqsPoller, waitUntilDrained, type BatchOutcome } from './event-source-mapping';
import { endpointHandler, listen, localApiId, type Endpoint, type HttpListener } from './http-gateway';
import { LocalFunction, type InvokeResult } from './lambda-runtime';
import { parseClockTarget, saveClock, startingClock, type LocalClock } from './local-clock';
import { functionEnvironment, localOutputs, localResolveContext, readPlan, scheduleOf, type Plan } from './plan';
import { provisionTemplate, type ProvisionedResources } from './provision';
import { fireRule, scheduledEvent, ScheduleDelivery, type ScheduleFiring, type ScheduleSpec } from './schedules';
import { loadLocalSecrets } from './secrets';
import { startSesLocal, templateSendsEmail } from './ses-local';
import { assertNotRunning, DEFAULT_DATA_DIR, describeStack, removeStackInfo, scheduleInfo, writeStackInfo, type LocalStackInfo } from './stack-info';
import { PhaseTimings } from './phase-timings';
import { shortName, type CfnTemplate } from './template';
import { TtlSweeper } from './ttl-sweeper';
import { startWebhookSink } from './webhook-sink';

export { DEFAULT_DATA_DIR, readLocalStackInfo, STACK_INFO_FILE, type LocalStackInfo } from './stack-info';
export type { ScheduleFiring } from './schedules';

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
  /**
   * DynamoDB Local already starting on `dataDir` (`npm start` starts it before the runner's modules load,
   * as it takes longest; `fresh` is then the caller's to have done): stopped with the stack, or if the start fails.
   */
  dynamodbLocal?: Promise<DynamoDbLocal>;
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
  /** Log how long each phase of the start took (`npm start -- --timings`). @default false */
  timings?: boolean;
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

/** Stop steps, run in the reverse of the order they were added, each whatever the others do. */
class Shutdown {
  private readonly steps: Array<() => Promise<void>> = [];
  constructor(private readonly log: (line: string) => void) {}
  /** Runs before every step added earlier: what started last stops first. */
  add(step: () => Promise<void> | void): void {
    this.steps.push(async () => step());
  }
  /** Runs after every other step. */
  last(step: () => Promise<void> | void): void {
    this.steps.unshift(async () => step());
  }
  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step().catch((error: unknown) => this.log(`stopping: ${(error as Error).message}`));
  }
}

export async function startLocalStack(options: StartLocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((source: string, line: string) => console.log(`[${source}] ${line}`));
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const ports: LocalStackPorts = typeof options.ports === 'number' ? { api: options.ports } : (options.ports ?? {});
  const writeInfo = options.writeInfo ?? true;

  const timings = new PhaseTimings();
  const checked = (assembly: Assembly) => ({ assembly, plan: readPlan(assembly.template, assembly, options.prefix ?? assembly.stackName) });
  let clock: LocalClock;
  let given: ReturnType<typeof checked> | undefined;
  try {
    if (writeInfo) assertNotRunning(dataDir);
    if (options.fresh) rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    clock = startingClock(options.clock, dataDir, options.clockStandsStill ?? false);
    if (writeInfo) saveClock(dataDir, clock);
    // Everything the template asks for is checked before anything starts: at once for a given assembly.
    given = options.cdkOut ? checked(readAssembly(resolve(options.cdkOut))) : undefined;
  } catch (error) {
    await options.dynamodbLocal?.then((d) => d.stop()).catch(() => undefined);
    throw error;
  }

  const shutdown = new Shutdown((line) => log('runner', line));
  try {
    // The emulators (DynamoDB Local's JVM above all) boot while the app is synthesized, or found up to date.
    const emulatorsStarting = options.emulators ? Promise.resolve(options.emulators) : timings.time('emulators', () => ownEmulators(dataDir, ports, shutdown, options.dynamodbLocal));
    emulatorsStarting.catch(() => undefined); // awaited below; a synthesis that throws first must not leave it unhandled
    let assembly: Assembly;
    let plan: Plan;
    try {
      ({ assembly, plan } =
        given ??
        checked(
          await timings.time('synth (or up to date)', () =>
            ensureSynthesized({ ...(options.context ? { context: options.context } : {}), log: (line) => log('runner', line), timings }),
          ),
        ));
    } finally {
      // Whatever synthesis did, the emulators are in the shutdown's hands once started (a failed synthesis stops them).
      await emulatorsStarting.catch(() => undefined);
    }
    const { template, stackName } = assembly;
    const prefix = options.prefix ?? stackName;
    const endpoints = await emulatorsStarting;
    const clients = emulatorClientsAt(endpoints);
    shutdown.add(() => {
      clients.dynamodb.destroy();
      clients.sqs.destroy();
      clients.sns.destroy();
    });

    const provisioned = await timings.time('provision', () => provisionTemplate(template, clients, { prefix }));
    const ttlTables = Object.values(provisioned.resources).flatMap((r) => (r.ttl ? [{ name: r.name, ...r.ttl }] : []));
    const sweeper = new TtlSweeper(DynamoDBDocumentClient.from(clients.dynamodb), ttlTables, clock, (line) => log('runner', line));
    shutdown.add(() => sweeper.stop());
    const secrets = await timings.time('secrets', () => loadLocalSecrets(dataDir, prefix, plan.secretIds));

    // Listeners first: their URLs go into the functions' environments and the outputs.
    const functions = new Map<string, LocalFunction>();
    const control = await startControl(ports.control ?? 0);
    shutdown.add(() => control.close());
    const listeners = await timings.time('listeners', () => startListeners(plan, ports.api ?? 0, functions, clock, shutdown));
    const ctx = localResolveContext(template, stackName, prefix, provisioned.resources, secrets, plan, listeners.apis, listeners.urls);

    const outbound = await timings.time('outbound (SES, webhook sink)', () => startOutbound(template, ports.ses ?? 0, log, shutdown));
    const baseEnvironment = {
      ...outbound.environment,
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
    shutdown.add(async () => {
      await Promise.all(pollers.map((p) => p.drained()));
    });
    const environments = plan.functions.map((f) => functionEnvironment(f, ctx, secrets));
    const auth = await timings.time('auth', () => startLocalAuth(environments, dataDir, clock));
    if (auth) shutdown.add(() => auth.stop());
    for (const [i, f] of plan.functions.entries()) {
      const environment = auth ? auth.configure(environments[i]!) : environments[i]!;
      functions.set(f.logicalId, new LocalFunction({ ...f.spec, environment }, { baseEnvironment, clock, log: (s, line) => log(s.shortName, line) }));
    }
    shutdown.add(async () => {
      await Promise.all([...functions.values()].map((fn) => fn.stop()));
    });
    pollers.push(...mappingPollers(plan, provisioned, functions, { sqs: clients.sqs, clock, log, ...(options.onBatch ? { onBatch: options.onBatch } : {}) }));

    const rules = plan.rules.map((r) => scheduleOf(r, ctx, provisioned.resources));
    const schedules = startSchedules({ plan, rules, functions, provisioned, clients, clock, log, firesSchedules: options.schedules ?? true, shutdown });

    // E-mail subscriptions: printed, never sent.
    const outboxes: Outbox[] = [];
    for (const sub of plan.emailSubscriptions) {
      const topic = provisioned.resources[sub.topicLogicalId];
      if (topic) outboxes.push(await startOutbox({ ...sub, topicArn: topic.arn }, clients, prefix, log));
    }
    shutdown.add(async () => {
      await Promise.all(outboxes.map((o) => o.stop()));
    });

    const info = describeStack({
      auth,
      stackName,
      dataDir,
      endpoints,
      control,
      plan,
      provisioned: provisioned.resources,
      functions,
      apiListeners: listeners.apis,
      urlListeners: listeners.urls,
      rules,
      secrets,
      outputs: localOutputs(template, ctx),
      outboxes,
      template,
      clock,
      firesSchedules: schedules.fires,
    });
    if (outbound.ses) info.ses = outbound.ses;
    if (outbound.webhookSink) info.webhookSink = outbound.webhookSink;

    const stack: LocalStack = {
      info,
      functions,
      clock,
      invoke: (name, event) => findFunction(functions, name).invoke(event),
      fireSchedule: (name, at = new Date(clock.nowMs())) => schedules.fire(findRule(rules, name), at, false),
      moveClock: async (to) => {
        const move = await moveClockThroughSchedules(clock, to, schedules.delivery, () =>
          waitUntilDrained(pollers, clients.sqs, schedules.isStopping, (line) => log('runner', line)),
        );
        if (writeInfo) saveClock(dataDir, clock);
        await sweeper.sweep();
        const tokens = await auth?.reissue();
        info.clock = clock.state();
        info.schedules = scheduleInfo(rules, schedules.fires, clock);
        if (writeInfo) writeStackInfo(dataDir, info);
        const { fired } = move;
        log('runner', `the clock moved from ${move.from} to ${move.to}${fired.length > 0 ? `, firing ${fired.map((f) => `${f.rule} at ${f.time}`).join(', ')}` : ''}`);
        return { ...move, ...(tokens ? { tokens } : {}) };
      },
      stop: () => shutdown.run(),
    };
    control.setHandler(controlHandler(stack));

    // Go: pollers, schedules, listeners.
    shutdown.add(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });
    pollers.forEach((p) => p.start());
    schedules.delivery.start();
    sweeper.start();
    listeners.open();

    if (writeInfo) {
      writeStackInfo(dataDir, info);
      shutdown.last(() => removeStackInfo(dataDir));
    }
    if (options.timings) for (const line of timings.lines()) log('runner', `timing ${line}`);
    return stack;
  } catch (error) {
    await shutdown.run();
    throw error;
  }
}

/** DynamoDB Local and fauxqs of this stack's own, keeping their data in the data dir. */
async function ownEmulators(dataDir: string, ports: LocalStackPorts, shutdown: Shutdown, dynamodb?: Promise<DynamoDbLocal>): Promise<EmulatorEndpoints> {
  const emulators = await startEmulators({
    dataDir,
    ...(dynamodb ? { dynamodb } : {}),
    ...(ports.dynamodb !== undefined ? { dynamodbPort: ports.dynamodb } : {}),
    ...(ports.sqs !== undefined ? { sqsPort: ports.sqs } : {}),
  });
  shutdown.add(() => emulators.stop());
  return emulators.endpoints;
}

/** Moves the clock forward, stopping at every schedule firing on the way to deliver it and let what it queued drain (`settle`). */
async function moveClockThroughSchedules(
  clock: LocalClock,
  to: string | number,
  delivery: ScheduleDelivery<ScheduleFiring>,
  settle: () => Promise<void>,
): Promise<ClockMove> {
  const from = clock.state().now;
  const target = typeof to === 'number' ? to : parseClockTarget(to, clock.nowMs());
  if (target < clock.nowMs()) clock.moveTo(target); // refused, with the reason
  const fired = (await delivery.advance(target, (ms) => clock.moveTo(ms), settle)).map(
    (d): ScheduleFiring => d.result ?? { rule: d.firing.rule.logicalId, time: scheduledEvent(d.firing.rule, d.firing.at).time, targets: [], error: d.error },
  );
  return { from, to: clock.state().now, fired };
}

/** E-mail and outbound webhooks stay on this machine: SES is emulated, webhooks go to a local sink. */
async function startOutbound(
  template: CfnTemplate,
  sesPort: number,
  log: (source: string, line: string) => void,
  shutdown: Shutdown,
): Promise<{ environment: Record<string, string>; ses?: { url: string }; webhookSink?: { url: string } }> {
  if (!templateSendsEmail(template)) return { environment: {} };
  const mail = await startSesLocal(sesPort);
  shutdown.add(() => mail.stop());
  const sink = await startWebhookSink((line) => log('webhook-sink', line));
  shutdown.add(() => sink.stop());
  return {
    environment: { AWS_ENDPOINT_URL_SESV2: mail.url, AWS_ENDPOINT_URL_SES: mail.url, [ENV.webhookBaseUrlOverride]: sink.url },
    ses: { url: mail.url },
    webhookSink: { url: sink.url },
  };
}

/** A poller per event source mapping, handing its queue's batches to its function (started later). */
function mappingPollers(
  plan: Plan,
  provisioned: ProvisionedResources,
  functions: ReadonlyMap<string, LocalFunction>,
  options: { sqs: ReturnType<typeof sqsClient>; clock: LocalClock; log: (source: string, line: string) => void; onBatch?: (mappingLogicalId: string, outcome: BatchOutcome) => void },
): SqsPoller[] {
  return plan.mappings.map((m) => {
    const queue = provisioned.resources[m.queueLogicalId]!;
    const fn = functions.get(m.functionLogicalId)!;
    return new SqsPoller({ ...m.spec, queue: { logicalId: m.queueLogicalId, url: queue.url!, arn: queue.arn } }, fn, {
      sqs: options.sqs,
      log: (line) => options.log(fn.spec.shortName, line),
      onBatch: (outcome) => options.onBatch?.(m.logicalId, outcome),
      clock: options.clock,
    });
  });
}

/** The REST APIs' and Function URLs' listeners, listening at once (their URLs are needed) but answering 503 until `open()`. */
async function startListeners(
  plan: Plan,
  apiPort: number,
  functions: ReadonlyMap<string, LocalFunction>,
  clock: LocalClock,
  shutdown: Shutdown,
): Promise<{ apis: Map<string, HttpListener>; urls: Map<string, HttpListener>; open(): void }> {
  let ready = false;
  const invoke = async (logicalId: string, event: unknown): Promise<InvokeResult> => {
    const fn = functions.get(logicalId);
    if (!fn) throw new Error(`no function ${logicalId}`);
    return fn.invoke(event);
  };
  const serve = async (port: number, endpoint: Endpoint): Promise<HttpListener> => {
    const listener = await listen(port, endpointHandler(() => (ready ? endpoint : undefined), invoke, clock));
    shutdown.add(() => listener.close());
    return listener;
  };
  const apis = new Map<string, HttpListener>();
  for (const [i, api] of plan.apis.entries()) apis.set(api.logicalId, await serve(i === 0 ? apiPort : 0, { kind: 'rest-api', api }));
  const urls = new Map<string, HttpListener>();
  for (const url of plan.functionUrls) {
    urls.set(url.logicalId, await serve(0, { kind: 'function-url', urlId: localApiId(url.logicalId), functionLogicalId: url.functionLogicalId }));
  }
  return { apis, urls, open: () => (ready = true) };
}

/** The schedules: fired as the clock passes their times (unless `firesSchedules` is false), their functions invoked as EventBridge invokes Lambda. */
function startSchedules(parts: {
  plan: Plan;
  rules: ScheduleSpec[];
  functions: ReadonlyMap<string, LocalFunction>;
  provisioned: ProvisionedResources;
  clients: { sqs: ReturnType<typeof sqsClient>; sns: ReturnType<typeof snsClient> };
  clock: LocalClock;
  log: (source: string, line: string) => void;
  firesSchedules: boolean;
  shutdown: Shutdown;
}) {
  const { rules, functions, clients, clock, log } = parts;
  const invoker = new AsyncInvoker({
    configs: parts.plan.asyncInvoke,
    queueUrl: (logicalId) => parts.provisioned.resources[logicalId]?.url,
    sqs: clients.sqs,
    clock,
    log,
  });
  const targets = { ...clients, invokeAsync: (functionLogicalId: string, payload: unknown, retries: boolean) => invoker.invoke(functions.get(functionLogicalId)!, payload, retries) };
  const fire = (rule: ScheduleSpec, at: Date, retries: boolean): Promise<ScheduleFiring> => {
    log('runner', `schedule ${rule.logicalId} fires for ${scheduledEvent(rule, at).time}`);
    return fireRule(rule, at, targets, retries);
  };
  const delivery = new ScheduleDelivery(
    parts.firesSchedules ? rules.filter((r) => r.enabled) : [],
    clock,
    ({ rule, at }) => fire(rule, at, true),
    (line) => log('runner', line),
  );
  let stopping = false;
  parts.shutdown.add(() => {
    stopping = true;
    invoker.stop();
    delivery.stop();
  });
  return { delivery, fire, fires: parts.firesSchedules, isStopping: () => stopping };
}

function findFunction(functions: ReadonlyMap<string, LocalFunction>, name: string): LocalFunction {
  const fn =
    functions.get(name) ??
    [...functions.values()].find((f) => [f.spec.shortName, f.spec.name].includes(name) || f.spec.logicalId.toLowerCase() === name.toLowerCase());
  if (!fn) throw new NotFound(`No function ${name}: the stack has ${[...functions.values()].map((f) => `${f.spec.shortName} (${f.spec.logicalId})`).join(', ') || 'none'}`);
  return fn;
}

function findRule(rules: readonly ScheduleSpec[], name: string): ScheduleSpec {
  const rule = rules.find((r) => [r.logicalId, r.name, shortName(r.logicalId)].includes(name) || r.logicalId.toLowerCase() === name.toLowerCase());
  if (!rule) throw new NotFound(`No schedule ${name}: the stack has ${rules.map((r) => `${shortName(r.logicalId)} (${r.logicalId})`).join(', ') || 'none'}`);
  return rule;
}
