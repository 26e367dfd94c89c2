/**
 * Creates, on the embedded emulators, the tables, queues, topics and subscriptions a synthesized
 * CloudFormation template declares, so the local system is the same stack that deploys.
 *
 * Reads only the parts of the template the emulators need (zod schemas below). Every resource gets
 * the local name `${prefix}-${logicalId}` unless the template names it literally. Idempotent:
 * existing resources (a persisted data dir) are kept and brought in line where that is cheap
 * (missing GSIs, TTL, queue attributes). Resource types it does not handle are listed in `skipped`.
 */
import { createHash } from 'node:crypto';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { LOCAL_ACCOUNT } from './constants';
import { referencedIds, resolveString, type LocalValues, type ResolveContext } from './template';

// ---------------------------------------------------------------------------------------------
// The parts of a template that are read

const intOrString = z.union([z.number(), z.string()]).transform(Number);
const boolOrString = z.union([z.boolean(), z.string()]).transform((v) => v === true || v === 'true');

const keySchema = z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) }));
const projection = z
  .object({
    ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional(),
    NonKeyAttributes: z.array(z.string()).optional(),
  })
  .optional();

/** AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable (CDK TableV2) share these properties. */
const tableProperties = z.object({
  TableName: z.unknown().optional(),
  KeySchema: keySchema,
  AttributeDefinitions: z.array(z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) })),
  GlobalSecondaryIndexes: z.array(z.object({ IndexName: z.string(), KeySchema: keySchema, Projection: projection })).optional(),
  LocalSecondaryIndexes: z.array(z.object({ IndexName: z.string(), KeySchema: keySchema, Projection: projection })).optional(),
  TimeToLiveSpecification: z.object({ AttributeName: z.string().optional(), Enabled: boolOrString }).optional(),
});

const queueProperties = z.object({
  QueueName: z.unknown().optional(),
  FifoQueue: boolOrString.optional(),
  ContentBasedDeduplication: boolOrString.optional(),
  VisibilityTimeout: intOrString.optional(),
  MessageRetentionPeriod: intOrString.optional(),
  DelaySeconds: intOrString.optional(),
  ReceiveMessageWaitTimeSeconds: intOrString.optional(),
  MaximumMessageSize: intOrString.optional(),
  RedrivePolicy: z.object({ deadLetterTargetArn: z.unknown(), maxReceiveCount: intOrString }).optional(),
});

const topicProperties = z.object({
  TopicName: z.unknown().optional(),
  FifoTopic: boolOrString.optional(),
});

const subscriptionProperties = z.object({
  TopicArn: z.unknown(),
  Protocol: z.string(),
  Endpoint: z.unknown(),
  RawMessageDelivery: boolOrString.optional(),
  FilterPolicy: z.unknown().optional(),
  FilterPolicyScope: z.string().optional(),
});

export const templateSchema = z.object({
  Parameters: z.record(z.string(), z.object({ Default: z.unknown().optional() }).loose()).optional(),
  Resources: z.record(z.string(), z.object({ Type: z.string(), Properties: z.record(z.string(), z.unknown()).optional() }).loose()),
});
export type Template = z.input<typeof templateSchema>;
type ParsedTemplate = z.output<typeof templateSchema>;

// ---------------------------------------------------------------------------------------------
// What comes back

export type HandledType =
  | 'AWS::DynamoDB::Table'
  | 'AWS::DynamoDB::GlobalTable'
  | 'AWS::SQS::Queue'
  | 'AWS::SNS::Topic'
  | 'AWS::SNS::Subscription';

export interface ProvisionedResource {
  type: HandledType;
  /** Table, queue or topic name; for a subscription, its ARN. */
  name: string;
  arn: string;
  /** Queues only. */
  url?: string;
  /** Subscriptions only. E-mail subscriptions are recorded, never delivered. */
  subscription?: { topicArn: string; protocol: string; endpoint: string; delivered: boolean };
  /**
   * Tables with a TTL in the template: its attribute, and the table's key attributes. DynamoDB Local's
   * own TTL stays off, since it deletes by the wall clock while the items' times are the stack's; the
   * local stack expires them by its own clock (ttl-sweeper.ts).
   */
  ttl?: { attribute: string; keys: string[] };
}

