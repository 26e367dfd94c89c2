import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { consoleConfigSchema, parseConfig } from '#lib/config';
import { buildConsole, consoleRequest, proxyResult } from '#lib/console/runtime';

const config = parseConfig(consoleConfigSchema);
const logger = new Logger({ serviceName: 'console' });
const metrics = new Metrics({ namespace: 'CaredFor', serviceName: 'console' });
const app = buildConsole(config, (error, where) => logger.error('console failure', { where, error: error as Error }));

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const request = consoleRequest(event);
    const response = await (await app).handle(request);
    // The resource template only: paths hold children's and documents' ids.
    logger.info('page served', { resource: event.resource, method: event.httpMethod, status: response.status });
    metrics.addDimension('StatusClass', `${Math.floor(response.status / 100)}xx`);
    metrics.addMetric('ConsoleRequests', MetricUnit.Count, 1);
    return proxyResult(response);
  });
