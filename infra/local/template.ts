/**
 * Reading a synthesized CloudFormation template for the local runner: which resource types it runs,
 * which it deliberately leaves to AWS, and how intrinsic functions (Ref, Fn::GetAtt, Fn::Sub,
 * Fn::Join, Fn::Select, Fn::Split) resolve to local names, ARNs and URLs. The one intrinsic resolver
 * of infra/local: the provisioner, the runner and the benches all resolve through it.
 */
import { LOCAL_ACCOUNT, LOCAL_REGION } from './constants';

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: unknown;
  Condition?: string;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Default?: unknown }>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
  Conditions?: Record<string, unknown>;
}

/**
 * Resource types the local stack creates or runs. Anything in neither this nor
 * {@link AWS_SIDE_ONLY} stops `npm start` with a message naming the type and the logical id.
 */
export const RUN_LOCALLY: Readonly<Record<string, string>> = {
  'AWS::DynamoDB::Table': 'a DynamoDB Local table (keys, GSIs, LSIs, TTL)',
  'AWS::DynamoDB::GlobalTable': 'a DynamoDB Local table (keys, GSIs, LSIs, TTL)',
  'AWS::SQS::Queue': 'a fauxqs queue (attributes, redrive to its DLQ)',
  'AWS::SNS::Topic': 'a fauxqs topic',
  'AWS::SNS::Subscription': 'SQS subscriptions delivered by fauxqs; e-mail ones printed as "would e-mail"',
  'AWS::Lambda::Function': 'a worker process per concurrent invocation, from the bundled asset in cdk.out',
  'AWS::Lambda::EventSourceMapping': 'an SQS poller invoking the function with batches',
  'AWS::Lambda::Url': 'an HTTP listener on 127.0.0.1 (payload format 2.0)',
  'AWS::ApiGateway::RestApi': 'an HTTP listener on 127.0.0.1 (Lambda proxy integration, payload format 1.0)',
  'AWS::ApiGateway::Resource': 'a path of the local REST API',
  'AWS::ApiGateway::Method': 'a route of the local REST API (AWS_PROXY to a function, or MOCK)',
  'AWS::ApiGateway::Stage': 'its name is the first segment of the local URLs',
  'AWS::ApiGateway::GatewayResponse': "the local gateway's own answers (no route, too large, a failed function) take its status, headers and body",
  'AWS::Lambda::EventInvokeConfig': "a scheduled invocation's retries, then its event sent to the on-failure queue",
  'AWS::Events::Rule': 'a schedule (cron or rate, UTC) firing its targets',
  'AWS::SecretsManager::Secret': 'replaced by a local value generated once in .local/secrets.json',
};

/**
 * Resource types that only matter in AWS and are safe to ignore locally, each with the reason.
 * Keep this list short and explicit: a type that is not here (nor in {@link RUN_LOCALLY}) fails loudly.
 */
export const AWS_SIDE_ONLY: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'permissions: the emulators accept any credentials (grants are checked by cdk-nag and the infra tests)',
  'AWS::IAM::Policy': 'permissions, as for roles',
  'AWS::IAM::ManagedPolicy': 'permissions, as for roles',
  'AWS::KMS::Key': 'encryption at rest: the emulators keep data unencrypted under .local/',
  'AWS::KMS::Alias': 'encryption at rest, as for keys',
  'AWS::Logs::LogGroup': 'function logs go to the terminal, prefixed with the function name',
  'AWS::CloudWatch::Alarm': 'there are no metrics locally, so alarms never fire: look at the DLQs directly',
  'AWS::Lambda::Permission': 'who may invoke a function: locally the gateway, mappings and schedules invoke it directly',
  'AWS::ApiGateway::Deployment': 'a snapshot of the routes: the local gateway serves the template routes directly',
  'AWS::ApiGateway::Account': 'the account-wide CloudWatch logging role of API Gateway',
  'AWS::SQS::QueuePolicy': 'resource policies: nothing is checked locally',
  'AWS::SNS::TopicPolicy': 'resource policies: nothing is checked locally',
  'AWS::WAFv2::WebACLAssociation': 'the web firewall in front of the stage; the local gateway listens on 127.0.0.1 only',
  'AWS::CDK::Metadata': 'CDK version reporting',
  'AWS::SES::ConfigurationSet':
    'SES event publishing: the local SES emulator (infra/local/ses-local.ts) keeps every e-mail and reports no bounces, so nothing reaches the e-mail events topic locally (the delivery-events function is tested with a recorded SES bounce)',
  'AWS::SES::ConfigurationSetEventDestination': 'SES event publishing, as for configuration sets',
};

