/**
 * The template's HTTP front doors, served on 127.0.0.1: every API Gateway REST API (the tree of
 * `AWS::ApiGateway::Resource`s and their `Method`s, Lambda proxy integration, payload format 1.0)
 * and every Lambda Function URL (payload format 2.0).
 *
 * Routing follows API Gateway: a literal path part beats a `{parameter}`, which beats a greedy
 * `{proxy+}`; `ANY` answers methods that have no method of their own; a path or method with no
 * route (or with a `.` or `..` segment, never handed to a function) gets API Gateway's
 * MISSING_AUTHENTICATION_TOKEN answer, and the gateway's other answers likewise follow the
 * template's gateway responses (gateway-responses.ts). URLs work with the stage prefix
 * (`/v1/webhooks/referrals`, as deployed) and without it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '#lib/clock';
import { gatewayAnswer, readGatewayResponses, type GatewayResponses } from './gateway-responses';
import type { InvokeResult } from './lambda-runtime';
import { LOCAL_ACCOUNT, LOOPBACK } from './constants';
import { UnsupportedResourceError, referencedIds, resourcesOfType, type CfnTemplate } from './template';
/** API Gateway's limits: request payload and integration timeout. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const INTEGRATION_TIMEOUT_MS = 29_000;

// ---------------------------------------------------------------------------------------------
// Routes read from the template

export type RouteTarget =
  | { type: 'lambda'; functionLogicalId: string }
  | { type: 'mock'; statusCode: number; headers: Record<string, string>; body: string };

export interface ResourceNode {
  /** `/homes/{homeId}`: the resource path API Gateway reports. */
  path: string;
  pathPart: string;
  logicalId: string;
  children: ResourceNode[];
  methods: Record<string, RouteTarget & { methodLogicalId: string }>;
}

export interface RestApiSpec {
  logicalId: string;
  /** The local API id (in execute-api URLs and requestContext.apiId). */
  apiId: string;
  stage: string;
  binaryMediaTypes: string[];
  root: ResourceNode;
  /** The API's gateway responses by response type. */
  gatewayResponses: GatewayResponses;
}

export interface Route {
  method: string;
  path: string;
  target: RouteTarget;
}

/** Reads every REST API of the template with its resource tree, methods and stage. */
export function readRestApis(template: CfnTemplate, functionIds: ReadonlySet<string>): RestApiSpec[] {
  const apis = resourcesOfType(template, 'AWS::ApiGateway::RestApi');
  const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource');
  const methods = resourcesOfType(template, 'AWS::ApiGateway::Method');
  const stages = resourcesOfType(template, 'AWS::ApiGateway::Stage');

  return apis.map(([apiId, api]) => {
    const props = api.Properties ?? {};
    if (props.Body !== undefined || props.BodyS3Location !== undefined) {
      throw new UnsupportedResourceError(apiId, api.Type, 'APIs defined by an OpenAPI body are not read locally');
    }
    const belongs = (p: Record<string, unknown> | undefined) => referencedIds(p?.RestApiId).includes(apiId);
    const root: ResourceNode = { path: '/', pathPart: '', logicalId: `${apiId}.RootResourceId`, children: [], methods: {} };
    const nodes = new Map<string, ResourceNode>();
    const pending = resources.filter(([, r]) => belongs(r.Properties));
    // Parents before children, whatever the template's order.
    const place = (id: string, seen: Set<string> = new Set()): ResourceNode => {
      const existing = nodes.get(id);
      if (existing) return existing;
      const entry = pending.find(([rid]) => rid === id);
      if (!entry || seen.has(id)) throw new Error(`${apiId}: resource ${id} is not in the template`);
      const p = entry[1].Properties ?? {};
      const parentIds = referencedIds(p.ParentId);
      const parent = parentIds[0] === apiId ? root : place(parentIds[0] ?? '', new Set([...seen, id]));
      const pathPart = String(p.PathPart);
      const node: ResourceNode = {
        path: `${parent.path === '/' ? '' : parent.path}/${pathPart}`,
        pathPart,
        logicalId: id,
        children: [],
        methods: {},
      };
      parent.children.push(node);
      nodes.set(id, node);
      return node;
    };
    for (const [id] of pending) place(id);

    for (const [methodId, method] of methods.filter(([, m]) => belongs(m.Properties))) {
      const p = method.Properties ?? {};
      const resourceIds = referencedIds(p.ResourceId);
      const node = resourceIds[0] === apiId ? root : nodes.get(resourceIds[0] ?? '');
      if (!node) throw new Error(`${methodId}: its resource ${JSON.stringify(p.ResourceId)} is not in the template`);
      const authorization = String(p.AuthorizationType ?? 'NONE');
      if (authorization !== 'NONE') {
        throw new UnsupportedResourceError(methodId, method.Type, `authorization type ${authorization} is not enforced locally (authenticate in the function)`);
      }
      if (p.ApiKeyRequired === true || p.ApiKeyRequired === 'true') {
        throw new UnsupportedResourceError(methodId, method.Type, 'API keys are not enforced locally');
      }
      node.methods[String(p.HttpMethod).toUpperCase()] = { ...routeTarget(methodId, method.Type, p.Integration, functionIds), methodLogicalId: methodId };
    }

    const stage = stages.find(([, s]) => belongs(s.Properties));
    const binaryMediaTypes = Array.isArray(props.BinaryMediaTypes) ? props.BinaryMediaTypes.map((t) => String(t).replace('~1', '/')) : [];
    return {
      logicalId: apiId,
      apiId: localApiId(apiId),
      stage: stage ? String(stage[1].Properties?.StageName) : 'prod',
      binaryMediaTypes,
      root,
      gatewayResponses: readGatewayResponses(template, apiId),
    };
  });
}

