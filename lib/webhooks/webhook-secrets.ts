import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { decodeSecret } from './standard-webhooks';

/**
 * The webhook signing keys. In AWS the secret holds one or more `whsec_…`
 * values separated by spaces (two during a rotation); locally they come from
 * the environment. Cached for five minutes so a rotation lands without a deploy.
 */
export async function loadWebhookKeys(source: { secretArn?: string; secrets?: string }): Promise<Buffer[]> {
  const value = source.secrets ?? (await getSecret(source.secretArn!, { maxAge: 300 }));
  if (typeof value !== 'string' || value.trim() === '') throw new Error('the webhook secret is empty');
  return value.trim().split(/\s+/).map(decodeSecret);
}
