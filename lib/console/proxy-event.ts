import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { parseCookies, type ConsoleRequest, type ConsoleResponse } from './http';

/** The mapping between API Gateway's proxy events and the console's requests and responses. */

/** Where the console sits under the stage: `/console` in the resource tree. */
export const CONSOLE_PREFIX = '/console';

export function consoleRequest(event: APIGatewayProxyEvent): ConsoleRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  // The stage (or a custom domain's base path) is what requestContext.path has before the resource path.
  const fullPath = event.requestContext?.path ?? event.path;
  const stagePrefix = fullPath.endsWith(event.path) ? fullPath.slice(0, fullPath.length - event.path.length) : '';
  const path = event.path.startsWith(CONSOLE_PREFIX) ? event.path.slice(CONSOLE_PREFIX.length) || '/' : '/';
  const host = headers.host ?? 'localhost';
  const scheme = headers['x-forwarded-proto']?.split(',')[0]?.trim() ?? 'http';
  const query: Record<string, string | undefined> = { ...(event.queryStringParameters ?? {}) };
  return {
    method: event.httpMethod,
    path,
    query,
    headers,
    cookies: parseCookies(headers.cookie),
    body: event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body,
    base: `${stagePrefix}${CONSOLE_PREFIX}`,
    origin: `${scheme}://${host}`,
  };
}

export function proxyResult(response: ConsoleResponse): APIGatewayProxyResult {
  return {
    statusCode: response.status,
    headers: response.headers,
    ...(response.cookies.length > 0 ? { multiValueHeaders: { 'set-cookie': response.cookies } } : {}),
    body: response.body,
    ...(response.isBase64Encoded ? { isBase64Encoded: true } : {}),
  };
}