function routeTarget(methodId: string, type: string, integration: unknown, functionIds: ReadonlySet<string>): RouteTarget {
  const i = (integration ?? {}) as Record<string, unknown>;
  if (i.Type === 'AWS_PROXY') {
    const fns = referencedIds(i.Uri).filter((id) => functionIds.has(id));
    if (fns.length !== 1) throw new UnsupportedResourceError(methodId, type, 'its AWS_PROXY integration does not name one function of this template');
    return { type: 'lambda', functionLogicalId: fns[0]! };
  }
  if (i.Type === 'MOCK') {
    const responses = Array.isArray(i.IntegrationResponses) ? (i.IntegrationResponses as Array<Record<string, unknown>>) : [];
    const response = responses.find((r) => !r.SelectionPattern) ?? responses[0] ?? {};
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((response.ResponseParameters ?? {}) as Record<string, unknown>)) {
      const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
      if (name) headers[name] = String(value).replace(/^'(.*)'$/s, '$1');
    }
    const templates = (response.ResponseTemplates ?? {}) as Record<string, string>;
    return { type: 'mock', statusCode: Number(response.StatusCode ?? 200), headers, body: templates['application/json'] ?? '' };
  }
  throw new UnsupportedResourceError(methodId, type, `integration type ${String(i.Type)} is not run locally (only AWS_PROXY and MOCK)`);
}

/** A REST API's id is 10 lower-case characters in AWS; locally it is derived from the logical id. */
export function localApiId(logicalId: string): string {
  return logicalId.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Every method of an API as `METHOD /path`, for printing and stack.json. */
export function listRoutes(api: RestApiSpec): Route[] {
  const out: Route[] = [];
  const walk = (node: ResourceNode) => {
    for (const [method, target] of Object.entries(node.methods)) out.push({ method, path: node.path, target });
    node.children.forEach(walk);
  };
  walk(api.root);
  return out;
}

export interface RouteMatch {
  node: ResourceNode;
  target: RouteTarget;
  pathParameters: Record<string, string> | null;
}

/** The route API Gateway would pick for `method path` (path without the stage), or undefined. */
export function matchRoute(api: RestApiSpec, method: string, path: string): RouteMatch | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  for (const candidate of candidates(api.root, segments, {})) {
    const target = candidate.node.methods[method.toUpperCase()] ?? candidate.node.methods.ANY;
    if (target) {
      return { node: candidate.node, target, pathParameters: Object.keys(candidate.params).length > 0 ? candidate.params : null };
    }
  }
  return undefined;
}

/** Resources matching the segments, most specific first: literal, then {param}, then {proxy+}. */
function* candidates(node: ResourceNode, segments: string[], params: Record<string, string>): Generator<{ node: ResourceNode; params: Record<string, string> }> {
  if (segments.length === 0) {
    yield { node, params };
    return;
  }
  const [head, ...rest] = segments as [string, ...string[]];
  const literal = node.children.filter((c) => !c.pathPart.startsWith('{'));
  const single = node.children.filter((c) => /^\{[^+}]+\}$/.test(c.pathPart));
  const greedy = node.children.filter((c) => /^\{.+\+\}$/.test(c.pathPart));
  for (const child of literal) if (child.pathPart === decode(head)) yield* candidates(child, rest, params);
  for (const child of single) yield* candidates(child, rest, { ...params, [child.pathPart.slice(1, -1)]: decode(head) });
  for (const child of greedy) yield { node: child, params: { ...params, [child.pathPart.slice(1, -2)]: segments.map(decode).join('/') } };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests and responses

export interface RawHttpRequest {
  method: string;
  /** Path without the query string, as received. */
  path: string;
  rawQuery: string;
  /** Header names as sent, each with every value. */
  headers: Array<[string, string]>;
  body: Buffer;
  sourceIp: string;
  host: string;
}

