import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileErrors, validate } from '@readme/openapi-parser';
import { openApiDocument } from '#lib/api/docs/openapi';
import { OPENAPI_FILE } from '#lib/api/docs/write';
import { managerRoutes } from '#lib/api/routes/index';
import type { Route } from '#lib/http/router';

/** docs/openapi.json: generated from the route table, valid OpenAPI 3.1 by a well-kept parser, with every route and its roles. */

const routes = managerRoutes as readonly Route<unknown>[];
const published = () => JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (@readme/openapi-parser: the 3.1 schema, then its own checks of refs, parameters and operation ids)', async () => {
    const result = await validate(published());
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(published().openapi).toBe('3.1.0');
  });

  it(`has every route of the table (${routes.length}), each with its roles, parameters, body and answer`, () => {
    const doc = published();
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      expect(op['x-roles'], `${route.method} ${route.path}`).toEqual([...route.roles]);
      expect(op.parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name)).toEqual([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
      expect(op.requestBody !== undefined).toBe(route.body !== undefined);
      expect(Object.keys(op.responses)).toContain(String(route.status ?? 200));
      if (route.narrower?.length) expect(Object.keys(op['x-role-views'])).toEqual(route.narrower.map((v) => v.name));
    }
  });

  it('is what the route table generates now (run `npm run docs:api` after changing a route)', () => {
    expect(published()).toEqual(JSON.parse(JSON.stringify(openApiDocument(routes))));
  });
});
