import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { managerApiServices } from '#lib/api/manager-api';
import { remoteKeys } from '#lib/auth/token-verifier';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import type { ConsoleConfig } from '#lib/config';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { SqsDeliveryRequests } from '#lib/outbound/sqs-delivery-requests';
import { SqsInvoiceJobs } from '#lib/invoicing/sqs-invoice-jobs';
import { SqsJournalPublisher } from '#lib/ledger/sqs-journal-publisher';
import { SqsVoidBedChecks } from '#lib/void-beds/sqs-void-bed-checks';
import { ConsoleApp } from '#lib/console/app';
import { loadAssets } from '#lib/console/assets';
import { OidcClient } from '#lib/console/auth/oidc-client';
import { dynamoConsoleReads } from '#lib/console/dynamo-reads';
import { parseCookies, type ConsoleRequest, type ConsoleResponse } from '#lib/console/http';
import { InProcessApi } from '#lib/console/in-process-api';
import { consolePages } from '#lib/console/pages/index';
import { DynamoSessionStore } from '#lib/console/session/dynamo-session-store';

/**
 * The console as the Lambda runs it: the API's services over the stack's
 * tables and queues (lib/api/manager-api.ts, the same as the api function's),
 * the sessions table, the identity provider, and the mapping between API
 * Gateway's proxy events and the console's requests.
 */

export type OnError = (error: unknown, where: string) => void;

export async function buildConsole(config: ConsoleConfig, onError: OnError): Promise<ConsoleApp> {
  const db = documentClient();
  const sqs = sqsClient();
  const { api } = config;
  const services = managerApiServices(
    db,
    { estate: api.estateTable, referrals: api.referralsTable, placements: api.placementsTable, section17: api.section17Table, ledger: api.ledgerTable, invoices: api.invoicesTable, deliveries: api.deliveriesTable, payments: api.paymentsTable },
    {
      ledgerPostings: new SqsJournalPublisher(sqs, api.ledgerPostingsQueueUrl),
      invoiceJobs: new SqsInvoiceJobs(sqs, api.invoiceJobsQueueUrl),
      deliveries: new SqsDeliveryRequests(sqs, api.deliveriesQueueUrl),
      voidBedChecks: new SqsVoidBedChecks(sqs, api.voidBedChecksQueueUrl, (error) => onError(error, 'void-bed check not queued; the daily check will find the bed')),
    },
    stackClock,
  );
  const { signIn } = config;
  const clientSecret = signIn.clientSecret ?? (signIn.clientSecretArn ? await getSecret(signIn.clientSecretArn, { maxAge: 300 }) : undefined);
  if (clientSecret !== undefined && typeof clientSecret !== 'string') throw new Error('the console client secret is not text');
  const oidc = new OidcClient({ ...signIn, clientSecret, clock: stackClock }, remoteKeys(signIn.jwksUrl));
  return new ConsoleApp({
    pages: consolePages,
    sessions: new DynamoSessionStore(db, config.sessionsTable),
    oidc,
    api: new InProcessApi(services, (error, route) => onError(error, route)),
    reads: dynamoConsoleReads({ db, estate: new DynamoEstateStore(db, api.estateTable), estateTable: api.estateTable, alertsTable: config.voidBedAlertsTable }),
    assets: loadAssets(),
    clock: stackClock,
    timeouts: config.timeouts,
    onError,
  });
}

/** Where the console sits under the stage: `/console` in the resource tree. */
export const CONSOLE_PREFIX = '/console';

export function consoleRequest(event: APIGatewayProxyEvent): ConsoleRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  // The stage (or a custom domain's base path) is what requestContext.path has before the resource path.
  const fullPath = event.requestContext?.path ?? event.path;
  const stagePrefix = fullPath.endsWith(event.path) ? fullPath.slice(0, fullPath.length - event.path.length) : '';
  const path = event.path.startsWith(CONSOLE_PREFIX) ? event.path.slice(CONSOLE_PREFIX.length) || '/' : '/';
  const host = headers.host ?? 'localhost';
  const scheme = headers['x-forwarded-proto']?.split(',')[0]?.trim() ?? 'http';
  const query: Record<string, string | undefined> = { ...(event.queryStringParameters ?? {}) };
  return {
    method: event.httpMethod,
    path,
    query,
    headers,
    cookies: parseCookies(headers.cookie),
    body: event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body,
    base: `${stagePrefix}${CONSOLE_PREFIX}`,
    origin: `${scheme}://${host}`,
  };
}

export function proxyResult(response: ConsoleResponse): APIGatewayProxyResult {
  return {
    statusCode: response.status,
    headers: response.headers,
    ...(response.cookies.length > 0 ? { multiValueHeaders: { 'set-cookie': response.cookies } } : {}),
    body: response.body,
    ...(response.isBase64Encoded ? { isBase64Encoded: true } : {}),
  };
}
