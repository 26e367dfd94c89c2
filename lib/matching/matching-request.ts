import * as z from 'zod';

/**
 * The message on the matching queue: match (or, once withdrawn, close) this
 * version of this referral. The matcher is idempotent per (referralId, version).
 */
export const MatchingRequest = z.object({
  referralId: z.string().min(1),
  version: z.int().min(1),
  event: z.enum(['referral.created', 'referral.updated', 'referral.withdrawn']),
});
export type MatchingRequest = z.infer<typeof MatchingRequest>;

export interface MatchingPublisher {
  publish(request: MatchingRequest): Promise<void>;
}
