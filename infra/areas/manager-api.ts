import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CaredForFunction } from '#infra/constructs/cared-for-function';
import type { DataTable } from '#infra/constructs/data-table';
import type { RouteThrottle } from '#infra/constructs/public-api';
import { ENV } from '#lib/config';
import type { IntakeArea } from './intake';
import type { Platform } from './platform';

export interface ManagerIdentityProvider {
  /** The `iss` claim every token must carry. */
  readonly issuer: string;
  /** The `aud` claim every token must carry (this API's application id URI or client id). */
  readonly audience: string;
  /** Where the issuer publishes its signing keys. */
  readonly jwksUrl: string;
}

/** Fails closed: no real token carries this issuer, so nothing is authorised until the council's IdP is configured. */
export const PLACEHOLDER_IDENTITY_PROVIDER: ManagerIdentityProvider = {
  issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
  audience: 'api://cared-for',
  jwksUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/discovery/v2.0/keys',
};

/** The manager API's routes: every method under this prefix goes to the api function, which routes and authenticates. */
export const MANAGER_API_PATH = '/api/{proxy+}';

/** Each /api method's limit: staff pages and tools, far under this; a flood is held here, apart from the webhook's. */
export const MANAGER_API_THROTTLE: RouteThrottle = { rateLimit: 50, burstLimit: 100 };

export interface ManagerApiAreaProps {
  readonly platform: Platform;
  readonly intake: IntakeArea;
  /** @default PLACEHOLDER_IDENTITY_PROVIDER */
  readonly identityProvider?: ManagerIdentityProvider;
}

/**
 * The manager API: the estate (homes, beds and their calendars), offers and placements with their
 * decisions, and the api function that serves every `/api` route to OIDC-authenticated staff.
 * The api function is one for all areas: each area that adds routes grants it, in its own file,
 * exactly what those routes use (`managerApi.function.useTable(...)`).
 */
export class ManagerApiArea {
  /** Homes (pk HOME#<id>, sk PROFILE) and their calendars (sk CALENDAR); byKind lists every profile or calendar in one query. */
  public readonly estateTable: DataTable;
  /**
   * Offers and placements with their decisions; a referral's offers and placements (byReferral), a council's
   * placements (byPlacingAuthority, invoicing), a bed's placements (byBed, void nights). See lib/placements/placement-keys.ts.
   */
  public readonly placementsTable: DataTable;
  public readonly function: CaredForFunction;

  constructor(scope: Construct, { platform, intake, identityProvider = PLACEHOLDER_IDENTITY_PROVIDER }: ManagerApiAreaProps) {
    this.estateTable = platform.table('EstateTable', { indexes: ['byKind'] });
    this.placementsTable = platform.table('PlacementsTable', { indexes: ['byReferral', 'byPlacingAuthority', 'byBed'] });

    this.function = platform.function('ApiFunction', 'api', {
      description: 'Manager API: estate, referrals, offers, placements and occupancy, for OIDC-authenticated staff',
      timeout: Duration.seconds(10),
      // Caps what a flood of /api calls can take from the account (and from intake); 25 at once serves
      // each method's 50 requests a second at the API's usual latency with room for bursts.
      reservedConcurrentExecutions: 25,
    })
      // Decisions: calendars and homes written under version conditions in one transaction; bed ids claimed and released.
      .useTable(
        this.estateTable,
        ENV.estateTable,
        ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
        { indexes: ['byKind'] },
      )
      .useTable(intake.referralsTable, ENV.referralsTable, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], { indexes: ['byStatus'] })
      // DeleteItem: a decision's notices for the regional inbox leave the outbox once handed to the deliveries queue.
      // UpdateItem: a decision sets its placements' entries in their homes' KPI books; BatchGetItem: the KPIs read the books.
      .useTable(this.placementsTable, ENV.placementsTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], {
        indexes: ['byReferral', 'byBed'],
      })
      .withEnvironment({
        [ENV.oidcIssuer]: identityProvider.issuer,
        [ENV.oidcAudience]: identityProvider.audience,
        [ENV.oidcJwksUrl]: identityProvider.jwksUrl,
      });

    for (const method of ['GET', 'PUT', 'POST'] as const) {
      platform.api.addRoute(method, MANAGER_API_PATH, this.function.function, {
        authenticatedInFunction:
          "Every request must carry an OIDC bearer JWT from the council's identity provider (Microsoft Entra ID), " +
          "verified by the api function with jose against the provider's JWKS: RS256 only, issuer, audience and expiry " +
          "checked; each route then requires one of its roles from the token's roles claim (401 without a valid token, 403 without the role).",
        throttle: MANAGER_API_THROTTLE,
      });
    }
    platform.outputs({
      ManagerApiUrl: platform.api.urlForPath('/api'),
      PlacementsTableName: this.placementsTable.table.tableName,
      EstateTableName: this.estateTable.table.tableName,
    });
  }
}
