import * as z from 'zod';

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

const nonEmpty = z.string().min(1);

export const intakeConfigSchema = z
  .object({
    [ENV.referralsTable]: nonEmpty,
    [ENV.idempotencyTable]: nonEmpty,
    [ENV.matchingQueueUrl]: nonEmpty,
    [ENV.webhookSecretArn]: nonEmpty.optional(),
    [ENV.webhookSecrets]: nonEmpty.optional(),
  })
  .refine((env) => env[ENV.webhookSecretArn] ?? env[ENV.webhookSecrets], {
    message: `one of ${ENV.webhookSecretArn} or ${ENV.webhookSecrets} is required`,
  })
  .transform((env) => ({
    referralsTable: env[ENV.referralsTable],
    idempotencyTable: env[ENV.idempotencyTable],
    matchingQueueUrl: env[ENV.matchingQueueUrl],
    webhookSecretArn: env[ENV.webhookSecretArn],
    webhookSecrets: env[ENV.webhookSecrets],
  }));

export type IntakeConfig = z.infer<typeof intakeConfigSchema>;

/** Parses the environment, naming every missing variable in one error. */
export function parseConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`);
    throw new Error(`Invalid function configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

export const ledgerPosterConfigSchema = z
  .object({ [ENV.ledgerTable]: nonEmpty })
  .transform((env) => ({ ledgerTable: env[ENV.ledgerTable] }));


export const matcherConfigSchema = z
  .object({
    [ENV.referralsTable]: nonEmpty,
    [ENV.estateTable]: nonEmpty,
    [ENV.placementsTable]: nonEmpty,
  })
  .transform((env) => ({
    referralsTable: env[ENV.referralsTable],
    estateTable: env[ENV.estateTable],
    placementsTable: env[ENV.placementsTable],
  }));
export type MatcherConfig = z.infer<typeof matcherConfigSchema>;

// --- manager API (api function) ---
const apiEnv = {
  [ENV.referralsTable]: nonEmpty,
  [ENV.estateTable]: nonEmpty,
  [ENV.placementsTable]: nonEmpty,
  [ENV.section17Table]: nonEmpty,
  [ENV.ledgerTable]: nonEmpty,
  [ENV.ledgerPostingsQueueUrl]: nonEmpty,
  [ENV.invoicesTable]: nonEmpty,
  [ENV.invoiceJobsQueueUrl]: nonEmpty,
  [ENV.voidBedChecksQueueUrl]: nonEmpty,
  [ENV.deliveriesTable]: nonEmpty,
  [ENV.deliveriesQueueUrl]: nonEmpty,
  [ENV.paymentsTable]: nonEmpty,
  [ENV.oidcIssuer]: z.url(),
  [ENV.oidcAudience]: nonEmpty,
  [ENV.oidcJwksUrl]: z.url(),
};

function apiFromEnv(env: z.output<z.ZodObject<typeof apiEnv>>) {
  return {
    referralsTable: env[ENV.referralsTable],
    estateTable: env[ENV.estateTable],
    placementsTable: env[ENV.placementsTable],
    section17Table: env[ENV.section17Table],
    ledgerTable: env[ENV.ledgerTable],
    ledgerPostingsQueueUrl: env[ENV.ledgerPostingsQueueUrl],
    invoicesTable: env[ENV.invoicesTable],
    invoiceJobsQueueUrl: env[ENV.invoiceJobsQueueUrl],
    voidBedChecksQueueUrl: env[ENV.voidBedChecksQueueUrl],
    deliveriesTable: env[ENV.deliveriesTable],
    deliveriesQueueUrl: env[ENV.deliveriesQueueUrl],
    paymentsTable: env[ENV.paymentsTable],
    oidc: { issuer: env[ENV.oidcIssuer], audience: env[ENV.oidcAudience], jwksUrl: env[ENV.oidcJwksUrl] },
  };
}

export const apiConfigSchema = z.object(apiEnv).transform(apiFromEnv);
export type ApiConfig = z.infer<typeof apiConfigSchema>;

