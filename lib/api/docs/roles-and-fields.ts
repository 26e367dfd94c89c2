import { ALL_ROLES, type Role } from '#lib/auth';
import { fieldPaths, responseSchemaFor, type Route } from '#lib/http';
import { ROW_RULES } from '#lib/api/access';
import { managerRoutes } from '#lib/api/routes/index';

/**
 * docs/roles-and-fields.md, generated from the route table: who may call
 * each route, which view of its answer each role gets, and field by field
 * what the narrower views leave out. `npm run docs:api` rewrites it; a test
 * fails when it differs from what the routes say.
 */

const key = (route: Route<unknown>) => `${route.method} ${route.path}`;

function cell(route: Route<unknown>, role: Role): string {
  if (!route.roles.includes(role)) return '—';
  const view = responseSchemaFor(route, [role]);
  const own = ROW_RULES.some((r) => r.roles?.includes(role) && r.routes.includes(key(route)));
  return `${view.name === 'full' ? '✓' : view.name}${own ? ' (own)' : ''}`;
}

export function rolesAndFieldsMarkdown(routes: readonly Route<unknown>[] = managerRoutes as readonly Route<unknown>[]): string {
  const header = `| route | ${ALL_ROLES.join(' | ')} |\n|---|${ALL_ROLES.map(() => ':-:').join('|')}|`;
  const rows = routes.map((route) => `| \`${key(route)}\` | ${ALL_ROLES.map((role) => cell(route, role)).join(' | ')} |`);

  const narrowed = routes.filter((route) => (route.narrower ?? []).length > 0);
  const fieldTables = narrowed.map((route) => {
    const callers = ALL_ROLES.filter((role) => route.roles.includes(role));
    const allowed = new Map(callers.map((role) => [role, new Set(fieldPaths(responseSchemaFor(route, [role]).schema))]));
    const lines = fieldPaths(route.response).map((field) => `| \`${field}\` | ${callers.map((role) => (allowed.get(role)!.has(field) ? '✓' : '—')).join(' | ')} |`);
    return [`### \`${key(route)}\``, '', `| field | ${callers.join(' | ')} |`, `|---|${callers.map(() => ':-:').join('|')}|`, ...lines, ''].join('\n');
  });

  const rowRules = ROW_RULES.map((r) => `- ${r.routes.map((x) => `\`${x}\``).join(', ')}: ${r.rule}.`);

  return [
    '# Roles and fields',
    '',
    '<!-- Generated from the route table by `npm run docs:api`: do not edit by hand. -->',
    '',
    'Least data per role. The roles come from the token\'s `roles` claim (Entra app roles); a caller',
    'with several roles gets the widest view any of them allows. Enforced in the router: every answer is',
    'parsed with the caller\'s view schema before it is sent, and a view is an allow-list, so a field it',
    'does not name never leaves (`lib/http/router.ts` `responseSchemaFor`, views in `lib/api/routes/`).',
    '',
    '## Who may call what',
    '',
    '`✓` the whole answer (every field of the route\'s response in [openapi.json](openapi.json)); a name: that',
    'narrower view (its fields below); `(own)`: only some records (below); `—` refused with `403`.',
    '',
    header,
    ...rows,
    '',
    '## Fields that differ by role',
    '',
    'Every field of the answer, for the routes whose views differ by role (`—`: left out for that role).',
    '',
    ...fieldTables,
    '## Records a role sees',
    '',
    ...rowRules,
    '',
  ].join('\n');
}
