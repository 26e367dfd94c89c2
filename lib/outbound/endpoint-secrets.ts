import { createHmac } from 'node:crypto';
import { decodeSecret } from '#lib/webhooks';

/**
 * Outbound signing secrets. We are the sender, so we issue each receiving
 * endpoint its own Standard Webhooks secret: derived from the outbound master
 * secret (Secrets Manager in AWS, `.local/secrets.json` locally) and the
 * endpoint's id, so one stored secret serves every council and the regional
 * inbox, and no endpoint can verify (or forge) another's deliveries. During a
 * rotation the master holds two values, space separated, and every delivery
 * carries a signature from each (the spec allows several), so receivers move
 * to the new secret at their own pace.
 */

/** The id an endpoint's secret is derived from. */
export const endpointIds = {
  councilInvoices: (laNumber: string) => `invoices:${laNumber}`,
  regionalInbox: 'regional-inbox',
} as const;

/** The key an endpoint's deliveries are signed with, for each master value. */
export function endpointKeys(masters: readonly Buffer[], endpointId: string): Buffer[] {
  return masters.map((master) => createHmac('sha256', master).update(`cared-for/outbound/${endpointId}`).digest());
}

/** The secret to give the endpoint's owner (`whsec_…`), for each master value. */
export function endpointSecrets(masterSecrets: string, endpointId: string): string[] {
  const masters = masterSecrets.trim().split(/\s+/).map(decodeSecret);
  return endpointKeys(masters, endpointId).map((key) => `whsec_${key.toString('base64')}`);
}