// --- void-bed monitor ---
export const voidBedMonitorConfigSchema = z
  .object({
    [ENV.estateTable]: nonEmpty,
    [ENV.placementsTable]: nonEmpty,
    [ENV.referralsTable]: nonEmpty,
    [ENV.voidBedAlertsTable]: nonEmpty,
    [ENV.voidBedAlertsTopicArn]: nonEmpty,
  })
  .transform((env) => ({
    estateTable: env[ENV.estateTable],
    placementsTable: env[ENV.placementsTable],
    referralsTable: env[ENV.referralsTable],
    alertsTable: env[ENV.voidBedAlertsTable],
    alertsTopicArn: env[ENV.voidBedAlertsTopicArn],
  }));
export type VoidBedMonitorConfig = z.infer<typeof voidBedMonitorConfigSchema>;

// --- invoicing (invoicing-run and invoice-builder) ---
const invoicingSettingsEnv = {
  [ENV.invoicePrefix]: z.string().regex(/^[A-Z][A-Z0-9]{0,7}$/, 'one to eight upper-case letters or digits'),
  [ENV.paymentTermsDays]: z.coerce.number().int().min(0).max(120),
  [ENV.invoicingStartMonth]: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM').optional(),
};

export const invoicingRunConfigSchema = z
  .object({
    [ENV.placementsTable]: nonEmpty,
    [ENV.invoicesTable]: nonEmpty,
    [ENV.invoiceJobsQueueUrl]: nonEmpty,
    ...invoicingSettingsEnv,
  })
  .transform((env) => ({
    placementsTable: env[ENV.placementsTable],
    invoicesTable: env[ENV.invoicesTable],
    invoiceJobsQueueUrl: env[ENV.invoiceJobsQueueUrl],
    prefix: env[ENV.invoicePrefix],
    paymentTermsDays: env[ENV.paymentTermsDays],
    startMonth: env[ENV.invoicingStartMonth],
  }));
export type InvoicingRunConfig = z.infer<typeof invoicingRunConfigSchema>;

export const invoiceBuilderConfigSchema = z
  .object({
    [ENV.placementsTable]: nonEmpty,
    /** Homes' names for the documents' lines. */
    [ENV.estateTable]: nonEmpty,
    [ENV.invoicesTable]: nonEmpty,
    [ENV.invoiceJobsQueueUrl]: nonEmpty,
    [ENV.ledgerPostingsQueueUrl]: nonEmpty,
    [ENV.deliveriesQueueUrl]: nonEmpty,
    ...invoicingSettingsEnv,
  })
  .transform((env) => ({
    placementsTable: env[ENV.placementsTable],
    deliveriesQueueUrl: env[ENV.deliveriesQueueUrl],
    estateTable: env[ENV.estateTable],
    invoicesTable: env[ENV.invoicesTable],
    invoiceJobsQueueUrl: env[ENV.invoiceJobsQueueUrl],
    ledgerPostingsQueueUrl: env[ENV.ledgerPostingsQueueUrl],
    prefix: env[ENV.invoicePrefix],
    paymentTermsDays: env[ENV.paymentTermsDays],
    startMonth: env[ENV.invoicingStartMonth],
  }));
export type InvoiceBuilderConfig = z.infer<typeof invoiceBuilderConfigSchema>;

