import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The handler of the function in `functions/<name>/` and the service name its logs and metrics
 * carry, for `Platform.function`.
 */
export function handler(name: string): { entry: string; serviceName: string } {
  return { entry: fileURLToPath(new URL(`../../functions/${name}/handler.ts`, import.meta.url)), serviceName: name };
}

/** Every function's handler (`functions/<name>/handler.ts`), to bundle them all at once ahead of a local synthesis. */
export function handlerEntries(): string[] {
  const functions = fileURLToPath(new URL('../../functions/', import.meta.url));
  return readdirSync(functions, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${functions}${d.name}/handler.ts`))
    .map((d) => handler(d.name).entry);
}
