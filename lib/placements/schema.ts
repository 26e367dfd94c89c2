import * as z from '#lib/validation';
import { Decision } from '#lib/auth';
import { PlacementType, ReasonEpisodeCeased, ReasonPlacementChange } from '#lib/codes/ssda903';
import { HardRule } from '#lib/codes/hard-rule-names';
import { IsoDate } from '#lib/time/iso-date';
import { ResidentProfile } from '#lib/time/home-calendar';
import { Extra, ExtraKind, Id, Pence, type PlacementCharges } from './placement-charges';

/**
 * Offers and placements as the placements table keeps them. Each carries the
 * decisions made on it (who and when) and a `version` that every change is
 * conditioned on. Money is integer pence; dates are Europe/London calendar
 * dates and a stay from A to E occupies the nights A … E−1.
 */


export const OfferStatus = /* @__PURE__ */ z.schema(() => z.enum([
  /** Holding the bed until `expiresAt`, awaiting the placing council. */
  'offered',
  /** The placing council accepted; the bed is held until admission or decline. */
  'accepted',
  'declined',
  /** The referral was withdrawn and the hold let go. */
  'released',
  /** Lapsed unaccepted and replaced by a newer offer for the referral. */
  'lapsed',
  /** The child was admitted on it. */
  'admitted',
]));
export type OfferStatus = z.infer<typeof OfferStatus>;

/**
 * A deliberate exception to the matcher's hard rules (design §4): the head of
 * service let a decision through although it broke these rules, for the
 * reason written. Kept on the offer or placement it was given for (and on
 * those decided from it), in the referral's history, and in the override log.
 */
export const RuleOverride = /* @__PURE__ */ z.schema(() => z.object({
  /** Each rule the decision broke, with why it broke it (the matcher's reason: ages, never a date of birth). */
  rules: z.array(z.object({ rule: HardRule, reason: z.string() })).check(z.minLength(1)),
  /** The head of service's written reason. */
  reason: z.string(),
  /** The decision it was given with: an offer, an admission or a move, and its offer or placement id. */
  givenWith: z.object({ kind: z.enum(['offer', 'admission', 'move']), id: Id }),
  decision: Decision,
}));
export type RuleOverride = z.infer<typeof RuleOverride>;

export const Release = /* @__PURE__ */ z.schema(() => z.object({ at: z.iso.datetime(), reason: z.string().check(z.minLength(1), z.maxLength(100)) }));

export const Offer = /* @__PURE__ */ z.schema(() => z.object({
  offerId: Id,
  referralId: Id,
  placingLa: z.string(),
  homeId: Id,
  bedId: Id,
  from: IsoDate,
  to: IsoDate,
  /** The bed's weekly price when offered (the agreed price is fixed at admission). */
  weeklyPricePence: Pence,
  expiresAt: z.iso.datetime(),
  status: OfferStatus,
  version: z.int().check(z.gte(1)),
  offered: Decision,
  accepted: z.optional(Decision),
  declined: z.optional(Decision),
  released: z.optional(Release),
  lapsed: z.optional(Release),
  admittedAs: z.optional(Id),
  /** The hard rules the offer broke, let through by the head of service. */
  overrides: z.optional(z.array(RuleOverride).check(z.maxLength(10))),
}));
export type Offer = z.infer<typeof Offer>;

export { Extra, ExtraKind };

export const Ending = /* @__PURE__ */ z.schema(() => z.object({
  endDate: IsoDate,
  /** SSDA903 reason for placement change; absent only for a bed move within the same home. */
  reasonPlacementChange: z.optional(ReasonPlacementChange),
  /** From the code where it tells; the manager's answer where it does not. */
  planned: z.optional(z.boolean()),
  /** SSDA903 reason episode ceased, where the child leaves care. */
  reasonEpisodeCeased: z.optional(ReasonEpisodeCeased),
  /** The placement the child moved on to, for a move. */
  movedTo: z.optional(Id),
  decision: Decision,
}));
export type Ending = z.infer<typeof Ending>;

/** Where a placement loaded at go-live came from (lib/go-live): the council's own id for the stay, and a fingerprint of its row. */
export const ImportedFrom = /* @__PURE__ */ z.schema(() => z.object({
  placementRef: z.string().check(z.minLength(1), z.maxLength(64)),
  /** sha256 of the row's checked values: a second import of the same row changes nothing, a different one is refused. */
  fingerprint: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** The first night Cared For invoices: the 1st of the go-live month (earlier nights were billed by the system before it). */
  billedFrom: IsoDate,
}));
export type ImportedFrom = z.infer<typeof ImportedFrom>;

export const Placement = /* @__PURE__ */ z.schema(() => z.object({
  placementId: Id,
  /** The referral the child was admitted on; absent for a placement loaded at go-live (it began before Cared For). */
  referralId: z.optional(Id),
  placingLa: z.string(),
  placingAuthorityName: z.string(),
  /** Quoted on every invoice. */
  purchaseOrder: z.string(),
  /** The placing council's own reference for the child. */
  childReference: z.string(),
  homeId: Id,
  bedId: Id,
  /** The home's Ofsted URN and full postcode when the stay began: what the 903 return needs. */
  ofstedUrn: z.string(),
  homePostcode: z.string(),
  placementType: PlacementType,
  /** A bed sold to another council is PR2 (other local authority provision) in their return. */
  provider: z.literal('PR2'),
  startDate: IsoDate,
  /** Fixed at admission from the bed's price; later price changes do not touch it. */
  agreedWeeklyPricePence: Pence,
  extras: z.array(Extra).check(z.maxLength(20)),
  status: z.enum(['active', 'ended']),
  resident: ResidentProfile,
  version: z.int().check(z.gte(1)),
  admitted: Decision,
  offerId: z.optional(Id),
  /** The placement this one continues after a move. */
  movedFrom: z.optional(Id),
  ending: z.optional(Ending),
  imported: z.optional(ImportedFrom),
  /**
   * The hard rules this stay breaks, let through by the head of service: given with its
   * admission or move, or carried from the offer it was admitted on (or the placement it
   * continues within the same home).
   */
  overrides: z.optional(z.array(RuleOverride).check(z.maxLength(10))),
  /** Why the home's education place was left off although the referral requires one (admission). */
  educationExtraWaivedReason: z.optional(z.string()),
}));
export type Placement = z.infer<typeof Placement>;

/** Every placement reads as its charges (placement-charges.ts): a field changed here fails to compile until it is changed there. */
export type PlacementReadsAsItsCharges<P extends PlacementCharges = Placement> = P;
