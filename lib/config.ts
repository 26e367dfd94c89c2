import * as z from 'zod/mini';
import { _coercedNumber } from 'zod/v4/core';

/**
 * Environment contract of every function, parsed once at module load so a
 * missing variable fails the cold start instead of the hundredth request.
 * The CDK constructs set exactly these names; the local runner resolves them
 * from the synthesized template.
 */
export const ENV = {
  referralsTable: 'REFERRALS_TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  estateTable: 'ESTATE_TABLE_NAME',
  placementsTable: 'PLACEMENTS_TABLE_NAME',
  /** Invoicing: issued documents and runs, the invoice-jobs queue, and the settings (see lib/reference-data/invoicing.json). */
  invoicesTable: 'INVOICES_TABLE_NAME',
  invoiceJobsQueueUrl: 'INVOICE_JOBS_QUEUE_URL',
  invoicePrefix: 'INVOICE_PREFIX',
  paymentTermsDays: 'PAYMENT_TERMS_DAYS',
  /** The first month Cared For invoices (YYYY-MM); earlier months were billed elsewhere. Optional. */
  invoicingStartMonth: 'INVOICING_START_MONTH',
  /** OIDC issuer the manager API trusts (`iss`), its audience (`aud`) and its signing keys (JWKS URL). */
  oidcIssuer: 'OIDC_ISSUER',
  oidcAudience: 'OIDC_AUDIENCE',
  oidcJwksUrl: 'OIDC_JWKS_URL',
  ledgerTable: 'LEDGER_TABLE_NAME',
  ledgerPostingsQueueUrl: 'LEDGER_POSTINGS_QUEUE_URL',
  section17Table: 'SECTION17_TABLE_NAME',
  /** Void-bed alerts: the alert records, the topic managers are told on, and the queue asking for a bed to be checked now. */
  voidBedAlertsTable: 'VOID_BED_ALERTS_TABLE_NAME',
  voidBedAlertsTopicArn: 'VOID_BED_ALERTS_TOPIC_ARN',
  voidBedChecksQueueUrl: 'VOID_BED_CHECKS_QUEUE_URL',
  matchingQueueUrl: 'MATCHING_QUEUE_URL',
  /** Secrets Manager ARN holding the Standard Webhooks secret(s) (AWS). */
  webhookSecretArn: 'WEBHOOK_SECRET_ARN',
  /** The secret(s) themselves, space separated (local runner and tests only). */
  webhookSecrets: 'WEBHOOK_SECRETS',
  /** Console: its sessions table, and sign-in with the council's OIDC provider as a client (endpoints, client id, secret). */
  sessionsTable: 'SESSIONS_TABLE_NAME',
  oidcAuthorizationUrl: 'OIDC_AUTHORIZATION_URL',
  oidcTokenUrl: 'OIDC_TOKEN_URL',
  /** Optional: where sign-out also ends the provider's session. */
  oidcEndSessionUrl: 'OIDC_END_SESSION_URL',
  oidcClientId: 'OIDC_CLIENT_ID',
  /** Secrets Manager ARN of the console's client secret (AWS); the value itself locally. Optional: a public client. */
  oidcClientSecretArn: 'OIDC_CLIENT_SECRET_ARN',
  oidcClientSecret: 'OIDC_CLIENT_SECRET',
  /** Console session timeouts: minutes without a request, and hours from sign-in. */
  consoleIdleMinutes: 'CONSOLE_IDLE_MINUTES',
  consoleAbsoluteHours: 'CONSOLE_ABSOLUTE_HOURS',
  /** Documents out: the delivery log, and the queue of messages to send (documents, reminders, news for the regional inbox). */
  deliveriesTable: 'DELIVERIES_TABLE_NAME',
  deliveriesQueueUrl: 'DELIVERIES_QUEUE_URL',
  /** Payments: remittances, allocations, documents' tallies and reminder claims. */
  paymentsTable: 'PAYMENTS_TABLE_NAME',
  /** Secrets Manager ARN of the outbound master signing secret(s); endpoints' secrets are derived from it (lib/outbound/endpoint-secrets.ts). */
  outboundSecretArn: 'OUTBOUND_WEBHOOK_SECRET_ARN',
  /** The outbound master secret(s) themselves (local runner and tests only). */
  outboundSecrets: 'OUTBOUND_WEBHOOK_SECRETS',
  /** Where the regional commissioning inbox takes news of its referrals (signed webhooks). */
  regionalInboxUrl: 'REGIONAL_INBOX_URL',
  /** The SES configuration set whose events (bounces, complaints) reach the delivery log. Optional. */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** Seconds before a failed message's first retry; doubles each time, at most 15 minutes. */
  deliveryRetryBaseSeconds: 'DELIVERY_RETRY_BASE_SECONDS',
  /** Local stack and tests only: every outbound webhook goes to this origin instead (path kept). Never set in AWS. */
  webhookBaseUrlOverride: 'OUTBOUND_WEBHOOK_BASE_URL_OVERRIDE',
} as const;

