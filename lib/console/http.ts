import type { Html } from './html';

/**
 * The console's view of one HTTP exchange, independent of API Gateway: the
 * handler (functions/console/handler.ts) maps the proxy event to a
 * ConsoleRequest and the ConsoleResponse back.
 */
export interface ConsoleRequest {
  method: string;
  /** The path under the console, always starting with `/` (`/` is the home page). */
  path: string;
  query: Record<string, string | undefined>;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  cookies: Record<string, string>;
  /** The raw body (a form is `application/x-www-form-urlencoded`). */
  body: string;
  /** The URL path the console is served under, e.g. `/v1/console`. */
  base: string;
  /** `https://host` as the browser sees it: sign-in's redirect URI and the Origin check start with it. */
  origin: string;
}

export interface ConsoleResponse {
  status: number;
  headers: Record<string, string>;
  /** Each a whole `Set-Cookie` value. */
  cookies: string[];
  body: string;
  /** The body is base64 of bytes (a PDF), for API Gateway to decode. */
  isBase64Encoded?: boolean;
}

export function htmlResponse(status: number, page: Html, headers: Record<string, string> = {}): ConsoleResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, cookies: [], body: page.value };
}

/** 303 See Other: after a form, and to send the browser elsewhere (sign-in). */
export function redirect(location: string, cookies: string[] = []): ConsoleResponse {
  return { status: 303, headers: { location }, cookies, body: '' };
}

/** A file to save (`attachment`) or to open in the browser (`inline`); a base64 body stays base64. */
export function download(contentType: string, filename: string, body: string, options: { inline?: boolean; isBase64Encoded?: boolean } = {}): ConsoleResponse {
  return {
    status: 200,
    headers: { 'content-type': contentType, 'content-disposition': `${options.inline ? 'inline' : 'attachment'}; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"` },
    cookies: [],
    body,
    ...(options.isBase64Encoded ? { isBase64Encoded: true } : {}),
  };
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    // The first of a name wins, as browsers send the most specific path first.
    if (!(name in cookies)) cookies[name] = part.slice(eq + 1).trim();
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. @default - a session cookie */
  maxAge?: number;
}

/**
 * A `__Host-` cookie: Secure, Path=/ and no Domain (the browser refuses the
 * prefix otherwise), httpOnly so no script reads it, SameSite=Lax so another
 * site's forms and requests do not carry it (top-level links still do, which
 * the identity provider's redirect back needs).
 */
export function hostCookie(name: string, value: string, options: CookieOptions = {}): string {
  const parts = [`__Host-${name}=${value}`, 'Path=/', 'Secure', 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  return parts.join('; ');
}

export const readHostCookie = (request: Pick<ConsoleRequest, 'cookies'>, name: string): string | undefined => request.cookies[`__Host-${name}`];

/** A submitted form: each field's values (several for checkboxes). */
export type FormData = Record<string, string[]>;

export function parseForm(body: string): FormData {
  const form: FormData = {};
  for (const [name, value] of new URLSearchParams(body)) (form[name] ??= []).push(value);
  return form;
}

/** A field's single value, trimmed; undefined when absent or blank. */
export function field(form: FormData, name: string): string | undefined {
  const value = form[name]?.[0]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Query string from parts, leaving out empty ones. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
