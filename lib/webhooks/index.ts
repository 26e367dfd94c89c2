/** The webhooks context's front door: Standard Webhooks signing and verification. */
export { decodeSecret, sign, signDelivery, verifyDelivery, type SignatureFailure, type SignedDelivery, type VerificationResult, type WebhookKey } from './standard-webhooks';