export interface ProvisionedResources {
  /** By logical id. */
  resources: Record<string, ProvisionedResource>;
  /**
   * Resources this does not create, by logical id: other types (Lambda, IAM, KMS, alarms …) and SNS
   * subscriptions with protocols other than sqs, email and email-json.
   */
  skipped: Array<{ logicalId: string; type: string }>;
}

export interface ProvisionClients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
}

export interface ProvisionOptions {
  /** Local names are `${prefix}-${logicalId}`; a unique prefix keeps parallel test files apart. */
  prefix: string;
}

const TABLE_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']);
const SUBSCRIPTION_PROTOCOLS = new Set(['sqs', 'email', 'email-json']);

export async function provisionTemplate(
  /** A CloudFormation template as JSON (e.g. the synthesized stack). */
  template: unknown,
  clients: ProvisionClients,
  options: ProvisionOptions,
): Promise<ProvisionedResources> {
  const parsed = templateSchema.parse(template);
  const entries = Object.entries(parsed.Resources);
  const resources: Record<string, ProvisionedResource> = {};
  const skipped: ProvisionedResources['skipped'] = [];
  const ctx: Context = { template: parsed, resources, clients, prefix: options.prefix, queues: new Map() };

  const tables = entries.filter(([, r]) => TABLE_TYPES.has(r.Type));
  const queues = entries.filter(([, r]) => r.Type === 'AWS::SQS::Queue');
  const topics = entries.filter(([, r]) => r.Type === 'AWS::SNS::Topic');
  // SQS subscriptions are delivered, e-mail ones recorded; others (Lambda, HTTPS …) are the runner's.
  const subscriptions = entries.filter(
    ([, r]) => r.Type === 'AWS::SNS::Subscription' && SUBSCRIPTION_PROTOCOLS.has(String((r.Properties as { Protocol?: unknown })?.Protocol)),
  );
  const handled = new Set([...tables, ...queues, ...topics, ...subscriptions].map(([id]) => id));
  for (const [logicalId, r] of entries) if (!handled.has(logicalId)) skipped.push({ logicalId, type: r.Type });

  await Promise.all([
    ...tables.map(([id, r]) => provisionTable(ctx, id, r.Type as HandledType, r.Properties)),
    ...queues.map(([id]) => provisionQueue(ctx, id)),
    ...topics.map(([id, r]) => provisionTopic(ctx, id, r.Properties)),
  ]);
  // After the topics and queues they name.
  await Promise.all(subscriptions.map(([id, r]) => provisionSubscription(ctx, id, r.Properties)));

  return { resources, skipped };
}

interface Context {
  template: ParsedTemplate;
  resources: Record<string, ProvisionedResource>;
  clients: ProvisionClients;
  prefix: string;
  /** Queue creations in flight, so a DLQ is created once and before the queues that point at it. */
  queues: Map<string, Promise<ProvisionedResource>>;
}

// ---------------------------------------------------------------------------------------------
// Tables

async function provisionTable(ctx: Context, logicalId: string, type: HandledType, properties: unknown): Promise<void> {
  const props = parseProperties(tableProperties, logicalId, type, properties);
  const name = literalName(props.TableName) ?? localName(ctx.prefix, logicalId, 255);
  const indexes = (props.GlobalSecondaryIndexes ?? []).map(
    (gsi): GlobalSecondaryIndex => ({ IndexName: gsi.IndexName, KeySchema: gsi.KeySchema, Projection: gsiProjection(gsi.Projection) }),
  );
  const { dynamodb } = ctx.clients;

  let table: TableDescription | undefined;
  try {
    const created = await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: props.KeySchema,
        AttributeDefinitions: props.AttributeDefinitions,
        ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
        ...(props.LocalSecondaryIndexes?.length
          ? {
              LocalSecondaryIndexes: props.LocalSecondaryIndexes.map((lsi) => ({
                IndexName: lsi.IndexName,
                KeySchema: lsi.KeySchema,
                Projection: gsiProjection(lsi.Projection),
              })),
            }
          : {}),
      }),
    );
    table = created.TableDescription;
  } catch (error) {
    if (errorName(error) !== 'ResourceInUseException') throw error;
    table = (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
    // Persisted table from an older template: add the indexes it lacks (one per update, as AWS requires).
    const existing = new Set((table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const gsi of indexes.filter((i) => !existing.has(i.IndexName))) {
      await dynamodb.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: props.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: gsi }],
        }),
      );
    }
  }

  // A table kept from a run that still let DynamoDB Local expire items by the wall clock.
  const current = (await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription;
  if (current?.TimeToLiveStatus === 'ENABLED' && current.AttributeName) {
    await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: current.AttributeName, Enabled: false } }));
  }
  const ttl = props.TimeToLiveSpecification;
  ctx.resources[logicalId] = {
    type,
    name,
    arn: table?.TableArn ?? `arn:aws:dynamodb:ddblocal:${LOCAL_ACCOUNT}:table/${name}`,
    ...(ttl?.Enabled && ttl.AttributeName ? { ttl: { attribute: ttl.AttributeName, keys: props.KeySchema.map((k) => k.AttributeName) } } : {}),
  };
}

