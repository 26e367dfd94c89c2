import * as z from '#lib/validation';

/**
 * The message on the void-bed checks queue: check these beds now, because a
 * placement in them ended, moved on or got an end date. The monitor reads
 * the beds afresh; the message only says where to look, so a repeat or a
 * late copy sends nothing the alert records have not already seen.
 */
export const VoidBedCheckRequest = z.object({
  bedIds: z.array(z.string().check(z.minLength(1), z.maxLength(63))).check(z.minLength(1), z.maxLength(10)),
  reason: z.enum(['placement-ended', 'placement-moved']),
  placementId: z.string().check(z.minLength(1), z.maxLength(100)),
  requestedAt: z.iso.datetime(),
});
export type VoidBedCheckRequest = z.infer<typeof VoidBedCheckRequest>;

export interface VoidBedCheckRequester {
  request(check: VoidBedCheckRequest): Promise<void>;
}
