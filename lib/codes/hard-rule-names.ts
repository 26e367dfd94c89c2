import * as z from '#lib/validation';

/**
 * The matcher's hard rules (lib/matching/hard-rules.ts) by name, in the order they are tried:
 * home-level first, then bed-level. Proposals, overrides and decision history all cite them.
 */
export const HardRule = z.enum([
  'placement-type',
  'registration',
  'kind',
  'age',
  'sex',
  'needs',
  'risks-excluded',
  'pets',
  'capacity',
  'living-companions',
  'bed-kept-for-own-children',
  'bed-out-of-use',
  'bed-held',
  'budget',
]);
export type HardRule = z.infer<typeof HardRule>;
