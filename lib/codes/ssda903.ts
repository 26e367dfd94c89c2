import * as z from 'zod/mini';
import codes from '#data/ssda903.json' with { type: 'json' };

/** The DfE SSDA903 code lists, from the reference data, as zod enums. */

function enumOf<T extends Record<string, unknown>>(list: T) {
  const keys = Object.keys(list) as [keyof T & string, ...(keyof T & string)[]];
  return z.enum(keys);
}

export const PlacementType = enumOf(codes.placementType);
export type PlacementType = z.infer<typeof PlacementType>;

export const PlacementProvider = enumOf(codes.placementProvider);
export type PlacementProvider = z.infer<typeof PlacementProvider>;

export const LegalStatus = enumOf(codes.legalStatus);
export type LegalStatus = z.infer<typeof LegalStatus>;

export const CategoryOfNeed = enumOf(codes.categoryOfNeed);
export type CategoryOfNeed = z.infer<typeof CategoryOfNeed>;

export const ReasonPlacementChange = enumOf(codes.reasonPlacementChange);
export type ReasonPlacementChange = z.infer<typeof ReasonPlacementChange>;

export const ReasonEpisodeCeased = enumOf(codes.reasonEpisodeCeased);
export type ReasonEpisodeCeased = z.infer<typeof ReasonEpisodeCeased>;

/** Whether a reason for placement change is planned; null where the code alone doesn't tell. */
export function isPlannedChange(reason: ReasonPlacementChange): boolean | null {
  return codes.reasonPlacementChange[reason].planned;
}

export function label(list: 'placementType' | 'legalStatus' | 'categoryOfNeed', code: string): string | undefined {
  return (codes[list] as Record<string, string>)[code];
}
