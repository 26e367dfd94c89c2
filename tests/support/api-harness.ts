import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { startDevIssuer, type DevIssuer } from '#lib/auth/dev-issuer';
import type { Role } from '#lib/auth/roles';
import { ENV } from '#lib/config';
import { calendarFromItem } from '#lib/estate/estate-items';
import { estateKeys } from '#lib/estate/estate-keys';
import type { HomeCalendar } from '#lib/time/home-calendar';
import { DynamoIntakeStore } from '#lib/referrals/dynamo-intake-store';
import { ReferralIntake, type IntakeOutcome } from '#lib/referrals/intake';
import { Referral, type ReferralEvent } from '#lib/referrals/schema';
import { stackClock } from '#lib/stack-clock';
import { useStackClock, type ManualClock } from './clock';
import { dynamoClient } from '#infra/local/emulators';
import { emulatorClients, provisionStack, useEmulatorEnvironment, type ProvisionedStack } from './emulators';
import { lambdaContext } from './lambda-context';
import { sampleEvent } from './sample-events';

export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

export interface CallOptions {
  /** A role (a token for it is made), a raw token, or null for no Authorization header. @default 'residential-manager' */
  as?: Role | { token: string } | null;
  body?: unknown;
  query?: Record<string, string>;
}

export interface ApiHarnessOptions {
  /** The instant the stack's clock stands at (tests move it with `clock`). @default TEST_NOW */
  now?: string;
  /** A DynamoDB of the test's own (an outage test stops and starts it). @default the run's DynamoDB Local */
  dynamodbEndpoint?: string;
}

