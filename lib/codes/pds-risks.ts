import * as z from '#lib/validation';

/**
 * Risks a Statement of Purpose can exclude, named after the Placements Data
 * Standard v2 risk fields (riskSelfHarm → self-harm, riskToOthersFire → fire-setting …).
 */
export const Risk = z.enum([
  'self-harm',
  'sexual-exploitation',
  'criminal-exploitation',
  'drug-alcohol',
  'eating-disorder',
  'missing',
  'harm-to-others-physical',
  'harm-to-others-sexual',
  'fire-setting',
  'harm-to-animals',
  'harm-to-others-criminal',
]);
export type Risk = z.infer<typeof Risk>;
