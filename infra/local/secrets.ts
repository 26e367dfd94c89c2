/**
 * Local values for the template's Secrets Manager secrets. There is no Secrets Manager locally:
 * each secret gets a value generated once and kept in `<dataDir>/secrets.json` (readable by the
 * owner only), and a function whose environment names the secret's ARN gets the value itself in the
 * variable lib/config.ts reads for local runs instead.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ENV } from '#lib/config';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './constants';

/**
 * Environment variables that carry a secret's ARN in AWS, each with the variable that carries its
 * value locally (lib/config.ts reads the second when it is set). A function naming a secret through
 * any other variable stops `npm start` with a message saying to add it here.
 */
export const LOCAL_SECRET_VARIABLES: Readonly<Record<string, string>> = {
  [ENV.webhookSecretArn]: ENV.webhookSecrets,
  [ENV.oidcClientSecretArn]: ENV.oidcClientSecret,
  [ENV.outboundSecretArn]: ENV.outboundSecrets,
};

export interface LocalSecret {
  logicalId: string;
  arn: string;
  value: string;
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The secrets by logical id, generating (and saving) a value for any that has none yet. */
export function loadLocalSecrets(dataDir: string, stackName: string, logicalIds: readonly string[]): Record<string, LocalSecret> {
  const file = join(dataDir, 'secrets.json');
  const stored: Record<string, string> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  let changed = false;
  for (const id of logicalIds) {
    if (typeof stored[id] !== 'string' || stored[id] === '') {
      stored[id] = generateSecret();
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return Object.fromEntries(
    logicalIds.map((id) => [id, { logicalId: id, arn: secretArn(stackName, id), value: stored[id]! }]),
  );
}

export function secretArn(stackName: string, logicalId: string): string {
  // Secrets Manager appends six random characters to a secret's name in its ARN.
  return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${stackName}-${logicalId}-local0`;
}

/**
 * Replaces each variable that holds a secret's ARN with the variable holding its value. Throws,
 * naming the function and the variable, when there is no local counterpart for it.
 */
export function withLocalSecrets(
  functionLogicalId: string,
  environment: Record<string, string>,
  secrets: Record<string, LocalSecret>,
): Record<string, string> {
  const byArn = new Map(Object.values(secrets).map((s) => [s.arn, s]));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    const secret = byArn.get(value);
    if (!secret) {
      out[name] = value;
      continue;
    }
    const local = LOCAL_SECRET_VARIABLES[name];
    if (!local) {
      throw new Error(
        `${functionLogicalId}: environment variable ${name} names the secret ${secret.logicalId}, and the local stack ` +
          `has no Secrets Manager. Give the function a variable that takes the value itself locally, and map ${name} ` +
          'to it in LOCAL_SECRET_VARIABLES (infra/local/secrets.ts).',
      );
    }
    out[local] = secret.value;
  }
  return out;
}