export class UnsupportedResourceError extends Error {
  constructor(
    readonly logicalId: string,
    readonly type: string,
    reason?: string,
  ) {
    super(
      `The local stack cannot run ${type} (logical id ${logicalId})${reason ? `: ${reason}` : ''}. ` +
        (reason
          ? 'Change the resource, or teach the runner in infra/local/ to run it.'
          : 'Teach the runner in infra/local/ to run it, or, if it only matters in AWS, add it with the reason to ' +
            'AWS_SIDE_ONLY in infra/local/template.ts.'),
    );
    this.name = 'UnsupportedResourceError';
  }
}

/** Throws on the first resource whose type the runner neither runs nor may ignore. */
export function assertRunnable(template: CfnTemplate): void {
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!(resource.Type in RUN_LOCALLY) && !(resource.Type in AWS_SIDE_ONLY)) {
      throw new UnsupportedResourceError(logicalId, resource.Type);
    }
    if (resource.Condition !== undefined) {
      throw new UnsupportedResourceError(logicalId, resource.Type, `conditions (${resource.Condition}) are not evaluated locally`);
    }
  }
}

export function resourcesOfType(template: CfnTemplate, ...types: string[]): Array<[string, TemplateResource]> {
  return Object.entries(template.Resources).filter(([, r]) => types.includes(r.Type));
}

// ---------------------------------------------------------------------------------------------
// Intrinsic functions

/** What a resource gives for Ref and Fn::GetAtt locally. */
export interface LocalValues {
  ref: string;
  attributes: Record<string, string>;
}

export interface ResolveContext {
  template: CfnTemplate;
  stackName: string;
  /** By logical id; resources not listed resolve to placeholders (see `placeholder`), unless `placeholders` is false. */
  values: Record<string, LocalValues>;
  /** Whether a resource of the template with no local values resolves to a placeholder (else: an error naming it). @default true */
  placeholders?: boolean;
  /** Local base URLs of the REST APIs by their local id, to rewrite execute-api URLs. */
  apiUrls?: Record<string, string>;
}

const PSEUDO: Record<string, (ctx: ResolveContext) => string> = {
  'AWS::Region': () => LOCAL_REGION,
  'AWS::AccountId': () => LOCAL_ACCOUNT,
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': (ctx) => ctx.stackName,
  'AWS::StackId': (ctx) => `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/${ctx.stackName}/local`,
};

/** Removed from arrays and objects, as CloudFormation removes AWS::NoValue. */
const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves every intrinsic function in `value` to what it means on the local stack. Throws,
 * naming `where`, on anything it cannot resolve (Fn::ImportValue, conditions, unknown attributes).
 */
export function resolveIntrinsics(value: unknown, ctx: ResolveContext, where: string): unknown {
  const resolved = resolveAny(value, ctx, where);
  return resolved === NO_VALUE ? undefined : resolved;
}

/** Like {@link resolveIntrinsics}, for values that must be strings (environment variables, ARNs). */
export function resolveString(value: unknown, ctx: ResolveContext, where: string): string {
  const resolved = resolveIntrinsics(value, ctx, where);
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  throw new Error(`${where}: expected a string, got ${JSON.stringify(resolved)}`);
}

