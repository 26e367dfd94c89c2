import * as z from 'zod/mini';
import codes from '#data/ssda903.json' with { type: 'json' };

/** The DfE SSDA903 code lists, from the reference data: each list's codes as a type, and as a zod enum that checks them. */

type CodeList = Exclude<keyof typeof codes, '_about'>;
type CodeOf<List extends CodeList> = keyof (typeof codes)[List] & string;

export type PlacementType = CodeOf<'placementType'>;
export type PlacementProvider = CodeOf<'placementProvider'>;
export type LegalStatus = CodeOf<'legalStatus'>;
export type CategoryOfNeed = CodeOf<'categoryOfNeed'>;
export type ReasonPlacementChange = CodeOf<'reasonPlacementChange'>;
export type ReasonEpisodeCeased = CodeOf<'reasonEpisodeCeased'>;

/** Free of side effects, so a bundle keeps only the lists it checks. */
/* @__NO_SIDE_EFFECTS__ */
function enumOf<List extends CodeList>(list: List) {
  return z.enum(Object.keys(codes[list]) as [CodeOf<List>, ...CodeOf<List>[]]);
}

export const PlacementType = enumOf('placementType');
export const PlacementProvider = enumOf('placementProvider');
export const LegalStatus = enumOf('legalStatus');
export const CategoryOfNeed = enumOf('categoryOfNeed');
export const ReasonPlacementChange = enumOf('reasonPlacementChange');
export const ReasonEpisodeCeased = enumOf('reasonEpisodeCeased');

/** Whether a reason for placement change is planned; null where the code alone doesn't tell. */
export function isPlannedChange(reason: ReasonPlacementChange): boolean | null {
  return codes.reasonPlacementChange[reason].planned;
}

export function label(list: 'placementType' | 'legalStatus' | 'categoryOfNeed', code: string): string | undefined {
  return (codes[list] as Record<string, string>)[code];
}
