/**
 * Key layout of the placements table: one item per offer and per placement.
 *   pk OFFER#<offerId>          sk OFFER
 *   pk PLACEMENT#<placementId>  sk PLACEMENT
 *   pk OVERRIDES#<YYYY-MM>      sk <at>#<offer or placement id>   each override of the hard rules, by the London month
 *                                                  it was given in: the override report reads a month in one Query
 *   pk PLACING_COUNCILS         sk LA#<laNumber>   one per council that has ever placed with us, written with
 *                                                  its first admission (and rewritten, unchanged, with each
 *                                                  later one): which councils to invoice, in one Query
 *
 * GSIs:
 *   byReferral          gsi1pk REFERRAL#<referralId>  gsi1sk OFFER#<offeredAt>#<offerId> | PLACEMENT#<startDate>#<placementId>
 *                       every offer and placement of a referral (releasing offers on withdrawal, the referral view);
 *                       placements loaded at go-live have no referral and are not in it
 *   byPlacingAuthority  gsi2pk LA#<laNumber>           gsi2sk <startDate>#<placementId>   (placements only)
 *                       a council's placements by start date: invoicing reads those begun by a period's end
 *   byBed               gsi3pk BED#<bedId>             gsi3sk <startDate>#<placementId>   (placements only)
 *                       a bed's placements, ended ones too: void nights over any period
 */

export const PLACEMENTS_INDEX = {
  byReferral: 'byReferral',
  byPlacingAuthority: 'byPlacingAuthority',
  byBed: 'byBed',
} as const;

export const placementKeys = {
  offer: (offerId: string) => ({ pk: `OFFER#${offerId}`, sk: 'OFFER' }),
  placement: (placementId: string) => ({ pk: `PLACEMENT#${placementId}`, sk: 'PLACEMENT' }),
  placingCouncil: (laNumber: string) => ({ pk: PLACING_COUNCILS_PK, sk: `LA#${laNumber}` }),
  overrideLog: (month: string, at: string, id: string) => ({ pk: overrideLogPk(month), sk: `${at}#${id}` }),
};

export const overrideLogPk = (month: string) => `OVERRIDES#${month}`;

/** The partition of the placing-council registry. */
export const PLACING_COUNCILS_PK = 'PLACING_COUNCILS';

export const byReferralPk = (referralId: string) => `REFERRAL#${referralId}`;
export const byPlacingAuthorityPk = (laNumber: string) => `LA#${laNumber}`;
export const byBedPk = (bedId: string) => `BED#${bedId}`;

export function offerIndexKeys(offer: { offerId: string; referralId: string; offered: { at: string } }) {
  return { gsi1pk: byReferralPk(offer.referralId), gsi1sk: `OFFER#${offer.offered.at}#${offer.offerId}` };
}

/** A placement loaded at go-live has no referral, so no byReferral keys. */
export function placementIndexKeys(p: { placementId: string; referralId?: string | undefined; placingLa: string; bedId: string; startDate: string }) {
  const sortKey = `${p.startDate}#${p.placementId}`;
  return {
    ...(p.referralId !== undefined ? { gsi1pk: byReferralPk(p.referralId), gsi1sk: `PLACEMENT#${sortKey}` } : {}),
    gsi2pk: byPlacingAuthorityPk(p.placingLa),
    gsi2sk: sortKey,
    gsi3pk: byBedPk(p.bedId),
    gsi3sk: sortKey,
  };
}
