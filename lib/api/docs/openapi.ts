import * as z from 'zod/mini';
import { jsonSchemaOf, type Route } from '#lib/http';

/**
 * The manager API as OpenAPI 3.1, generated from the route table: every
 * method and path, the roles that may call it (`x-roles`, and in words), its
 * path, query and body schemas, its answer's schema (and the narrower views
 * some roles get, `x-role-views`), its other representations (CSV, HTML,
 * PDF), and the problem+json answers. zod's JSON Schema (draft 2020-12) is
 * OpenAPI 3.1's own dialect, so schemas go in as generated.
 * `npm run docs:api` writes docs/openapi.json; the API serves the same at
 * `GET /api/openapi.json`.
 */

type Json = Record<string, unknown>;

const MEDIA: Record<string, string> = { csv: 'text/csv', html: 'text/html', pdf: 'application/pdf' };

/** A schema as it sits inside the document: no `$schema` of its own (the document's dialect applies). */
function embedded(schema: z.ZodMiniType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = jsonSchemaOf(schema, io) as Json;
  return rest;
}

function operationId(route: Route<unknown>): string {
  const words = route.path
    .replace(/^\/api\//, '')
    .replace(/\.(csv|html|pdf|json)$/, ' as $1')
    .split(/[/{}.\s-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return `${route.method.toLowerCase()}${words.join('')}`;
}

function parameters(route: Route<unknown>): Json[] {
  const of = (schema: z.ZodMiniType | undefined, where: 'path' | 'query'): Json[] => {
    if (!schema) return [];
    const json = embedded(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: property,
    }));
  };
  const formats = Object.keys(route.renderAs ?? {});
  const format = formats.length > 0 && !route.representation ? [{ name: 'format', in: 'query', required: false, description: 'Another representation of the same answer (or send Accept).', schema: { type: 'string', enum: ['json', ...formats] } }] : [];
  return [...of(route.params, 'path'), ...of(route.query, 'query'), ...format];
}

const PROBLEM_STATUSES: Record<string, string> = {
  '400': 'Invalid request: each failing field named with its rule (`errors`); nothing written',
  '401': 'No bearer token, or one that is not accepted (WWW-Authenticate says why)',
  '403': 'The token lacks one of the roles this operation needs, or the decision is not this caller\'s to make',
  '404': 'Not found (the problem never echoes the id asked for)',
  '409': 'The state of things refuses the request; the problem type names why',
  '503': 'Temporarily unavailable: retry after Retry-After seconds',
};

function responses(route: Route<unknown>): Json {
  const status = String(route.status ?? 200);
  const json = embedded(route.response, 'output');
  const content: Json = {};
  if (!route.representation) content['application/json'] = { schema: json };
  for (const kind of Object.keys(route.renderAs ?? {})) content[MEDIA[kind]!] = { schema: kind === 'pdf' ? { type: 'string', contentMediaType: 'application/pdf' } : { type: 'string' } };
  const problems = Object.fromEntries(
    Object.keys(PROBLEM_STATUSES)
      .filter((code) => (code !== '409' || route.method !== 'GET') && (code !== '400' || route.params || route.query || route.body || route.method !== 'GET'))
      .map((code) => [code, { $ref: `#/components/responses/Problem${code}` }]),
  );
  return { [status]: { description: 'Answered', content }, ...problems };
}

function operation(route: Route<unknown>): Json {
  const views = Object.fromEntries((route.narrower ?? []).map((view) => [view.name, { roles: view.roles, schema: embedded(view.schema, 'output') }]));
  return {
    operationId: operationId(route),
    summary: `${route.method} ${route.path}`,
    description: `Roles: ${route.roles.join(', ')}.${route.narrower?.length ? ` Narrower answers (least data per role): ${route.narrower.map((v) => `${v.roles.join(', ')} get the "${v.name}" view`).join('; ')}; see x-role-views and docs/roles-and-fields.md.` : ''}`,
    tags: [route.path.split('/')[2]!],
    'x-roles': route.roles,
    ...(route.narrower?.length ? { 'x-role-views': views } : {}),
    security: [{ bearer: [] }],
    parameters: parameters(route),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: embedded(route.body, 'input') } } } } : {}),
    responses: responses(route),
  };
}

const Problem = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'rule', 'message'], properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

export function openApiDocument(routes: readonly Route<unknown>[]): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cared For manager API',
      version: '1',
      description:
        'Placements, invoicing, Section 17, ledger and KPIs for the council\'s staff. Generated from the route table (lib/api/routes); see docs/manager-api.md. Every answer carries Cache-Control: no-store, X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer.',
    },
    servers: [{ url: '/', description: 'The API Gateway stage (ManagerApiUrl without /api), or npm start\'s gateway' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An OIDC access token from the council\'s identity provider (Microsoft Entra ID v2.0): RS256 with a kid, ver 2.0 and azp, at most a day old; roles in the roles claim.',
        },
      },
      schemas: { Problem },
      responses: Object.fromEntries(
        Object.entries(PROBLEM_STATUSES).map(([code, description]) => [
          `Problem${code}`,
          { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        ]),
      ),
    },
  };
}
