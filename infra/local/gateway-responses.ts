/**
 * What the local gateway answers itself (no route, too large, the function failed or timed out),
 * shaped by the template's `AWS::ApiGateway::GatewayResponse`s as API Gateway shapes its own: the
 * response for the type, else DEFAULT_4XX or DEFAULT_5XX by the status's class, else API Gateway's
 * built-in `{"message": …}`. Read from the template, so the local answers cannot drift from AWS's.
 */
import { referencedIds, resourcesOfType, UnsupportedResourceError, type CfnTemplate } from './template';

/** The response types the local gateway produces, with API Gateway's status and message for each. */
export const LOCAL_GATEWAY_ERRORS = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: undefined },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: undefined },
  // A function that failed, or answered something that is not a proxy response: DEFAULT_5XX's 502.
  DEFAULT_5XX: { status: 502, message: 'Internal server error', errorType: undefined },
} as const;

export type LocalGatewayError = keyof typeof LOCAL_GATEWAY_ERRORS;

export interface GatewayResponseSpec {
  statusCode?: number;
  /** Static header values (`'value'` in the template). */
  headers: Record<string, string>;
  /** The `application/json` template. */
  template?: string;
}

/** Gateway responses by response type. */
export type GatewayResponses = Readonly<Record<string, GatewayResponseSpec>>;

/** The `$context` variables a template may use locally, and what each gives. */
const VARIABLES: Record<string, (e: { type: string; message: string; requestId: string }) => string> = {
  '$context.error.messageString': (e) => JSON.stringify(e.message),
  '$context.error.message': (e) => e.message,
  '$context.error.responseType': (e) => e.type,
  '$context.requestId': (e) => e.requestId,
};
const VARIABLE = /\$context\.[A-Za-z.]+/g;

/** The gateway responses of one REST API. */
export function readGatewayResponses(template: CfnTemplate, apiLogicalId: string): GatewayResponses {
  const out: Record<string, GatewayResponseSpec> = {};
  for (const [logicalId, r] of resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse')) {
    const p = r.Properties ?? {};
    if (!referencedIds(p.RestApiId).includes(apiLogicalId)) continue;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((p.ResponseParameters ?? {}) as Record<string, unknown>)) {
      const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
      const literal = /^'(.*)'$/s.exec(String(value))?.[1];
      if (!name || literal === undefined) throw new UnsupportedResourceError(logicalId, r.Type, `only static header values are answered locally, not ${key}: ${String(value)}`);
      headers[name] = literal;
    }
    const templates = (p.ResponseTemplates ?? {}) as Record<string, string>;
    const json = templates['application/json'];
    for (const variable of json?.match(VARIABLE) ?? []) {
      if (!(variable in VARIABLES)) throw new UnsupportedResourceError(logicalId, r.Type, `${variable} is not substituted locally (only ${Object.keys(VARIABLES).join(', ')})`);
    }
    out[String(p.ResponseType)] = { ...(p.StatusCode !== undefined ? { statusCode: Number(p.StatusCode) } : {}), headers, ...(json !== undefined ? { template: json } : {}) };
  }
  return out;
}

export interface GatewayAnswer {
  statusCode: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** API Gateway's own answer of `type`, as the API's gateway responses shape it. */
export function gatewayAnswer(responses: GatewayResponses, type: LocalGatewayError, requestId: string): GatewayAnswer {
  const { status, message, errorType } = LOCAL_GATEWAY_ERRORS[type];
  const response = responses[type] ?? responses[status < 500 ? 'DEFAULT_4XX' : 'DEFAULT_5XX'];
  const headers: Array<[string, string]> = [['x-amzn-RequestId', requestId], ...(errorType ? ([['x-amzn-ErrorType', errorType]] as Array<[string, string]>) : [])];
  if (!response) {
    return { statusCode: status, headers: [['content-type', 'application/json'], ...headers], body: Buffer.from(JSON.stringify({ message })) };
  }
  const body = (response.template ?? JSON.stringify({ message })).replace(VARIABLE, (variable) => VARIABLES[variable]?.({ type, message, requestId }) ?? '');
  const contentType = Object.keys(response.headers).some((h) => h.toLowerCase() === 'content-type') ? [] : ([['content-type', 'application/json']] as Array<[string, string]>);
  return { statusCode: response.statusCode ?? status, headers: [...contentType, ...Object.entries(response.headers), ...headers], body: Buffer.from(body) };
}
