import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { TemporarilyUnavailable } from '#lib/errors';
import { failureStatus, problemFor } from '#lib/http/error-response';
import type { HttpResponse } from '#lib/http/problem';
import { withSecurityHeaders } from '#lib/http/security-headers';
import type { FunctionKit } from './function-kit';

/** A request as handlers see it: lower-cased header names, the path the route table knows, the body as sent. */
export interface HttpRequest {
  method: string;
  /** The resource with its `{proxy+}` filled in (`/api/homes/h-1`), else the event's path. */
  path: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** The body's bytes as sent (API Gateway base64-encodes binary media types). */
  rawBody: Buffer;
  /** The body as UTF-8 text; undefined when there is none. */
  body: string | undefined;
}

/**
 * Adds keys to the request's one log line: route templates, staff ids,
 * outcomes. Never a raw path (it holds ids of children's records) nor a body.
 */
export type AnnotateLog = (keys: Record<string, unknown>) => void;

export interface HttpFunctionOptions {
  /** Counted once per answer, by `StatusClass` (2xx … 5xx). */
  metric: string;
}

export function httpRequest(event: APIGatewayProxyEvent): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const proxy = event.pathParameters?.proxy;
  const path = proxy !== undefined && event.resource?.endsWith('{proxy+}') ? event.resource.replace('{proxy+}', proxy) : event.path;
  const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  return {
    method: event.httpMethod,
    path,
    headers,
    query: event.queryStringParameters ?? {},
    rawBody,
    body: event.body === null || event.body === undefined ? undefined : rawBody.toString('utf8'),
  };
}

/**
 * An API Gateway (REST, proxy) function. `handle` answers the request or
 * throws; whatever it throws becomes problem+json by the error's own status
 * (lib/errors.ts), 503 with Retry-After when a retry will likely succeed, or
 * a 500 that reveals nothing. Every answer carries the security headers, is
 * logged once (an error with its stack only for 5xx) and counted.
 */
export function httpFunction<C>(
  kit: FunctionKit<C>,
  handle: (request: HttpRequest, annotate: AnnotateLog) => Promise<HttpResponse>,
  options: HttpFunctionOptions,
) {
  const { logger, metrics } = kit;
  // Just before Lambda's own timeout (which API Gateway turns into a bare 502), answer 503 with Retry-After instead.
  const outOfTime = () => {
    logger.error('request out of time', { status: 503 });
    return withSecurityHeaders(problemFor(new TemporarilyUnavailable('the answer took too long; retry shortly')));
  };
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>({ timeoutEarlyInMillis: 250, timeoutEarlyResponse: outOfTime })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const entry: Record<string, unknown> = {};
      let response: HttpResponse;
      let failure: unknown;
      try {
        response = await handle(httpRequest(event), (keys) => Object.assign(entry, keys));
      } catch (error) {
        failure = error;
        response = problemFor(error);
      }
      const status = response.statusCode;
      if (failure !== undefined && failureStatus(failure) >= 500) logger.error('request failed', { ...entry, status, error: failure as Error });
      else logger.info('request handled', { ...entry, status });
      metrics.addDimension('StatusClass', `${Math.floor(status / 100)}xx`);
      metrics.addMetric(options.metric, MetricUnit.Count, 1);
      return withSecurityHeaders(response);
    });
}