const nonEmpty = z.string().check(z.minLength(1));

/**
 * zod's `z.coerce.number()`, built as zod builds it: reached through `z.coerce`, zod's coerce
 * namespace is kept whole in a bundle (its bigint and date schemas too, about 1.5 KB).
 */
const coercedNumber = () => _coercedNumber<z.ZodMiniNumber<unknown>>(z.ZodMiniNumber);

type EnvFields = { [K in keyof typeof ENV]?: z.ZodMiniType };

/**
 * A function's configuration: each field read from its variable in ENV with its own schema, and
 * named as in ENV (`referralsTable` from REFERRALS_TABLE_NAME), so each is written once.
 */
function fromEnv<F extends EnvFields>(fields: F) {
  const names = Object.keys(fields) as (keyof F & keyof typeof ENV)[];
  const shape = Object.fromEntries(names.map((name) => [ENV[name], fields[name]!]));
  return z.pipe(
    z.object(shape),
    z.transform((env) => Object.fromEntries(names.map((name) => [name, env[ENV[name]]])) as { [K in keyof F]: z.output<NonNullable<F[K]>> }),
  );
}

/**
 * A function's configuration schema, built by `build` when this module loads. The annotation tells
 * esbuild that building one does nothing else, so each function's bundle keeps only its own schema
 * (esbuild cannot see that zod's schema functions are free of side effects).
 */
/* @__NO_SIDE_EFFECTS__ */
function configSchema<S>(build: () => S): S {
  return build();
}

/** One of two variables must be set: a secret's ARN (AWS) or the secret itself (local runner and tests). */
const eitherSecret = (arn: keyof typeof ENV, value: keyof typeof ENV) => ({
  check: (config: Record<string, unknown>) => config[arn] !== undefined || config[value] !== undefined,
  message: `one of ${ENV[arn]} or ${ENV[value]} is required`,
});

const intakeSecret = eitherSecret('webhookSecretArn', 'webhookSecrets');
export const intakeConfigSchema = configSchema(() => fromEnv({
  referralsTable: nonEmpty,
  idempotencyTable: nonEmpty,
  matchingQueueUrl: nonEmpty,
  webhookSecretArn: z.optional(nonEmpty),
  webhookSecrets: z.optional(nonEmpty),
}).check(z.refine(intakeSecret.check, { message: intakeSecret.message })));

export type IntakeConfig = z.infer<typeof intakeConfigSchema>;

/** Parses the environment, naming every missing variable in one error. */
export function parseConfig<T extends z.ZodMiniType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`);
    throw new Error(`Invalid function configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

export const ledgerPosterConfigSchema = configSchema(() => fromEnv({ ledgerTable: nonEmpty }));

export const matcherConfigSchema = configSchema(() => fromEnv({ referralsTable: nonEmpty, estateTable: nonEmpty, placementsTable: nonEmpty }));
export type MatcherConfig = z.infer<typeof matcherConfigSchema>;

// --- manager API (api function) ---
const apiFields = () => ({
  referralsTable: nonEmpty,
  estateTable: nonEmpty,
  placementsTable: nonEmpty,
  section17Table: nonEmpty,
  ledgerTable: nonEmpty,
  ledgerPostingsQueueUrl: nonEmpty,
  invoicesTable: nonEmpty,
  invoiceJobsQueueUrl: nonEmpty,
  voidBedChecksQueueUrl: nonEmpty,
  deliveriesTable: nonEmpty,
  deliveriesQueueUrl: nonEmpty,
  paymentsTable: nonEmpty,
  oidcIssuer: z.url(),
  oidcAudience: nonEmpty,
  oidcJwksUrl: z.url(),
});

function apiConfig({ oidcIssuer, oidcAudience, oidcJwksUrl, ...tables }: z.output<ReturnType<typeof fromEnv<ReturnType<typeof apiFields>>>>) {
  return { ...tables, oidc: { issuer: oidcIssuer, audience: oidcAudience, jwksUrl: oidcJwksUrl } };
}

export const apiConfigSchema = configSchema(() => z.pipe(fromEnv(apiFields()), z.transform(apiConfig)));
export type ApiConfig = z.infer<typeof apiConfigSchema>;

// --- void-bed monitor ---
export const voidBedMonitorConfigSchema = configSchema(() => z.pipe(fromEnv({
  estateTable: nonEmpty,
  placementsTable: nonEmpty,
  referralsTable: nonEmpty,
  voidBedAlertsTable: nonEmpty,
  voidBedAlertsTopicArn: nonEmpty,
}), z.transform(({ voidBedAlertsTable, voidBedAlertsTopicArn, ...tables }) => ({ ...tables, alertsTable: voidBedAlertsTable, alertsTopicArn: voidBedAlertsTopicArn }))));
export type VoidBedMonitorConfig = z.infer<typeof voidBedMonitorConfigSchema>;

