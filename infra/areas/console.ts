import { Duration, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { CaredForFunction } from '#infra/constructs/cared-for-function';
import type { DataTable } from '#infra/constructs/data-table';
import { useReadableLogicalId } from '#infra/constructs/readable-logical-id';
import { ENV } from '#lib/config';
import { ASSET_FILES, BUNDLED_ASSETS_DIR } from '#lib/console/assets';
import type { IntakeArea } from './intake';
import type { InvoicingArea } from './invoicing';
import type { LedgerArea } from './ledger';
import { PLACEHOLDER_IDENTITY_PROVIDER, type ManagerApiArea, type ManagerIdentityProvider } from './manager-api';
import type { Platform } from './platform';
import type { Section17Area } from './section17';
import type { VoidBedsArea } from './void-beds';

/** The console's pages: `/console` and everything under it, on the same API (same origin) as /api. */
export const CONSOLE_PATHS = ['/console', '/console/{proxy+}'] as const;

export interface ConsoleSignIn {
  /** The console's application (client) id at the identity provider; ID tokens are issued for it. */
  readonly clientId: string;
  /** e.g. `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/authorize` */
  readonly authorizationUrl: string;
  /** e.g. `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token` */
  readonly tokenUrl: string;
  /**
   * Where sign-out also ends the provider's session, e.g. `…/oauth2/v2.0/logout`.
   * @default - sign-out ends the console's session only
   */
  readonly endSessionUrl?: string;
}

/** Fails closed like the placeholder identity provider: no real app registration has this client id. */
export const PLACEHOLDER_CONSOLE_SIGN_IN: ConsoleSignIn = {
  clientId: '00000000-0000-0000-0000-000000000000',
  authorizationUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/authorize',
  tokenUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token',
  endSessionUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/oauth2/v2.0/logout',
};

export interface ConsoleAreaProps {
  readonly platform: Platform;
  readonly intake: IntakeArea;
  readonly managerApi: ManagerApiArea;
  readonly section17: Section17Area;
  readonly ledger: LedgerArea;
  readonly invoicing: InvoicingArea;
  readonly voidBeds: VoidBedsArea;
  /** The identity provider's issuer and keys: the manager API's. @default PLACEHOLDER_IDENTITY_PROVIDER */
  readonly identityProvider?: ManagerIdentityProvider;
  /** @default PLACEHOLDER_CONSOLE_SIGN_IN */
  readonly signIn?: ConsoleSignIn;
  /** Minutes without a request before a session ends. @default 30 */
  readonly idleMinutes?: number;
  /** Hours from sign-in before a session ends. @default 10 */
  readonly absoluteHours?: number;
}

/** The console's static files, copied beside its bundle (lib/console/assets.ts reads them there): source → path in the bundle's directory. */
export function consoleAssetFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const own = (name: string) => fileURLToPath(new URL(`../../lib/console/static/${name}`, import.meta.url));
  return {
    [require.resolve(ASSET_FILES.govukCss.package)]: `${BUNDLED_ASSETS_DIR}/${ASSET_FILES.govukCss.file}`,
    [require.resolve(ASSET_FILES.govukJs.package)]: `${BUNDLED_ASSETS_DIR}/${ASSET_FILES.govukJs.file}`,
    [own(ASSET_FILES.consoleCss.own)]: `${BUNDLED_ASSETS_DIR}/${ASSET_FILES.consoleCss.file}`,
    [own(ASSET_FILES.favicon.own)]: `${BUNDLED_ASSETS_DIR}/${ASSET_FILES.favicon.file}`,
  };
}

/**
 * The console: the web pages staff use, served by one function behind the same REST API as /api
 * (so the same origin, and nothing new for LocalStack or the local runner). It signs people in
 * with the council's identity provider (authorization code + PKCE; a confidential client whose
 * secret is in Secrets Manager), keeps sessions in its own table (TTL), and calls the manager API's
 * services in process, so it has the api function's grants (tests/infra/console.test.ts keeps them
 * equal), plus its sessions, its secret and reading the void-bed alerts it lists.
 */
export class ConsoleArea {
  /** pk SESSION#<sha256 of the cookie id> or SIGNIN#<…> (sk SESSION or SIGNIN); `expiresAt` for DynamoDB TTL. */
  public readonly sessionsTable: DataTable;
  public readonly clientSecret: secretsmanager.Secret;
  public readonly function: CaredForFunction;