function resolveAny(value: unknown, ctx: ResolveContext, where: string): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => resolveAny(v, ctx, `${where}[${i}]`)).filter((v) => v !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0]!;
    if (key === 'Ref' || key.startsWith('Fn::')) return rewriteApiUrls(intrinsic(key, arg, ctx, where), ctx);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const resolved = resolveAny(v, ctx, `${where}.${key}`);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function intrinsic(name: string, arg: unknown, ctx: ResolveContext, where: string): unknown {
  switch (name) {
    case 'Ref':
      return ref(String(arg), ctx, where);
    case 'Fn::GetAtt': {
      const [id, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/s);
      return getAtt(id ?? '', attribute ?? '', ctx, where);
    }
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, unknown];
      const list = resolveAny(parts, ctx, where);
      if (!Array.isArray(list)) throw new Error(`${where}: Fn::Join needs a list`);
      return list.map((p) => String(p)).join(separator);
    }
    case 'Fn::Sub':
      return substitute(arg, ctx, where);
    case 'Fn::Select': {
      const [index, list] = arg as [unknown, unknown];
      const items = resolveAny(list, ctx, where);
      const i = Number(resolveAny(index, ctx, where));
      if (!Array.isArray(items) || !(i in items)) throw new Error(`${where}: Fn::Select index ${i} out of range`);
      return items[i];
    }
    case 'Fn::Split': {
      const [separator, source] = arg as [string, unknown];
      return String(resolveAny(source, ctx, where)).split(separator);
    }
    case 'Fn::Base64':
      return Buffer.from(String(resolveAny(arg, ctx, where))).toString('base64');
    case 'Fn::GetAZs':
      return [`${LOCAL_REGION}a`, `${LOCAL_REGION}b`, `${LOCAL_REGION}c`];
    default:
      throw new Error(`${where}: ${name} is not resolved by the local runner`);
  }
}

function ref(name: string, ctx: ResolveContext, where: string): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const pseudo = PSEUDO[name];
  if (pseudo) return pseudo(ctx);
  const local = ctx.values[name];
  if (local) return local.ref;
  if (ctx.template.Resources[name] && ctx.placeholders !== false) return placeholder(name, ctx).ref;
  const parameter = ctx.template.Parameters?.[name];
  if (parameter && parameter.Default !== undefined) return parameter.Default;
  throw new Error(`${where}: cannot resolve Ref ${name}`);
}

function getAtt(id: string, attribute: string, ctx: ResolveContext, where: string): string {
  const local = ctx.values[id] ?? (ctx.template.Resources[id] && ctx.placeholders !== false ? placeholder(id, ctx) : undefined);
  const value = local?.attributes[attribute];
  if (value === undefined) throw new Error(`${where}: cannot resolve Fn::GetAtt ${id}.${attribute} locally`);
  return value;
}

function substitute(arg: unknown, ctx: ResolveContext, where: string): string {
  const [text, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
  return text.replace(/\$\{([^}]+)\}/g, (_, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    if (expression in variables) return String(resolveAny(variables[expression], ctx, where));
    const dot = expression.indexOf('.');
    if (dot > 0) return getAtt(expression.slice(0, dot), expression.slice(dot + 1), ctx, where);
    return String(ref(expression, ctx, where));
  });
}

/**
 * Values for resources that have no local counterpart (roles, keys, log groups …), so a function
 * whose environment names one still starts: Ref gives `<stack>-<logicalId>`, Arn a well-formed ARN.
 */
function placeholder(logicalId: string, ctx: ResolveContext): LocalValues {
  const type = ctx.template.Resources[logicalId]?.Type ?? 'AWS::Unknown::Unknown';
  const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
  const name = `${ctx.stackName}-${logicalId}`;
  return { ref: name, attributes: { Arn: `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${logicalId}` } };
}

/** `https://<api>.execute-api.<region>.amazonaws.com/` in a resolved string → the local gateway's URL. */
function rewriteApiUrls(value: unknown, ctx: ResolveContext): unknown {
  if (typeof value !== 'string' || !ctx.apiUrls) return value;
  let out = value;
  for (const [apiId, base] of Object.entries(ctx.apiUrls)) {
    out = out.split(`https://${apiId}.execute-api.${LOCAL_REGION}.amazonaws.com/`).join(base.endsWith('/') ? base : `${base}/`);
  }
  return out;
}

/** The logical id of the resource an intrinsic names (Ref X, Fn::GetAtt [X, …], a Join containing one). */
export function referencedIds(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    const record = v as Record<string, unknown>;
    if (typeof record.Ref === 'string') found.push(record.Ref);
    const att = record['Fn::GetAtt'];
    if (Array.isArray(att) && typeof att[0] === 'string') found.push(att[0]);
    if (typeof att === 'string') found.push(att.split('.')[0]!);
    Object.values(record).forEach(walk);
  };
  walk(value);
  return found;
}

/** `IntakeFunction` → `intake`, `InvoiceBuilderFunction` → `invoice-builder`: the name in logs and CLIs. */
export function shortName(logicalId: string): string {
  const stem = logicalId.replace(/(Function|Lambda|Rule|Schedule)$/, '') || logicalId;
  return stem
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}