function gsiProjection(p: z.output<typeof projection>): GlobalSecondaryIndex['Projection'] {
  return {
    ProjectionType: p?.ProjectionType ?? 'ALL',
    ...(p?.NonKeyAttributes ? { NonKeyAttributes: p.NonKeyAttributes } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Queues

function provisionQueue(ctx: Context, logicalId: string): Promise<ProvisionedResource> {
  let pending = ctx.queues.get(logicalId);
  if (!pending) {
    pending = createQueue(ctx, logicalId);
    ctx.queues.set(logicalId, pending);
  }
  return pending;
}

async function createQueue(ctx: Context, logicalId: string): Promise<ProvisionedResource> {
  const resource = ctx.template.Resources[logicalId];
  if (resource?.Type !== 'AWS::SQS::Queue') throw new Error(`${logicalId} is not an AWS::SQS::Queue in the template`);
  const props = parseProperties(queueProperties, logicalId, resource.Type, resource.Properties);
  const fifo = props.FifoQueue === true;
  const name = literalName(props.QueueName) ?? localName(ctx.prefix, logicalId, 80, fifo ? '.fifo' : '');

  const attributes: Record<string, string> = {};
  const set = (key: string, v: number | boolean | undefined) => {
    if (v !== undefined) attributes[key] = String(v);
  };
  set('VisibilityTimeout', props.VisibilityTimeout);
  set('MessageRetentionPeriod', props.MessageRetentionPeriod);
  set('DelaySeconds', props.DelaySeconds);
  set('ReceiveMessageWaitTimeSeconds', props.ReceiveMessageWaitTimeSeconds);
  set('MaximumMessageSize', props.MaximumMessageSize);
  if (fifo) set('FifoQueue', true);
  if (fifo) set('ContentBasedDeduplication', props.ContentBasedDeduplication);
  if (props.RedrivePolicy) {
    const target = props.RedrivePolicy.deadLetterTargetArn;
    // The DLQ first: its local ARN goes into this queue's redrive policy.
    const dlq = referencedIds(target).find((id) => ctx.template.Resources[id]?.Type === 'AWS::SQS::Queue');
    if (dlq) await provisionQueue(ctx, dlq);
    const deadLetterTargetArn = resolveString(target, resolveContextOf(ctx), `${logicalId}.RedrivePolicy.deadLetterTargetArn`);
    attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn, maxReceiveCount: props.RedrivePolicy.maxReceiveCount });
  }

  const { sqs } = ctx.clients;
  let url: string | undefined;
  try {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
  } catch (error) {
    // Exists with other attributes (persisted data, template changed): bring it in line.
    // (AWS.SimpleQueueService.QueueNameExists, or QueueAlreadyExists in newer SDK models.)
    if (!/Queue(NameExists|AlreadyExists)$/.test(errorName(error))) throw error;
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  }
  if (!url) throw new Error(`CreateQueue ${name} returned no URL`);
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  if (!queueArn) throw new Error(`Queue ${name} has no QueueArn`);

  const provisioned: ProvisionedResource = { type: 'AWS::SQS::Queue', name, arn: queueArn, url };
  ctx.resources[logicalId] = provisioned;
  return provisioned;
}

// ---------------------------------------------------------------------------------------------
// Topics and subscriptions

async function provisionTopic(ctx: Context, logicalId: string, properties: unknown): Promise<void> {
  const props = parseProperties(topicProperties, logicalId, 'AWS::SNS::Topic', properties);
  const fifo = props.FifoTopic === true;
  const name = literalName(props.TopicName) ?? localName(ctx.prefix, logicalId, 256, fifo ? '.fifo' : '');
  const created = await ctx.clients.sns.send(
    new CreateTopicCommand({ Name: name, ...(fifo ? { Attributes: { FifoTopic: 'true' } } : {}) }),
  );
  if (!created.TopicArn) throw new Error(`CreateTopic ${name} returned no ARN`);
  ctx.resources[logicalId] = { type: 'AWS::SNS::Topic', name, arn: created.TopicArn };
}

async function provisionSubscription(ctx: Context, logicalId: string, properties: unknown): Promise<void> {
  const props = parseProperties(subscriptionProperties, logicalId, 'AWS::SNS::Subscription', properties);
  const topicArn = resolveString(props.TopicArn, resolveContextOf(ctx), `${logicalId}.TopicArn`);
  const endpoint = resolveString(props.Endpoint, resolveContextOf(ctx), `${logicalId}.Endpoint`);

  const attributes: Record<string, string> = {};
  if (props.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(props.RawMessageDelivery);
  if (props.FilterPolicy !== undefined) {
    attributes.FilterPolicy = typeof props.FilterPolicy === 'string' ? props.FilterPolicy : JSON.stringify(props.FilterPolicy);
  }
  if (props.FilterPolicyScope) attributes.FilterPolicyScope = props.FilterPolicyScope;

  // fauxqs records every protocol and delivers only to SQS: e-mail subscriptions are kept, not sent.
  const subscribed = await ctx.clients.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: props.Protocol,
      Endpoint: endpoint,
      ReturnSubscriptionArn: true,
      ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    }),
  );
  const arn = subscribed.SubscriptionArn ?? `${topicArn}:${logicalId}`;
  ctx.resources[logicalId] = {
    type: 'AWS::SNS::Subscription',
    name: arn,
    arn,
    subscription: { topicArn, protocol: props.Protocol, endpoint, delivered: props.Protocol === 'sqs' },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * What Ref and Fn::GetAtt give for each provisioned resource locally, as CloudFormation gives them in
 * AWS: a queue's Ref is its URL, a topic's and a subscription's their ARN, a table's its name.
 */
export function provisionedValues(resources: Record<string, ProvisionedResource>): Record<string, LocalValues> {
  const values: Record<string, LocalValues> = {};
  for (const [id, r] of Object.entries(resources)) {
    if (r.type === 'AWS::SQS::Queue') values[id] = { ref: r.url ?? r.arn, attributes: { Arn: r.arn, QueueName: r.name, QueueUrl: r.url ?? '' } };
    else if (r.type === 'AWS::SNS::Topic') values[id] = { ref: r.arn, attributes: { TopicArn: r.arn, TopicName: r.name } };
    else if (r.type === 'AWS::SNS::Subscription') values[id] = { ref: r.arn, attributes: {} };
    else values[id] = { ref: r.name, attributes: { Arn: r.arn } };
  }
  return values;
}

/** Intrinsics over what is provisioned so far; a resource that is not (a key, a role) is refused, not given a placeholder. */
function resolveContextOf(ctx: Context): ResolveContext {
  return { template: ctx.template, stackName: ctx.prefix, values: provisionedValues(ctx.resources), placeholders: false };
}

function parseProperties<S extends z.ZodType>(schema: S, logicalId: string, type: string, properties: unknown): z.output<S> {
  const result = schema.safeParse(properties ?? {});
  if (!result.success) throw new Error(`${logicalId} (${type}): ${z.prettifyError(result.error)}`);
  return result.data;
}

function literalName(name: unknown): string | undefined {
  return typeof name === 'string' ? name : undefined;
}

/** `${prefix}-${logicalId}`, shortened with a hash when it would exceed the service's limit. */
export function localName(prefix: string, logicalId: string, maxLength: number, suffix = ''): string {
  const full = `${prefix}-${logicalId}`;
  if (full.length + suffix.length <= maxLength) return `${full}${suffix}`;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, maxLength - suffix.length - hash.length - 1)}-${hash}${suffix}`;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}