export interface ApiHarness {
  /** The stack's clock the handler reads: stands still at `now` until the test moves it. */
  clock: ManualClock;
  /** Every table and queue provisioned for this harness, by logical id. */
  stack: ProvisionedStack;
  issuer: DevIssuer;
  db: DynamoDBDocumentClient;
  tables: { estate: string; referrals: string; placements: string };
  call(method: string, path: string, options?: CallOptions): Promise<ApiAnswer>;
  /** Invokes the handler with a raw API Gateway event. */
  invoke(event: APIGatewayProxyEvent): Promise<ApiAnswer>;
  /** Writes a referral as the intake does (its own transaction), from events/referrals/created.json re-dated to the clock's today, with overrides. */
  createReferral(referralId: string, change?: (r: Referral) => void): Promise<Referral>;
  withdrawReferral(referralId: string): Promise<IntakeOutcome>;
  calendar(homeId: string): Promise<HomeCalendar>;
  /** Every item of every table the API writes (a test-only scan, to prove nothing was written). */
  snapshot(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Provisions the stack's tables on DynamoDB Local, starts a dev OIDC issuer,
 * and imports the real api handler configured for both through its
 * environment, as Lambda and the local runner configure it.
 */
export async function startApiHarness(name: string, options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const clock = useStackClock(options.now);
  const dynamodb = options.dynamodbEndpoint ? dynamoClient(options.dynamodbEndpoint) : emulatorClients().dynamodb;
  const stack = await provisionStack(name, undefined, { ...emulatorClients(), dynamodb });
  useEmulatorEnvironment(options.dynamodbEndpoint ? { dynamodb: options.dynamodbEndpoint } : {});
  const issuer = await startDevIssuer({ clock: stackClock });
  const tables = { estate: stack.tables.EstateTable!, referrals: stack.tables.ReferralsTable!, placements: stack.tables.PlacementsTable! };
  vi.stubEnv(ENV.estateTable, tables.estate);
  vi.stubEnv(ENV.referralsTable, tables.referrals);
  vi.stubEnv(ENV.placementsTable, tables.placements);
  vi.stubEnv(ENV.section17Table, stack.tables.Section17Table!);
  vi.stubEnv(ENV.ledgerTable, stack.tables.LedgerTable!);
  vi.stubEnv(ENV.ledgerPostingsQueueUrl, stack.queues.LedgerPostingsQueue!.url);
  vi.stubEnv(ENV.invoicesTable, stack.tables.InvoicesTable!);
  vi.stubEnv(ENV.invoiceJobsQueueUrl, stack.queues.InvoiceJobsQueue!.url);
  vi.stubEnv(ENV.voidBedChecksQueueUrl, stack.queues.VoidBedChecksQueue!.url);
  vi.stubEnv(ENV.deliveriesTable, stack.tables.DeliveriesTable!);
  vi.stubEnv(ENV.deliveriesQueueUrl, stack.queues.DeliveriesQueue!.url);
  vi.stubEnv(ENV.paymentsTable, stack.tables.PaymentsTable!);
  vi.stubEnv(ENV.oidcIssuer, issuer.issuer);
  vi.stubEnv(ENV.oidcAudience, issuer.audience);
  vi.stubEnv(ENV.oidcJwksUrl, issuer.jwksUrl);
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', process.env.DEBUG_API ? 'DEBUG' : 'SILENT');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  const { handler } = (await import('#functions/api/handler')) as {
    handler: (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
  };

  const db = DynamoDBDocumentClient.from(dynamodb);
  const intakeStore = new DynamoIntakeStore(db, { referrals: tables.referrals, idempotency: stack.tables.IdempotencyTable! });
  const intake = new ReferralIntake(intakeStore, { publish: async () => undefined }, stackClock);
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (role: Role) => {
    if (!tokens.has(role)) tokens.set(role, issuer.tokenFor(role, `staff-${role}`));
    return tokens.get(role)!;
  };
  const deliver = (event: ReferralEvent) => intake.accept({ webhookId: `msg_${randomUUID()}`, bodySha256: randomUUID(), event });

  const invoke = async (event: APIGatewayProxyEvent): Promise<ApiAnswer> => {
    const response = await handler(event, lambdaContext('api'));
    const headers = response.headers as Record<string, string>;
    const json = headers['content-type']?.includes('json') ?? true;
    return { status: response.statusCode, headers, body: json ? JSON.parse(response.body) : response.body };
  };

  return {
    clock,
    stack,
    issuer,
    db,
    tables,
    invoke,
    async call(method, path, options = {}) {
      const as = options.as === undefined ? 'residential-manager' : options.as;
      const token = as === null ? undefined : typeof as === 'string' ? await tokenFor(as) : as.token;
      const proxy = path.replace(/^\/api\//, '');
      const event = {
        resource: '/api/{proxy+}',
        path,
        httpMethod: method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        multiValueHeaders: {},
        queryStringParameters: options.query ?? null,
        multiValueQueryStringParameters: null,
        pathParameters: { proxy },
        stageVariables: null,
        requestContext: { requestId: randomUUID(), stage: 'v1' } as APIGatewayProxyEvent['requestContext'],
        body: options.body === undefined ? null : JSON.stringify(options.body),
        isBase64Encoded: false,
      } satisfies APIGatewayProxyEvent;
      return invoke(event);
    },
    async createReferral(referralId, change) {
      const referral = Referral.parse(JSON.parse(sampleEvent('referrals/created.json', clock.today())).data);
      referral.referralId = referralId;
      change?.(referral);
      const outcome = await deliver({ type: 'referral.created', data: referral });
      if (outcome.kind !== 'accepted') throw new Error(`referral ${referralId} was not accepted: ${outcome.kind}`);
      return referral;
    },
    withdrawReferral: (referralId) => deliver({ type: 'referral.withdrawn', data: { referralId, reason: 'placed-elsewhere' } }),
    async calendar(homeId) {
      const { Item } = await db.send(new GetCommand({ TableName: tables.estate, Key: estateKeys.calendar(homeId), ConsistentRead: true }));
      return Item ? calendarFromItem(Item) : { homeId, version: 0, holds: [] };
    },
    async snapshot() {
      const all = await Promise.all(
        Object.values(tables).map(async (table) => {
          const { Items = [] } = await db.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
          return Items.map((i) => JSON.stringify(i)).sort();
        }),
      );
      return JSON.stringify(all);
    },
    stop: async () => {
      await issuer.stop();
      clock.restore();
    },
  };
}

/** Items of one referral's collection in the referrals table, in sort-key order. */
export async function referralItems(h: ApiHarness, referralId: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await h.db.send(
    new QueryCommand({
      TableName: h.tables.referrals,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `REFERRAL#${referralId}` },
      ConsistentRead: true,
    }),
  );
  return Items;
}
