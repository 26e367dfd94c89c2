import type * as z from 'zod/mini';
import type { Caller } from '#lib/auth';
import { managerRoutes, type ApiServices } from '#lib/api';
import { failureStatus, problemFor, Router, type FieldError, type ProblemDetails } from '#lib/http';

/**
 * The console's way to the domain: the manager API's own route table, called
 * in process with the signed-in person as the caller. So every page gets
 * exactly the API's roles, validation, rules, views (the least data each role
 * may see) and errors: one rule, one place. The answer is parsed with the
 * page's own schema of what it shows, so a change to the API that a page
 * depends on fails loudly rather than showing something wrong.
 */

/** The API refused the request (4xx) or failed (5xx): the problem it answered with. */
export class ApiProblem extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiProblem';
  }

  get status(): number {
    return this.problem.status;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }

  /** The slug of the problem type (`bed-unavailable`, `not-found`, …). */
  get kind(): string {
    return this.problem.type.split('/').at(-1) ?? '';
  }
}

export interface ApiCall {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** The route's other representation: text (csv, html) or base64 bytes (pdf). */
  format?: 'csv' | 'html' | 'pdf';
}

export interface RawAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The body is base64 of bytes (a PDF). */
  isBase64Encoded: boolean;
}

export class InProcessApi {
  private readonly router = new Router(managerRoutes);

  constructor(
    private readonly services: ApiServices,
    /** Told of failures that are ours (a 5xx), with the error, for the log. */
    private readonly onUnexpected: (error: unknown, route: string) => void = () => undefined,
  ) {}

  /** The answer as text, in the representation asked for. */
  async raw(caller: Caller, method: 'GET' | 'POST' | 'PUT', path: string, call: ApiCall = {}): Promise<RawAnswer> {
    const query: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined) query[name] = String(value);
    if (call.format) query.format = call.format;
    const request = {
      method,
      path,
      headers: call.body === undefined ? {} : { 'content-type': 'application/json' },
      query,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    };
    try {
      const { response } = await this.router.dispatch(request, async () => caller, this.services);
      return { status: response.statusCode, contentType: response.headers['content-type'] ?? 'application/json', body: response.body, isBase64Encoded: response.isBase64Encoded === true };
    } catch (error) {
      if (failureStatus(error) >= 500) this.onUnexpected(error, this.template(method, path));
      throw new ApiProblem(JSON.parse(problemFor(error).body) as ProblemDetails);
    }
  }

  /** The route template (never the path itself: it holds ids) for the log. */
  private template(method: string, path: string): string {
    try {
      const { route } = this.router.match(method, path);
      return `${route.method} ${route.path}`;
    } catch {
      return `${method} (no route)`;
    }
  }

  /** The JSON answer, parsed with the page's schema. */
  async call<S extends z.ZodMiniType>(caller: Caller, method: 'GET' | 'POST' | 'PUT', path: string, schema: S, call: ApiCall = {}): Promise<z.output<S>> {
    const answer = await this.raw(caller, method, path, call);
    return schema.parse(JSON.parse(answer.body));
  }

  get<S extends z.ZodMiniType>(caller: Caller, path: string, schema: S, query?: ApiCall['query']): Promise<z.output<S>> {
    return this.call(caller, 'GET', path, schema, query ? { query } : {});
  }

  post<S extends z.ZodMiniType>(caller: Caller, path: string, schema: S, body: unknown): Promise<z.output<S>> {
    return this.call(caller, 'POST', path, schema, { body });
  }
}