export interface HttpAnswer {
  statusCode: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** A REST API (v1) proxy event, as API Gateway builds it. */
export function restApiEvent(api: RestApiSpec, match: RouteMatch, request: RawHttpRequest, requestId: string, now = new Date()): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.headers) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query = parseQuery(request.rawQuery);
  const contentType = request.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  const binary = isBinary(api.binaryMediaTypes, contentType, request.body);
  const userAgent = headers['User-Agent'] ?? headers['user-agent'] ?? null;
  return {
    resource: match.node.path,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: match.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: api.apiId,
      resourceId: match.node.logicalId,
      resourcePath: match.node.path,
      httpMethod: request.method,
      path: `/${api.stage}${request.path}`,
      stage: api.stage,
      requestId,
      extendedRequestId: requestId,
      requestTime: apiGatewayTime(now),
      requestTimeEpoch: now.getTime(),
      protocol: 'HTTP/1.1',
      domainName: request.host,
      domainPrefix: request.host.split('.')[0] ?? request.host,
      identity: {
        sourceIp: request.sourceIp,
        userAgent,
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
      authorizer: null,
    },
    body: request.body.length === 0 ? null : binary ? request.body.toString('base64') : request.body.toString('utf8'),
    isBase64Encoded: request.body.length > 0 && binary,
  };
}

/** API Gateway's answer from a Lambda proxy result, or its 502 when the result is not one. */
export function restApiAnswer(result: InvokeResult, requestId: string, gatewayResponses: GatewayResponses = {}): HttpAnswer {
  if (!result.ok) return gatewayAnswer(gatewayResponses, 'DEFAULT_5XX', requestId);
  const payload = result.payload as Record<string, unknown> | null;
  const statusCode = payload?.statusCode;
  const body = payload?.body;
  if (typeof payload !== 'object' || payload === null || !Number.isInteger(Number(statusCode)) || (body !== undefined && body !== null && typeof body !== 'string')) {
    return gatewayAnswer(gatewayResponses, 'DEFAULT_5XX', requestId);
  }
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries((payload.headers ?? {}) as Record<string, unknown>)) headers.push([name, String(value)]);
  for (const [name, values] of Object.entries((payload.multiValueHeaders ?? {}) as Record<string, unknown>)) {
    for (const value of Array.isArray(values) ? values : [values]) headers.push([name, String(value)]);
  }
  headers.push(['x-amzn-RequestId', requestId]);
  const bytes = typeof body === 'string' ? Buffer.from(body, payload.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { statusCode: Number(statusCode), headers, body: bytes };
}

/** A Function URL (payload format 2.0) event. */
export function functionUrlEvent(urlId: string, request: RawHttpRequest, requestId: string, now = new Date()): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') cookies.push(...value.split(/;\s*/));
    else headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  const query = parseQuery(request.rawQuery);
  const contentType = headers['content-type'] ?? '';
  const binary = !/^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript))/.test(contentType) && isBinary([], contentType, request.body);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: request.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query.single ? { queryStringParameters: Object.fromEntries(Object.entries(query.multi ?? {}).map(([k, v]) => [k, v.join(',')])) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName: request.host,
      domainPrefix: urlId,
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length > 0 ? { body: binary ? request.body.toString('base64') : request.body.toString('utf8') } : {}),
    isBase64Encoded: request.body.length > 0 && binary,
  };
}

export function functionUrlAnswer(result: InvokeResult, requestId: string): HttpAnswer {
  if (!result.ok) return gatewayError(502, 'Internal Server Error', requestId);
  const payload = result.payload;
  const headers: Array<[string, string]> = [['x-amzn-RequestId', requestId]];
  if (typeof payload === 'object' && payload !== null && 'statusCode' in payload) {
    const p = payload as Record<string, unknown>;
    for (const [name, value] of Object.entries((p.headers ?? {}) as Record<string, unknown>)) headers.push([name, String(value)]);
    for (const cookie of Array.isArray(p.cookies) ? p.cookies : []) headers.push(['set-cookie', String(cookie)]);
    const body = typeof p.body === 'string' ? Buffer.from(p.body, p.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0);
    return { statusCode: Number(p.statusCode), headers, body };
  }
  headers.push(['content-type', 'application/json']);
  return { statusCode: 200, headers, body: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)) };
}

