import { SELF } from '#lib/codes/local-authorities';
import type { Placement } from './schema';

/**
 * What the placing council needs for its own SSDA903 return about a
 * placement with us, by the 903's field names: the home's Ofsted URN
 * (`URN`), its full postcode (`PL_POST`), the placement type (`PLACE`), the
 * provider (`PLACE_PROVIDER`: PR2, another council's provision), the start
 * (`DECOM`), and the local authority the placement is in (`PL_LA`: ours, by
 * its ONS code); once it has ended, the end date (`DEC`), the reason for the
 * change (`REASON_PLACE_CHANGE`) and, where the child left care, the reason
 * the episode ceased (`REC`). Nothing about the child but the council's own
 * reference.
 */
export function placementConfirmation(p: Placement) {
  return {
    placementId: p.placementId,
    ...(p.referralId !== undefined ? { referralId: p.referralId } : {}),
    placingAuthority: { laNumber: p.placingLa, name: p.placingAuthorityName },
    purchaseOrder: p.purchaseOrder,
    childReference: p.childReference,
    ofstedUrn: p.ofstedUrn,
    homePostcode: p.homePostcode,
    placementType: p.placementType,
    placementProvider: p.provider,
    /** The local authority the home is in: ours. */
    placementLocalAuthority: { laNumber: SELF.laNumber, onsCode: SELF.onsCode, name: SELF.name },
    startDate: p.startDate,
    agreedWeeklyPricePence: p.agreedWeeklyPricePence,
    extras: p.extras,
    ...(p.ending
      ? {
          endDate: p.ending.endDate,
          ...(p.ending.reasonPlacementChange ? { reasonPlacementChange: p.ending.reasonPlacementChange } : {}),
          ...(p.ending.planned !== undefined ? { planned: p.ending.planned } : {}),
          ...(p.ending.reasonEpisodeCeased ? { reasonEpisodeCeased: p.ending.reasonEpisodeCeased } : {}),
        }
      : {}),
    ...(p.movedFrom ? { previousPlacementId: p.movedFrom } : {}),
    ssda903: {
      URN: p.ofstedUrn,
      PL_POST: p.homePostcode,
      PLACE: p.placementType,
      PLACE_PROVIDER: p.provider,
      DECOM: p.startDate,
      PL_LA: SELF.onsCode,
      ...(p.ending ? { DEC: p.ending.endDate } : {}),
      ...(p.ending?.reasonPlacementChange ? { REASON_PLACE_CHANGE: p.ending.reasonPlacementChange } : {}),
      ...(p.ending?.reasonEpisodeCeased ? { REC: p.ending.reasonEpisodeCeased } : {}),
    },
  };
}
export type PlacementConfirmation = ReturnType<typeof placementConfirmation>;
