import { z } from 'zod';

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
  /** OIDC issuer the manager API trusts (`iss`), its audience (`aud`) and its signing keys (JWKS URL). */
  oidcIssuer: 'OIDC_ISSUER',
  oidcAudience: 'OIDC_AUDIENCE',
  oidcJwksUrl: 'OIDC_JWKS_URL',
  ledgerTable: 'LEDGER_TABLE_NAME',
  ledgerPostingsQueueUrl: 'LEDGER_POSTINGS_QUEUE_URL',
  section17Table: 'SECTION17_TABLE_NAME',
  matchingQueueUrl: 'MATCHING_QUEUE_URL',
  /** Secrets Manager ARN holding the Standard Webhooks secret(s) (AWS). */
  webhookSecretArn: 'WEBHOOK_SECRET_ARN',
  /** The secret(s) themselves, space separated (local runner and tests only). */
  webhookSecrets: 'WEBHOOK_SECRETS',
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
export const apiConfigSchema = z
  .object({
    [ENV.referralsTable]: nonEmpty,
    [ENV.estateTable]: nonEmpty,
    [ENV.placementsTable]: nonEmpty,
    [ENV.section17Table]: nonEmpty,
    [ENV.ledgerTable]: nonEmpty,
    [ENV.ledgerPostingsQueueUrl]: nonEmpty,
    [ENV.oidcIssuer]: z.url(),
    [ENV.oidcAudience]: nonEmpty,
    [ENV.oidcJwksUrl]: z.url(),
  })
  .transform((env) => ({
    referralsTable: env[ENV.referralsTable],
    estateTable: env[ENV.estateTable],
    placementsTable: env[ENV.placementsTable],
    section17Table: env[ENV.section17Table],
    ledgerTable: env[ENV.ledgerTable],
    ledgerPostingsQueueUrl: env[ENV.ledgerPostingsQueueUrl],
    oidc: { issuer: env[ENV.oidcIssuer], audience: env[ENV.oidcAudience], jwksUrl: env[ENV.oidcJwksUrl] },
  }));
export type ApiConfig = z.infer<typeof apiConfigSchema>;
