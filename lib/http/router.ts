import type * as z from 'zod/mini';
import { hasAnyRole, type Caller, type Role, type VerifyToken } from '#lib/auth';
import { NotFound } from '#lib/errors';
import { BadRequest, Forbidden, MethodNotAllowed, NotAcceptable, PayloadTooLarge, UnsupportedMediaType } from './http-errors';
import { fieldErrors, jsonResponse, type HttpResponse } from './problem';
import { unknownFields } from './schema-fields';
import { pathTemplate, type PathTemplate } from './path-template';

/**
 * A small typed route table for the manager API. Each route names the roles
 * that may call it and the zod schemas of its path, query, body and
 * response; `dispatch` authenticates, finds the route, authorises, parses,
 * calls it, and checks what it answers. Handlers see only parsed input.
 */

export type HttpMethod = 'GET' | 'PUT' | 'POST';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  caller: Caller;
}

type Parsed<T> = T extends z.ZodMiniType ? z.output<T> : undefined;

export interface RouteDefinition<S, PS, QS, BS, RS extends z.ZodMiniType> {
  method: HttpMethod;
  /** Path template, e.g. `/api/homes/{homeId}`. */
  path: string;
  /** Roles that may call it; any one suffices. */
  roles: readonly Role[];
  params?: PS;
  query?: QS;
  body?: BS;
  response: RS;
  /**
   * Least data per role: narrower answers for roles that may see less. A
   * caller holding a route role not named here gets `response`; otherwise the
   * first view whose roles they hold. The answer is parsed with that view's
   * schema, which drops every field it does not list.
   * @default - every role of the route gets `response`
   */
  narrower?: readonly NarrowerView[];
  /** @default 200 */
  status?: number;
  /** The largest body this route takes, for one that carries files (the go-live import). @default MAX_BODY_BYTES */
  maxBodyBytes?: number;
  /**
   * Other representations of the same validated answer (a finance-system CSV,
   * a printable HTML page), chosen by `?format=csv|html` or the Accept header.
   * @default - JSON only
   */
  renderAs?: Partial<Record<Representation, (answer: z.output<RS>) => Rendered | Promise<Rendered>>>;
  /**
   * The one representation this route answers in, whatever `?format=` or Accept
   * say: for paths that name it (`/api/invoices/{number}.csv`) and for
   * downloads that exist only as a file (a GL export). Must be in `renderAs`.
   * @default - chosen by the request, JSON unless it names another
   */
  representation?: Representation;
  handle(input: RouteInput<Parsed<PS>, Parsed<QS>, Parsed<BS>>, services: S): Promise<z.input<RS>>;
}

/** An answer for some roles with fewer fields than the route's full response (an allow-list: z.object drops the rest). */
export interface NarrowerView {
  /** Names the view in the role × field matrix, e.g. `finance`. */
  name: string;
  roles: readonly Role[];
  schema: z.ZodMiniType;
}

/** The schema a caller's answer is parsed with: the full response, or the first narrower view of their roles. */
export function responseSchemaFor(route: Pick<Route<unknown>, 'roles' | 'response' | 'narrower'>, roles: readonly Role[]): { name: string; schema: z.ZodMiniType } {
  const narrowed = new Set((route.narrower ?? []).flatMap((view) => view.roles));
  if (roles.some((role) => route.roles.includes(role) && !narrowed.has(role))) return { name: 'full', schema: route.response };
  const view = route.narrower?.find((v) => v.roles.some((role) => roles.includes(role)));
  return view ? { name: view.name, schema: view.schema } : { name: 'full', schema: route.response };
}

/** A route as the table holds it, its schemas' types erased. */
export type Route<S> = RouteDefinition<S, z.ZodMiniType | undefined, z.ZodMiniType | undefined, z.ZodMiniType | undefined, z.ZodMiniType>;

/**
 * Declares routes for services `S`: `const apiRoute = routesFor<ApiServices>()`, then
 * `apiRoute({ ... })` types the handler's input and answer from the route's schemas.
 */
export function routesFor<S>() {
  return <PS extends z.ZodMiniType | undefined = undefined, QS extends z.ZodMiniType | undefined = undefined, BS extends z.ZodMiniType | undefined = undefined, RS extends z.ZodMiniType = z.ZodMiniType>(
    definition: RouteDefinition<S, PS, QS, BS, RS>,
  ): Route<S> => definition as unknown as Route<S>;
}

export type Representation = 'csv' | 'html' | 'pdf';

/** Text, or bytes (a PDF), which go out base64-encoded for API Gateway to decode. */
export type Rendered = string | Uint8Array;

const CONTENT_TYPES: Record<Representation, string> = { csv: 'text/csv; charset=utf-8', html: 'text/html; charset=utf-8', pdf: 'application/pdf' };

/** The representation asked for: `?format=` wins over Accept; JSON unless either names another. */
export function requestedRepresentation(request: Pick<ApiRequest, 'query' | 'headers'>): string {
  const format = request.query.format?.toLowerCase();
  if (format !== undefined) return format;
  const accept = request.headers.accept?.toLowerCase() ?? '';
  if (accept.startsWith('text/csv')) return 'csv';
  if (accept.startsWith('text/html')) return 'html';
  if (accept.startsWith('application/pdf')) return 'pdf';
  return 'json';
}

