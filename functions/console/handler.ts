import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { consoleConfigSchema } from '#lib/config';
import { consoleRequest, proxyResult } from '#lib/console';
import { buildConsole } from './wiring';
import { functionKit } from '#functions/kit/index';

const kit = functionKit('console', consoleConfigSchema);
const { logger, metrics } = kit;
const app = buildConsole(kit.config, (error, where) => logger.error('console failure', { where, error: error as Error }));

/**
 * The console's pages. Not the kit's httpFunction: a page answers with HTML and cookies
 * (several Set-Cookie headers), and sets its own security headers (lib/console/security).
 */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const response = await (await app).handle(consoleRequest(event));
    // The resource template only: paths hold children's and documents' ids.
    logger.info('page served', { resource: event.resource, method: event.httpMethod, status: response.status });
    metrics.addDimension('StatusClass', `${Math.floor(response.status / 100)}xx`);
    metrics.addMetric('ConsoleRequests', MetricUnit.Count, 1);
    return proxyResult(response);
  });