  constructor(scope: Construct, props: ConsoleAreaProps) {
    const { platform, intake, managerApi, section17, ledger, invoicing, voidBeds } = props;
    const identityProvider = props.identityProvider ?? PLACEHOLDER_IDENTITY_PROVIDER;
    const signIn = props.signIn ?? PLACEHOLDER_CONSOLE_SIGN_IN;
    this.sessionsTable = platform.table('SessionsTable', { timeToLiveAttribute: 'expiresAt' });

    this.clientSecret = new secretsmanager.Secret(scope, 'ConsoleClientSecret', {
      description: "The console's client secret at the council's identity provider (its app registration)",
      encryptionKey: platform.key,
    });
    useReadableLogicalId(this.clientSecret, 'ConsoleClientSecret');
    Validations.of(this.clientSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The value is issued by the council's identity provider (a client secret of the console's app registration), " +
        'not generated by us: it is rotated there, and the new value put here before the old one expires.',
    });

    this.function = platform.function('ConsoleFunction', 'console', {
      description: "Console: the staff's web pages (sign-in, sessions, pages calling the manager API's services)",
      timeout: Duration.seconds(15),
      // Rendering the board and the KPIs from a year of data is CPU-bound; CPU grows with memory.
      memorySize: 1024,
      bundledFiles: consoleAssetFiles(),
      // Staff pages for tens of people; ten renders at once, and a flood of page requests cannot take
      // the account's concurrency from intake or the api function.
      reservedConcurrentExecutions: 10,
    })
      // The manager API's services: the api function's grants, from each area that adds routes.
      .useTable(managerApi.estateTable, ENV.estateTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'], {
        indexes: ['byKind'],
      })
      .useTable(intake.referralsTable, ENV.referralsTable, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], { indexes: ['byStatus'] })
      // DeleteItem: a decision's notices for the regional inbox leave the outbox once handed to the deliveries queue.
      .useTable(managerApi.placementsTable, ENV.placementsTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], {
        indexes: ['byReferral', 'byBed'],
      })
      .useTable(section17.table, ENV.section17Table, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], { indexes: ['byStatus'] })
      .useTable(ledger.table, ENV.ledgerTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byPeriod'] })
      .useTable(invoicing.invoicesTable, ENV.invoicesTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['byCouncil', 'byRun'] })
      .sendTo(ledger.postingsQueue, ENV.ledgerPostingsQueueUrl)
      .sendTo(invoicing.jobsQueue, ENV.invoiceJobsQueueUrl)
      .sendTo(voidBeds.checksQueue, ENV.voidBedChecksQueueUrl)
      // Its own: sessions, the alerts the void-bed monitor sent (read only), its client secret.
      .useTable(this.sessionsTable, ENV.sessionsTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'])
      .useTable(voidBeds.alertsTable, ENV.voidBedAlertsTable, ['dynamodb:GetItem', 'dynamodb:Query'], { indexes: ['bySentMonth'] })
      .readSecret(this.clientSecret, ENV.oidcClientSecretArn)
      .withEnvironment({
        [ENV.oidcIssuer]: identityProvider.issuer,
        [ENV.oidcAudience]: identityProvider.audience,
        [ENV.oidcJwksUrl]: identityProvider.jwksUrl,
        [ENV.oidcAuthorizationUrl]: signIn.authorizationUrl,
        [ENV.oidcTokenUrl]: signIn.tokenUrl,
        ...(signIn.endSessionUrl ? { [ENV.oidcEndSessionUrl]: signIn.endSessionUrl } : {}),
        [ENV.oidcClientId]: signIn.clientId,
        [ENV.consoleIdleMinutes]: String(props.idleMinutes ?? 30),
        [ENV.consoleAbsoluteHours]: String(props.absoluteHours ?? 10),
      });

    for (const path of CONSOLE_PATHS) {
      for (const method of ['GET', 'POST'] as const) {
        platform.api.addRoute(method, path, this.function.function, {
          authenticatedInFunction:
            "Staff sign in with the council's identity provider (OIDC authorization code with PKCE, ID token verified " +
            'against its JWKS); the function keeps a server-side session behind an httpOnly, Secure, SameSite=Lax ' +
            '__Host- cookie, checks a CSRF token on every form, and each page requires one of its roles (403 page otherwise). ' +
            'Unauthenticated requests are sent to sign in.',
        });
      }
    }
    platform.outputs({ ConsoleUrl: platform.api.urlForPath('/console/'), SessionsTableName: this.sessionsTable.table.tableName });
  }
}
