import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { isExpected } from '#lib/api/problems';
import { ManagerApi, managerApiServices } from '#lib/api/manager-api';
import { createTokenVerifier } from '#lib/auth/token-verifier';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { SqsJournalPublisher } from '#lib/ledger/sqs-journal-publisher';
import { SqsInvoiceJobs } from '#lib/invoicing/sqs-invoice-jobs';
import { SqsVoidBedChecks } from '#lib/void-beds/sqs-void-bed-checks';
import { systemClock } from '#lib/clock';
import { apiConfigSchema, parseConfig } from '#lib/config';
import type { ApiRequest } from '#lib/http/router';

const config = parseConfig(apiConfigSchema);
const logger = new Logger({ serviceName: 'api' });
const metrics = new Metrics({ namespace: 'CaredFor', serviceName: 'api' });
const sqs = sqsClient();
const api = new ManagerApi(
  createTokenVerifier(config.oidc),
  managerApiServices(
    documentClient(),
    {
      estate: config.estateTable,
      referrals: config.referralsTable,
      placements: config.placementsTable,
      section17: config.section17Table,
      ledger: config.ledgerTable,
      invoices: config.invoicesTable,
    },
    {
      ledgerPostings: new SqsJournalPublisher(sqs, config.ledgerPostingsQueueUrl),
      invoiceJobs: new SqsInvoiceJobs(sqs, config.invoiceJobsQueueUrl),
      // Best effort after the decision is committed: the daily void-bed check is the safety net.
      voidBedChecks: new SqsVoidBedChecks(sqs, config.voidBedChecksQueueUrl, (error, check) =>
        logger.warn('void-bed check not queued; the daily check will find the bed', { placementId: check.placementId, bedIds: check.bedIds, error: error as Error }),
      ),
    },
    systemClock,
  ),
);

/** The request as the API sees it: lower-cased headers, the path under /api, the body as text. */
function apiRequest(event: APIGatewayProxyEvent): ApiRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const proxy = event.pathParameters?.proxy;
  return {
    method: event.httpMethod,
    path: proxy === undefined ? event.path : `/api/${proxy}`,
    headers,
    query: event.queryStringParameters ?? {},
    body: event.body === null ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body,
  };
}

export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const { response, caller, route, error } = await api.handle(apiRequest(event));
    // The route template and the caller's staff id only: paths and bodies carry children's ids and data.
    const entry = { route, status: response.statusCode, subject: caller?.subject };
    if (error !== undefined && !isExpected(error)) logger.error('request failed', { ...entry, error: error as Error });
    else logger.info('request handled', entry);
    metrics.addDimension('StatusClass', `${Math.floor(response.statusCode / 100)}xx`);
    metrics.addMetric('ManagerApiRequests', MetricUnit.Count, 1);
    return response;
  });