export function gatewayError(statusCode: number, message: string, requestId: string, errorType?: string): HttpAnswer {
  return {
    statusCode,
    headers: [
      ['content-type', 'application/json'],
      ['x-amzn-RequestId', requestId],
      ...(errorType ? ([['x-amzn-ErrorType', errorType]] as Array<[string, string]>) : []),
    ],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

function parseQuery(raw: string): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  if (!raw) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  return Object.keys(single).length > 0 ? { single, multi } : { single: null, multi: null };
}

/** Binary when the content type is one of the API's binary media types, or the bytes are not UTF-8 text. */
function isBinary(binaryMediaTypes: readonly string[], contentType: string, body: Buffer): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const listed = binaryMediaTypes.some((pattern) => {
    const [major, minor] = pattern.toLowerCase().split('/');
    const [tMajor, tMinor] = type.split('/');
    return (major === '*' || major === tMajor) && (minor === '*' || minor === tMinor);
  });
  if (listed) return true;
  return body.length > 0 && Buffer.from(body.toString('utf8'), 'utf8').compare(body) !== 0;
}

/** `09/Apr/2015:12:34:56 +0000`, API Gateway's requestTime. */
function apiGatewayTime(d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

// ---------------------------------------------------------------------------------------------
// Listeners

export type Invoke = (functionLogicalId: string, event: unknown) => Promise<InvokeResult>;

/** What one listener answers: a REST API (with or without its stage prefix) or a Function URL. */
export type Endpoint = { kind: 'rest-api'; api: RestApiSpec } | { kind: 'function-url'; urlId: string; functionLogicalId: string };

export interface HttpListener {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0 = a free port). `endpoint` is read on every request, so it can be set after listening. */
export async function listen(port: number, answer: (request: RawHttpRequest) => Promise<HttpAnswer>): Promise<HttpListener> {
  const server = createServer((req, res) => {
    void serve(req, res, answer);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${address.port}`,
    port: address.port,
    close: () => closeServer(server),
  };
}

/** Answers requests for one endpoint, invoking functions through `invoke`; events carry the stack's time (`clock`). */
export function endpointHandler(endpoint: () => Endpoint | undefined, invoke: Invoke, clock: Clock = systemClock): (request: RawHttpRequest) => Promise<HttpAnswer> {
  return async (request) => {
    const requestId = randomUUID();
    const now = new Date(clock.nowMs());
    const current = endpoint();
    if (!current) return gatewayError(503, 'The local stack is starting', requestId);
    if (current.kind === 'function-url') {
      if (request.body.length > MAX_REQUEST_BYTES) return gatewayError(413, 'Request Too Long', requestId);
      const result = await invoke(current.functionLogicalId, functionUrlEvent(current.urlId, request, requestId, now));
      return functionUrlAnswer(result, requestId);
    }
    const { api } = current;
    if (request.body.length > MAX_REQUEST_BYTES) return gatewayAnswer(api.gatewayResponses, 'REQUEST_TOO_LARGE', requestId);
    const stagePrefix = `/${api.stage}`;
    const path = request.path === stagePrefix ? '/' : request.path.startsWith(`${stagePrefix}/`) ? request.path.slice(stagePrefix.length) : request.path;
    const match = hasDotSegment(path) ? undefined : matchRoute(api, request.method, path);
    if (!match) return gatewayAnswer(api.gatewayResponses, 'MISSING_AUTHENTICATION_TOKEN', requestId);
    if (match.target.type === 'mock') {
      return { statusCode: match.target.statusCode, headers: Object.entries(match.target.headers), body: Buffer.from(match.target.body) };
    }
    const event = restApiEvent(api, match, { ...request, path }, requestId, now);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), INTEGRATION_TIMEOUT_MS).unref());
    const result = await Promise.race([invoke(match.target.functionLogicalId, event), timeout]);
    if (result === 'timeout') return gatewayAnswer(api.gatewayResponses, 'INTEGRATION_TIMEOUT', requestId);
    return restApiAnswer(result, requestId, api.gatewayResponses);
  };
}

/** `/api/../x`, `/./x`, or the same percent-encoded: a path no route of ours may be reached by. */
function hasDotSegment(path: string): boolean {
  return path.split('/').some((segment) => ['.', '..'].includes(decode(segment)));
}

async function serve(req: IncomingMessage, res: ServerResponse, answer: (request: RawHttpRequest) => Promise<HttpAnswer>): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Keep counting past the limit (so the answer is 413), but stop holding the bytes.
      if (size <= MAX_REQUEST_BYTES + 1) chunks.push(chunk);
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    const answered = await answer({
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      headers,
      body: Buffer.concat(chunks),
      sourceIp: req.socket.remoteAddress ?? LOOPBACK,
      host: req.headers.host ?? LOOPBACK,
    });
    const grouped = new Map<string, string[]>();
    for (const [name, value] of answered.headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
    res.writeHead(answered.statusCode, Object.fromEntries([...grouped].map(([n, v]) => [n, v.length === 1 ? v[0]! : v])));
    res.end(answered.body);
  } catch (error) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `local gateway error: ${(error as Error).message}` }));
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
