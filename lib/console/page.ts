import type * as z from 'zod/mini';
import type { Caller, Role } from '#lib/auth';
import type { Clock } from '#lib/clock';
import { pathTemplate, type PathTemplate } from '#lib/http';
import { hiddenField } from './components/form';
import type { Html } from './html';
import type { ConsoleRequest, ConsoleResponse, FormData } from './http';
import type { ApiCall, InProcessApi, RawAnswer } from './in-process-api';
import type { PageContent } from './layout';
import type { ConsoleReads } from './ports';
import { CSRF_FIELD } from './security/csrf';

/**
 * A console page: a path template, the roles it is for, and what it does on
 * GET and (for forms) POST. Pages call the domain only through `ctx.api`
 * (the manager API's routes, as the signed-in person) and `ctx.reads`
 * (read-only views over the same stores, for the board and figures the
 * API has no single route for).
 */
export interface ConsolePage {
  /** e.g. `/referrals/{referralId}`; parameters match one path segment. */
  path: string;
  roles: readonly Role[];
  get?(ctx: PageContext): Promise<PageOutcome>;
  post?(ctx: PageContext, form: FormData): Promise<PageOutcome>;
}

/** A page to render in the frame, or a whole response (a redirect, a download). */
export type PageOutcome = ({ kind: 'page'; status?: number } & PageContent) | { kind: 'response'; response: ConsoleResponse };

export const page = (content: PageContent, status?: number): PageOutcome => ({ kind: 'page', ...content, ...(status ? { status } : {}) });
export const respond = (response: ConsoleResponse): PageOutcome => ({ kind: 'response', response });

/** The manager API as the signed-in person. */
export interface CallerApi {
  get<S extends z.ZodMiniType>(path: string, schema: S, query?: ApiCall['query']): Promise<z.output<S>>;
  post<S extends z.ZodMiniType>(path: string, schema: S, body: unknown): Promise<z.output<S>>;
  put<S extends z.ZodMiniType>(path: string, schema: S, body: unknown): Promise<z.output<S>>;
  raw(method: 'GET' | 'POST', path: string, call?: ApiCall): Promise<RawAnswer>;
}

export interface PageContext {
  request: ConsoleRequest;
  params: Record<string, string>;
  caller: Caller;
  api: CallerApi;
  reads: ConsoleReads;
  clock: Clock;
  /** `base + path`: a link within the console. */
  href(path: string): string;
  /** The hidden CSRF field every form carries. */
  csrf(): Html;
}

export function callerApi(api: InProcessApi, caller: Caller): CallerApi {
  return {
    get: (path, schema, query) => api.get(caller, path, schema, query),
    post: (path, schema, body) => api.post(caller, path, schema, body),
    put: (path, schema, body) => api.call(caller, 'PUT', path, schema, { body }),
    raw: (method, path, call) => api.raw(caller, method, path, call),
  };
}

export const csrfField = (token: string): Html => hiddenField(CSRF_FIELD, token);

interface CompiledPage extends PathTemplate {
  page: ConsolePage;
}

/** Finds the page for a path; parameters are decoded. */
export class PageTable {
  private readonly compiled: CompiledPage[];

  constructor(pages: readonly ConsolePage[]) {
    this.compiled = pages.map((page) => ({ page, ...pathTemplate(page.path) }));
  }

  match(path: string): { page: ConsolePage; params: Record<string, string> } | undefined {
    for (const c of this.compiled) {
      const found = c.pattern.exec(path);
      if (!found) continue;
      try {
        return { page: c.page, params: Object.fromEntries(c.names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)])) };
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}
