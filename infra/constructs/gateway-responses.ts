import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { PROBLEM_BASE } from '#lib/http/problem';

/**
 * What API Gateway answers itself, before any function sees the request, as RFC 9457 problem+json
 * with the headers every answer of ours carries (lib/http/security-headers.ts). A gateway response
 * template is not VTL: only `$context` variables are substituted, and the HTTP status of a DEFAULT_
 * response is not one of them, so those bodies leave `status` out. None echoes the path or query.
 */
export interface GatewayProblem {
  readonly type: apigateway.ResponseType;
  /** @default - the status API Gateway gives the response type */
  readonly statusCode?: string;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

const PROBLEM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': "'application/problem+json'",
  'Cache-Control': "'no-store'",
  'X-Content-Type-Options': "'nosniff'",
  'Referrer-Policy': "'no-referrer'",
};

/** `$context.error.responseType`: the gateway's own name for what went wrong (e.g. REQUEST_TOO_LARGE), never request data. */
const GATEWAY_ERROR = '$context.error.responseType';

export const GATEWAY_PROBLEMS: Readonly<Record<string, GatewayProblem>> = {
  // A REST API answers a path or method with no route as a missing token (403); it is a missing route,
  // answered as the api function answers an unknown /api route.
  MissingRoute: {
    type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '404',
    body: { type: `${PROBLEM_BASE}not-found`, title: 'Not found', status: 404, detail: 'route not found' },
  },
  Throttled: {
    type: apigateway.ResponseType.THROTTLED,
    statusCode: '429',
    body: { type: `${PROBLEM_BASE}too-many-requests`, title: 'Too many requests', status: 429, detail: 'the request rate for this route is over its limit: try again shortly' },
    headers: { 'Retry-After': "'1'" },
  },
  Default4xx: {
    type: apigateway.ResponseType.DEFAULT_4XX,
    body: { type: `${PROBLEM_BASE}refused-by-gateway`, title: 'Refused by the API gateway', detail: 'the request was refused before it reached the service', gatewayError: GATEWAY_ERROR },
  },
  Default5xx: {
    type: apigateway.ResponseType.DEFAULT_5XX,
    body: { type: `${PROBLEM_BASE}gateway-error`, title: 'Gateway error', detail: 'the service did not answer properly: try again later', gatewayError: GATEWAY_ERROR },
  },
};

/** Adds the gateway problems to a REST API (each redeploys the stage when it changes). */
export function addGatewayProblems(api: apigateway.RestApi): void {
  for (const [id, problem] of Object.entries(GATEWAY_PROBLEMS)) {
    api.addGatewayResponse(id, {
      type: problem.type,
      ...(problem.statusCode ? { statusCode: problem.statusCode } : {}),
      responseHeaders: { ...PROBLEM_HEADERS, ...problem.headers },
      // `$context.error.responseType` is substituted bare, so inside its JSON quotes it makes a string.
      templates: { 'application/json': JSON.stringify(problem.body) },
    });
  }
}