// --- console (the web pages staff use): the API's services, plus sessions and sign-in ---
export const consoleConfigSchema = z
  .object({
    ...apiEnv,
    [ENV.sessionsTable]: nonEmpty,
    [ENV.voidBedAlertsTable]: nonEmpty,
    [ENV.oidcAuthorizationUrl]: z.url(),
    [ENV.oidcTokenUrl]: z.url(),
    [ENV.oidcEndSessionUrl]: z.url().optional(),
    [ENV.oidcClientId]: nonEmpty,
    [ENV.oidcClientSecretArn]: nonEmpty.optional(),
    [ENV.oidcClientSecret]: nonEmpty.optional(),
    [ENV.consoleIdleMinutes]: z.coerce.number().int().min(1).max(240).default(30),
    [ENV.consoleAbsoluteHours]: z.coerce.number().int().min(1).max(24).default(10),
  })
  .transform((env) => ({
    api: apiFromEnv(env),
    sessionsTable: env[ENV.sessionsTable],
    voidBedAlertsTable: env[ENV.voidBedAlertsTable],
    signIn: {
      issuer: env[ENV.oidcIssuer],
      jwksUrl: env[ENV.oidcJwksUrl],
      authorizationEndpoint: env[ENV.oidcAuthorizationUrl],
      tokenEndpoint: env[ENV.oidcTokenUrl],
      endSessionEndpoint: env[ENV.oidcEndSessionUrl],
      clientId: env[ENV.oidcClientId],
      clientSecretArn: env[ENV.oidcClientSecretArn],
      clientSecret: env[ENV.oidcClientSecret],
    },
    timeouts: { idleMs: env[ENV.consoleIdleMinutes] * 60_000, absoluteMs: env[ENV.consoleAbsoluteHours] * 3_600_000 },
  }));
export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;

// --- documents out (delivery-sender, delivery-events) ---
export const deliverySenderConfigSchema = z
  .object({
    [ENV.invoicesTable]: nonEmpty,
    [ENV.deliveriesTable]: nonEmpty,
    [ENV.deliveriesQueueUrl]: nonEmpty,
    [ENV.outboundSecretArn]: nonEmpty.optional(),
    [ENV.outboundSecrets]: nonEmpty.optional(),
    [ENV.regionalInboxUrl]: z.url({ protocol: /^https?$/ }),
    [ENV.sesConfigurationSet]: nonEmpty.optional(),
    [ENV.deliveryRetryBaseSeconds]: z.coerce.number().int().min(0).max(900).default(60),
    [ENV.webhookBaseUrlOverride]: z.url({ protocol: /^http$/, hostname: /^127\.0\.0\.1$/ }).optional(),
  })
  .refine((env) => env[ENV.outboundSecretArn] ?? env[ENV.outboundSecrets], {
    message: `one of ${ENV.outboundSecretArn} or ${ENV.outboundSecrets} is required`,
  })
  .transform((env) => ({
    invoicesTable: env[ENV.invoicesTable],
    deliveriesTable: env[ENV.deliveriesTable],
    deliveriesQueueUrl: env[ENV.deliveriesQueueUrl],
    outboundSecretArn: env[ENV.outboundSecretArn],
    outboundSecrets: env[ENV.outboundSecrets],
    regionalInboxUrl: env[ENV.regionalInboxUrl],
    sesConfigurationSet: env[ENV.sesConfigurationSet],
    retryBaseSeconds: env[ENV.deliveryRetryBaseSeconds],
    webhookBaseUrlOverride: env[ENV.webhookBaseUrlOverride],
  }));
export type DeliverySenderConfig = z.infer<typeof deliverySenderConfigSchema>;

export const deliveryEventsConfigSchema = z
  .object({ [ENV.deliveriesTable]: nonEmpty })
  .transform((env) => ({ deliveriesTable: env[ENV.deliveriesTable] }));

// --- payment reminders and the notification outbox (scheduled) ---
export const paymentRemindersConfigSchema = z
  .object({ [ENV.invoicesTable]: nonEmpty, [ENV.paymentsTable]: nonEmpty, [ENV.deliveriesQueueUrl]: nonEmpty })
  .transform((env) => ({ invoicesTable: env[ENV.invoicesTable], paymentsTable: env[ENV.paymentsTable], deliveriesQueueUrl: env[ENV.deliveriesQueueUrl] }));

export const notificationOutboxConfigSchema = z
  .object({ [ENV.placementsTable]: nonEmpty, [ENV.deliveriesQueueUrl]: nonEmpty })
  .transform((env) => ({ placementsTable: env[ENV.placementsTable], deliveriesQueueUrl: env[ENV.deliveriesQueueUrl] }));
