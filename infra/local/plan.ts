/**
 * The plan: what the synthesized template asks the local stack to run (functions with their code,
 * event source mappings, REST APIs, Function URLs, schedules, e-mail subscriptions, secrets, async
 * invoke configs), read and checked before anything starts, and what its intrinsics resolve to once
 * the resources exist and the listeners have their addresses.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Assembly } from './assembly';
import { readAsyncInvokeConfigs, type AsyncInvokeConfig } from './async-invoke';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './constants';
import type { EmailSubscription } from './email-outbox';
import type { SqsMappingSpec } from './event-source-mapping';
import { readRestApis, type HttpListener, type RestApiSpec } from './http-gateway';
import { DEFAULT_CONCURRENCY, type FunctionSpec } from './lambda-runtime';
import { localName, provisionedValues, type ProvisionedResource } from './provision';
import { parseScheduleExpression, type ScheduleSpec, type ScheduleTarget } from './schedules';
import { withLocalSecrets, type LocalSecret } from './secrets';
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

export interface PlannedFunction {
  logicalId: string;
  properties: Record<string, unknown>;
  spec: Omit<FunctionSpec, 'environment'>;
}

export interface Plan {
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

/**
 * What the template asks the local stack to run, each part checked: a resource it cannot run stops
 * the start with an UnsupportedResourceError naming it, before anything starts.
 */
export function readPlan(template: CfnTemplate, assembly: Assembly, prefix: string): Plan {
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

/** What Ref and Fn::GetAtt give on the local stack: provisioned resources, functions, secrets, the local APIs' and Function URLs' addresses, rules. */
export function localResolveContext(
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

/** A rule of the plan as the schedule delivery fires it: its targets resolved to local functions, queues and topics. */
export function scheduleOf(rule: Plan['rules'][number], ctx: ResolveContext, provisioned: Record<string, ProvisionedResource>): ScheduleSpec {
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

/** A function's environment variables from the template, resolved to the local stack, with its local secrets. */
export function functionEnvironment(f: PlannedFunction, ctx: ResolveContext, secrets: Record<string, LocalSecret>): Record<string, string> {
  const variables = (f.properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = resolveString(value, ctx, `${f.logicalId}.Environment.Variables.${name}`);
  }
  return withLocalSecrets(f.logicalId, environment, secrets);
}

/** The template's outputs, made local; an output naming something with no local counterpart is left out. */
export function localOutputs(template: CfnTemplate, ctx: ResolveContext): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    try {
      outputs[name] = resolveString(output.Value, ctx, `Outputs.${name}`);
    } catch {
      // not run locally
    }
  }
  return outputs;
}
