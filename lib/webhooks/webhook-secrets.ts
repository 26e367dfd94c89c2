import { createSecretKey, type KeyObject } from 'node:crypto';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { decodeSecret } from './standard-webhooks';

/**
 * The webhook signing keys. In AWS the secret holds one or more `whsec_…`
 * values separated by spaces (two during a rotation); locally they come from
 * the environment. Cached for five minutes so a rotation lands without a deploy.
 */
export async function loadWebhookKeys(source: { secretArn?: string; secrets?: string }): Promise<Buffer[]> {
  return decodeSecrets(await secretValue(source));
}

let imported: { value: string; keys: KeyObject[] } | undefined;

/**
 * The same keys as KeyObjects, for verifying a delivery on every request: imported once per secret
 * value (again when a rotation changes it), where HMAC with the raw bytes would import them per call.
 */
export async function loadVerificationKeys(source: { secretArn?: string; secrets?: string }): Promise<KeyObject[]> {
  const value = await secretValue(source);
  if (imported?.value !== value) imported = { value, keys: decodeSecrets(value).map((key) => createSecretKey(key)) };
  return imported.keys;
}

async function secretValue(source: { secretArn?: string; secrets?: string }): Promise<string> {
  const value = source.secrets ?? (await getSecret(source.secretArn!, { maxAge: 300 }));
  if (typeof value !== 'string' || value.trim() === '') throw new Error('the webhook secret is empty');
  return value;
}

const decodeSecrets = (value: string): Buffer[] => value.trim().split(/\s+/).map(decodeSecret);
