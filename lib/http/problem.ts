import type * as z from 'zod/mini';
import type { FieldError } from '#lib/errors';
import { REQUIRED } from '#lib/validation';

export type { FieldError } from '#lib/errors';

/**
 * RFC 9457 problem details. `type` URIs are stable identifiers documented in
 * the README; they need not resolve.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export const PROBLEM_BASE = 'https://cared-for.dev/problems/';

export function problem(status: number, slug: string, title: string, detail?: string, errors?: FieldError[]): ProblemDetails {
  return {
    type: `${PROBLEM_BASE}${slug}`,
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(errors === undefined ? {} : { errors }),
  };
}

/** Every failing field with its rule. Messages never echo the input: it may be a child's data. */
export function fieldErrors(error: z.core.$ZodError, prefix: readonly (string | number)[] = []): FieldError[] {
  return error.issues.map((issue) => ({
    field: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    rule: issue.message === REQUIRED ? REQUIRED : issue.code,
    // zod's own message for unknown keys quotes them, and a key is the caller's input too.
    message: issue.code === 'unrecognized_keys' ? 'has fields this request does not take' : issue.message,
  }));
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** The body is base64 of bytes (a PDF): API Gateway decodes it for types listed as binary. */
  isBase64Encoded?: boolean;
}

export function problemResponse(p: ProblemDetails, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode: p.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify(p),
  };
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
