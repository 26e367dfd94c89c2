import type { Placement } from '#lib/placements/schema';

/**
 * An active placement (p-1) of the referral's child, placed by Gateshead in Harbour View's bed hv-3 from
 * 1 October 2026 at £4,020 a week with no extras, unless told otherwise: the placement decision tests' subject.
 */
export const activePlacement = (fields: Pick<Placement, 'referralId' | 'resident' | 'admitted'> & Partial<Placement>): Placement => ({
  placementId: 'p-1',
  placingLa: '390',
  placingAuthorityName: 'Gateshead',
  purchaseOrder: 'PO',
  childReference: 'C',
  homeId: 'harbour-view',
  bedId: 'hv-3',
  ofstedUrn: 'SC000104',
  homePostcode: 'NE30 1AA',
  placementType: 'K2',
  provider: 'PR2',
  startDate: '2026-10-01',
  agreedWeeklyPricePence: 402_000,
  extras: [],
  status: 'active',
  version: 1,
  ...fields,
});