// --- invoicing (invoicing-run and invoice-builder) ---
const invoicingSettingsFields = () => ({
  invoicePrefix: z.string().check(z.regex(/^[A-Z][A-Z0-9]{0,7}$/, 'one to eight upper-case letters or digits')),
  paymentTermsDays: coercedNumber().check(z.int(), z.gte(0), z.lte(120)),
  invoicingStartMonth: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM'))),
});

/** The invoicing settings under the names invoicing uses. */
const invoicingSettings = <C extends { invoicePrefix: string; invoicingStartMonth: string | undefined }>({ invoicePrefix, invoicingStartMonth, ...rest }: C) => ({
  ...rest,
  prefix: invoicePrefix,
  startMonth: invoicingStartMonth,
});

const invoicingRunFields = () => ({ placementsTable: nonEmpty, invoicesTable: nonEmpty, invoiceJobsQueueUrl: nonEmpty, ...invoicingSettingsFields() });

export const invoicingRunConfigSchema = configSchema(() => z.pipe(fromEnv(invoicingRunFields()), z.transform(invoicingSettings)));
export type InvoicingRunConfig = z.infer<typeof invoicingRunConfigSchema>;

export const invoiceBuilderConfigSchema = configSchema(() => z.pipe(fromEnv({
  ...invoicingRunFields(),
  /** Homes' names for the documents' lines. */
  estateTable: nonEmpty,
  ledgerPostingsQueueUrl: nonEmpty,
  deliveriesQueueUrl: nonEmpty,
}), z.transform(invoicingSettings)));
export type InvoiceBuilderConfig = z.infer<typeof invoiceBuilderConfigSchema>;

// --- console (the web pages staff use): the API's services, plus sessions and sign-in ---
export const consoleConfigSchema = configSchema(() => z.pipe(fromEnv({
  ...apiFields(),
  sessionsTable: nonEmpty,
  voidBedAlertsTable: nonEmpty,
  oidcAuthorizationUrl: z.url(),
  oidcTokenUrl: z.url(),
  oidcEndSessionUrl: z.optional(z.url()),
  oidcClientId: nonEmpty,
  oidcClientSecretArn: z.optional(nonEmpty),
  oidcClientSecret: z.optional(nonEmpty),
  consoleIdleMinutes: z._default(coercedNumber().check(z.int(), z.gte(1), z.lte(240)), 30),
  consoleAbsoluteHours: z._default(coercedNumber().check(z.int(), z.gte(1), z.lte(24)), 10),
}), z.transform((env) => ({
  api: apiConfig(env),
  sessionsTable: env.sessionsTable,
  voidBedAlertsTable: env.voidBedAlertsTable,
  signIn: {
    issuer: env.oidcIssuer,
    jwksUrl: env.oidcJwksUrl,
    authorizationEndpoint: env.oidcAuthorizationUrl,
    tokenEndpoint: env.oidcTokenUrl,
    endSessionEndpoint: env.oidcEndSessionUrl,
    clientId: env.oidcClientId,
    clientSecretArn: env.oidcClientSecretArn,
    clientSecret: env.oidcClientSecret,
  },
  timeouts: { idleMs: env.consoleIdleMinutes * 60_000, absoluteMs: env.consoleAbsoluteHours * 3_600_000 },
}))));
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

// --- documents out (delivery-sender, delivery-events) ---
const outboundSecret = eitherSecret('outboundSecretArn', 'outboundSecrets');
export const deliverySenderConfigSchema = configSchema(() => z.pipe(fromEnv({
  invoicesTable: nonEmpty,
  deliveriesTable: nonEmpty,
  deliveriesQueueUrl: nonEmpty,
  outboundSecretArn: z.optional(nonEmpty),
  outboundSecrets: z.optional(nonEmpty),
  regionalInboxUrl: z.url({ protocol: /^https?$/ }),
  sesConfigurationSet: z.optional(nonEmpty),
  deliveryRetryBaseSeconds: z._default(coercedNumber().check(z.int(), z.gte(0), z.lte(900)), 60),
  webhookBaseUrlOverride: z.optional(z.url({ protocol: /^http$/, hostname: /^127\.0\.0\.1$/ })),
}).check(z.refine(outboundSecret.check, { message: outboundSecret.message })), z.transform(({ deliveryRetryBaseSeconds, ...rest }) => ({ ...rest, retryBaseSeconds: deliveryRetryBaseSeconds }))));
export type DeliverySenderConfig = z.infer<typeof deliverySenderConfigSchema>;

export const deliveryEventsConfigSchema = configSchema(() => fromEnv({ deliveriesTable: nonEmpty }));

// --- payment reminders and the notification outbox (scheduled) ---
export const paymentRemindersConfigSchema = configSchema(() => fromEnv({ invoicesTable: nonEmpty, paymentsTable: nonEmpty, deliveriesQueueUrl: nonEmpty }));

export const notificationOutboxConfigSchema = configSchema(() => fromEnv({ placementsTable: nonEmpty, deliveriesQueueUrl: nonEmpty }));