export interface ApiRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: string | undefined;
}

/** What a request's log line may say of it: the caller's staff id and the route template (never the raw path: it holds ids). */
export type RequestFacts = {
  subject?: string;
  route?: string;
};

/** Largest body any route accepts. */
export const MAX_BODY_BYTES = 64 * 1024;

interface CompiledRoute<S> extends PathTemplate {
  route: Route<S>;
}

export class Router<S> {
  private readonly compiled: CompiledRoute<S>[];

  constructor(routes: readonly Route<S>[]) {
    this.compiled = routes.map((route) => ({ route, ...pathTemplate(route.path) }));
  }

  get routes(): readonly Route<S>[] {
    return this.compiled.map((c) => c.route);
  }

  /** The route for a request and its raw path parameters; 404 for an unknown path, 405 for a known path's other methods. */
  match(method: string, path: string): { route: Route<S>; params: Record<string, string> } {
    const onPath = this.compiled.flatMap((c) => {
      const found = c.pattern.exec(path);
      return found ? [{ compiled: c, values: found.slice(1) }] : [];
    });
    if (onPath.length === 0) throw new NotFound('route');
    const chosen = onPath.find((m) => m.compiled.route.method === method);
    if (!chosen) throw new MethodNotAllowed([...new Set(onPath.map((m) => m.compiled.route.method))]);
    const params = Object.fromEntries(chosen.compiled.names.map((name, i) => [name, safeDecode(chosen.values[i]!)]));
    return { route: chosen.compiled.route, params };
  }

  /**
   * Authenticate, route, authorise, parse, handle, check the answer. Errors
   * propagate for the caller to map; `note` hears who called and which route
   * template matched as soon as each is known (for the request's log line).
   */
  async dispatch(request: ApiRequest, verify: VerifyToken, services: S, note: (facts: RequestFacts) => void = () => undefined): Promise<{ response: HttpResponse; caller: Caller; route: Route<S> }> {
    const caller = await verify(request.headers.authorization);
    note({ subject: caller.subject });
    const { route, params } = this.match(request.method, request.path);
    note({ route: `${route.method} ${route.path}` });
    if (!hasAnyRole(caller, route.roles)) {
      throw new Forbidden(`${route.method} ${route.path} needs one of the roles: ${route.roles.join(', ')}`);
    }
    const representation = route.representation ?? requestedRepresentation(request);
    const offered = ['json', ...Object.keys(route.renderAs ?? {})];
    if (!offered.includes(representation)) throw new NotAcceptable(offered);
    const { format: _format, ...query } = request.query;
    const input = {
      params: parsePart(route.params, params, 'path'),
      query: parsePart(route.query, query, 'query'),
      body: parseBody(route.body, request, route.maxBodyBytes ?? MAX_BODY_BYTES),
      caller,
    };
    const answer = responseSchemaFor(route, caller.roles).schema.safeParse(await route.handle(input, services));
    if (!answer.success) {
      // The route broke its own contract: a bug, so a 500 that names fields only (values may be a child's data).
      throw new Error(`response of ${route.method} ${route.path} failed validation: ${fieldErrors(answer.error).map((e) => `${e.field}:${e.rule}`).join(', ')}`);
    }
    const render = representation === 'json' ? undefined : route.renderAs?.[representation as Representation];
    const response = render ? rendered(route.status ?? 200, CONTENT_TYPES[representation as Representation], await render(answer.data as never)) : jsonResponse(route.status ?? 200, answer.data);
    return { response, caller, route };
  }
}

function rendered(statusCode: number, contentType: string, body: Rendered): HttpResponse {
  return typeof body === 'string'
    ? { statusCode, headers: { 'content-type': contentType }, body }
    : { statusCode, headers: { 'content-type': contentType }, body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest('the path is not validly encoded');
  }
}

function parsePart(schema: z.ZodMiniType | undefined, value: unknown, prefix: 'path' | 'query' | undefined): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new BadRequest(`the request ${prefix ?? 'body'} is invalid`, fieldErrors(parsed.error, prefix ? [prefix] : []));
  }
  return parsed.data;
}

/** A route without a body schema still refuses a body that is not JSON: nothing unparsed reaches a handler. */
function parseBody(schema: z.ZodMiniType | undefined, request: ApiRequest, maxBytes: number): unknown {
  const body = jsonBody(request, maxBytes);
  if (!schema) return undefined;
  const parsed = parsePart(schema, body, undefined);
  // Strict at every depth, whatever the schema's objects say: a misspelt or unexpected field is refused, never dropped.
  const unknown = unknownFields(body, schema);
  if (unknown.length > 0) {
    throw new BadRequest('the request body is invalid', unknown.map((field) => ({ field, rule: 'unrecognized_keys', message: 'not a field of this request' })));
  }
  return parsed;
}

function jsonBody(request: ApiRequest, maxBytes: number): unknown {
  const body = request.body ?? '';
  if (Buffer.byteLength(body, 'utf8') > maxBytes) throw new PayloadTooLarge(maxBytes);
  if (body.trim() === '') return {};
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaType();
  try {
    return JSON.parse(body);
  } catch {
    throw new BadRequest('the body is not valid JSON', [{ field: '(body)', rule: 'invalid_json', message: 'not valid JSON' }]);
  }
}
