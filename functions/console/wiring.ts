import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { managerApiQueues, managerApiServices, managerApiTables } from '#functions/api/wiring';
import { remoteKeys } from '#lib/auth/token-verifier';
import { documentClient, sqsClient } from '#lib/aws/clients';
import { stackClock } from '#lib/stack-clock';
import type { ConsoleConfig } from '#lib/config';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { ConsoleApp, consolePages, InProcessApi, loadAssets, OidcClient } from '#lib/console';
import { dynamoConsoleReads } from '#lib/console/dynamo-reads';
import { DynamoSessionStore } from '#lib/console/session/dynamo-session-store';

/**
 * The console function's composition root: the API's services over the stack's tables and queues
 * (functions/api/wiring.ts, the same as the api function's), the sessions table, the console's
 * reads and the identity provider.
 */

export type OnError = (error: unknown, where: string) => void;

export async function buildConsole(config: ConsoleConfig, onError: OnError): Promise<ConsoleApp> {
  const db = documentClient();
  const sqs = sqsClient();
  const { api } = config;
  const services = managerApiServices(
    db,
    managerApiTables(api),
    managerApiQueues(sqs, api, (error) => onError(error, 'void-bed check not queued; the daily check will find the bed')),
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
