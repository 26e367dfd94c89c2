/**
 * What every infra test reads: the stack's one template, synthesized once per test run by the
 * global setup (bundle: false; synthesis runs cdk-nag and fails on any unacknowledged finding),
 * and small readers over it. A test that needs other context (an e-mail, a web ACL…) synthesizes
 * its own with `synthesizeWith`.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { synthesizeTemplate } from '#infra/synth';
import { stackTemplate } from '#tests/support/emulators';
import { PK_SK } from '#tests/support/pk-sk-keys';

export type Json = Record<string, any>;

/** Frozen all the way down: the infra files share one process (vitest.config.ts), so a test that sorted or changed part of it in place would change it for the files after. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export const template: Template = Template.fromJSON(stackTemplate());
deepFreeze(template.toJSON());
export const resources: Json = template.toJSON().Resources;
export const outputs: Json = template.toJSON().Outputs;

/** The template with CDK context, as `cdk synth -c key=value` would give it. */
export function synthesizeWith(context: Record<string, string>): Json {
  return synthesizeTemplate({ bundle: false, context });
}

/** A resource by logical id, failing the test if it is missing. */
export function resource(logicalId: string, from: Json = resources): Json {
  const found = from[logicalId];
  if (!found) throw new Error(`No resource ${logicalId} in the template`);
  return found;
}

/** [logical id, resource] of every resource of a type. */
export function resourcesOfType(type: string, from: Json = resources): [string, Json][] {
  return Object.entries(from).filter(([, r]) => r.Type === type);
}

export const keyArn = { 'Fn::GetAtt': ['EncryptionKey', 'Arn'] };
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
export const indexArn = (table: string, index: string) => ({ 'Fn::Join': ['', [arnOf(table), `/index/${index}`]] });
export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The logical id of a function's execution role. */
export function roleOf(functionId: string): string {
  return resource(functionId).Properties.Role['Fn::GetAtt'][0] as string;
}

/** The logical id of a function's log group. */
export function logGroupOf(functionId: string): string {
  return resource(functionId).Properties.LoggingConfig.LogGroup.Ref as string;
}

/** The function's environment variables. */
export function environmentOf(functionId: string): Json {
  return resource(functionId).Properties.Environment.Variables;
}

/** Every statement granted to a function's role: its inline policies and the IAM policies attached to it. */
export function statementsOf(functionId: string): Json[] {
  const roleId = roleOf(functionId);
  const inline = (resource(roleId).Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
  const attached = resourcesOfType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}

export interface Grant {
  effect: string;
  actions: string[];
  resources: unknown[];
}

/** A function's statements as grants, actions sorted: compare with {@link allow}. */
export function grantsOf(functionId: string): Grant[] {
  return statementsOf(functionId).map((s) => ({ effect: s.Effect, actions: [...asList(s.Action as string | string[])].sort(), resources: asList(s.Resource) }));
}

/** The grant of `actions` on `on`, as {@link grantsOf} lists it. */
export function allow(actions: string[], ...on: unknown[]): Grant {
  return { effect: 'Allow', actions: [...actions].sort(), resources: on };
}

/** The actions granted to a function on exactly `resourceValue` (one resource, or a list), in the order granted. */
export function actionsOn(functionId: string, resourceValue: unknown): string[] {
  const wanted = JSON.stringify(resourceValue);
  return statementsOf(functionId)
    .filter((s) => JSON.stringify(s.Resource) === wanted)
    .flatMap((s) => asList(s.Action as string | string[]));
}

/** [method, path part of its resource, properties] of every API Gateway method. */
export function apiRoutes(from: Json = resources): { method: string; pathPart: string; props: Json }[] {
  const pathParts = Object.fromEntries(resourcesOfType('AWS::ApiGateway::Resource', from).map(([id, r]) => [id, r.Properties.PathPart as string]));
  return resourcesOfType('AWS::ApiGateway::Method', from).map(([, m]) => ({
    method: m.Properties.HttpMethod,
    pathPart: pathParts[m.Properties.ResourceId.Ref] ?? '',
    props: m.Properties,
  }));
}

/** The source ARNs (as JSON) of the permissions that let API Gateway invoke one function. */
export function apiInvokeSources(functionId: string): string[] {
  return resourcesOfType('AWS::Lambda::Permission')
    .filter(([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com' && p.Properties.FunctionName['Fn::GetAtt'][0] === functionId)
    .map(([, p]) => JSON.stringify(p.Properties.SourceArn));
}

/** The key-schema part of a pk/sk table's numbered index, as `DataTable.keyedByPkSk` writes it. */
export function pkSkIndex(name: string, n: number): Json {
  return {
    IndexName: name,
    KeySchema: [
      { AttributeName: `gsi${n}pk`, KeyType: 'HASH' },
      { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  };
}

/** What every data table is: on demand, recoverable, CMK-encrypted, protected and retained. */
export const protectedTable = {
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    BillingMode: 'PAY_PER_REQUEST',
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    DeletionProtectionEnabled: true,
  },
  DeletionPolicy: 'Retain',
  UpdateReplacePolicy: 'Retain',
};

export { PK_SK };

/**
 * Asserts that a data table is protected like every table, keyed by pk/sk, with these numbered
 * indexes in order (gsi1…, see pkSkIndex), and returns its resource for what else a test checks.
 */
export function expectPkSkTable(logicalId: string, ...indexes: string[]): Json {
  const table = resource(logicalId);
  expect(table).toMatchObject(protectedTable);
  expect(table.Properties.KeySchema).toEqual(PK_SK);
  expect(table.Properties.GlobalSecondaryIndexes).toEqual(indexes.map((name, i) => pkSkIndex(name, i + 1)));
  return table;
}

/** What every function's environment says of itself: source maps on, and its Powertools service, namespace and log level. */
export const functionBasics = (service: string) => ({
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: service,
  POWERTOOLS_METRICS_NAMESPACE: 'CaredFor',
  POWERTOOLS_LOG_LEVEL: 'INFO',
});

/**
 * Asserts that `functionId` consumes `queueId` through its event source mapping with exactly these
 * settings (batch size, concurrency, batching window), reporting partial batch failures.
 */
export function expectQueueConsumer(functionId: string, queueId: string, settings: Json): void {
  expect(resource(`${functionId}From${queueId}`).Properties).toEqual({
    FunctionName: { Ref: functionId },
    EventSourceArn: arnOf(queueId),
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    ...settings,
  });
}
