import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type * as z from 'zod/mini';
import { parseConfig } from '#lib/config';

/**
 * What every function shares, made once per container (cold start): its
 * configuration, parsed from the environment (a missing variable fails the
 * cold start, not the hundredth request), and its Powertools logger and
 * metrics. Logs and metrics carry ids, counts and outcomes only: never a
 * child's name, date of birth or notes.
 */
export interface FunctionKit<C> {
  service: string;
  config: C;
  logger: Logger;
  metrics: Metrics;
}

export const METRICS_NAMESPACE = 'CaredFor';

export function functionKit<S extends z.ZodMiniType>(service: string, configSchema: S, env: NodeJS.ProcessEnv = process.env): FunctionKit<z.output<S>> {
  return {
    service,
    config: parseConfig(configSchema, env),
    logger: new Logger({ serviceName: service }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service }),
  };
}
