import { fileURLToPath } from 'node:url';

/**
 * The handler of the function in `functions/<name>/` and the service name its logs and metrics
 * carry, for `Platform.function`.
 */
export function handler(name: string): { entry: string; serviceName: string } {
  return { entry: fileURLToPath(new URL(`../../functions/${name}/handler.ts`, import.meta.url)), serviceName: name };
}
