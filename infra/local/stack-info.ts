/**
 * What a running local stack says of itself: `<dataDir>/stack.json`, read by the CLIs (cli/) and
 * tools of your own, and served by the control endpoint as `GET /info`. Written when the stack is
 * up, again whenever its clock moves, and removed when it stops.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { startLocalAuth } from './auth';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './constants';
import { DEFAULT_DATA_DIR, isAlive, STACK_INFO_FILE } from './data-dir';
import type { Outbox } from './email-outbox';
import type { EmulatorEndpoints } from './emulators';
import { listRoutes, type HttpListener } from './http-gateway';
import type { LocalFunction } from './lambda-runtime';
import type { ClockState, LocalClock } from './local-clock';
import type { Plan } from './plan';
import type { ProvisionedResource } from './provision';
import { nextFirings, type ScheduleSpec } from './schedules';
import type { LocalSecret } from './secrets';
import { referencedIds, type CfnTemplate } from './template';

export { assertNotRunning, DEFAULT_DATA_DIR, STACK_INFO_FILE } from './data-dir';

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

/** What the running stack is, for stack.json, the banner and the control endpoint's `GET /info`. */
export function describeStack(parts: {
  auth: Awaited<ReturnType<typeof startLocalAuth>>;
  stackName: string;
  dataDir: string;
  endpoints: EmulatorEndpoints;
  control: { url: string; token: string };
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

export function scheduleInfo(rules: ScheduleSpec[], firesSchedules: boolean, clock: LocalClock): LocalStackInfo['schedules'] {
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

/** Writes `<dataDir>/stack.json` (readable by its owner only: it holds the local secrets and tokens). */
export function writeStackInfo(dataDir: string, info: LocalStackInfo): void {
  writeFileSync(join(dataDir, STACK_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

/** Removes `<dataDir>/stack.json` if this process wrote it: a stack started later on the same data dir has its own. */
export function removeStackInfo(dataDir: string): void {
  const file = join(dataDir, STACK_INFO_FILE);
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as LocalStackInfo).pid === process.pid) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}
