import * as z from '#lib/validation';
import { ALL_ROLES } from '#lib/auth';
import type { Route } from '#lib/http';
import { openApiDocument } from '#lib/api/docs/openapi';
import { apiRoute } from '#lib/api/services';

/**
 * The OpenAPI 3.1 description of this API (the same as docs/openapi.json), for anyone with a token:
 * the route that serves the description of `others` and of itself.
 */
export function openApiRoutes(others: readonly Route<unknown>[]): readonly Route<unknown>[] {
  let document: Record<string, unknown> | undefined;
  const routes: Route<unknown>[] = [
    apiRoute({
      method: 'GET',
      path: '/api/openapi.json',
      roles: ALL_ROLES,
      response: z.looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }),
      async handle() {
        document ??= openApiDocument([...others, ...routes]);
        return document as { openapi: '3.1.0'; paths: Record<string, unknown> };
      },
    }) as Route<unknown>,
  ];
  return routes;
}
