/** The manager API of a browser test's stack, called as a role with the dev issuer's token (for setting the scene). */
import type { LocalStack } from '#infra/local/runner';
import type { Role } from '#lib/auth/roles';

export async function callApi(stack: LocalStack, role: Role, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.info.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.info.auth!.tokens[role]!}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: type.includes('json') ? await response.json() : await response.text() };
}
