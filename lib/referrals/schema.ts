import * as z from '#lib/validation';
import { CategoryOfNeed, LegalStatus, PlacementType } from '#lib/codes/ssda903';
import { LaNumber, SELF_LA_NUMBER } from '#lib/codes/local-authorities';
import { IsoDate } from '#lib/time/iso-date';

/**
 * A referral as the regional commissioning inbox sends it: the placing council,
 * the child, what is sought, and the Placements Data Standard v2 fields
 * (PlacementAvailability, PlacementRequirements, PlacementRecommendation, Risks).
 * Field names and options follow the standard; codes are SSDA903.
 * Unknown fields are dropped, never stored: this is children's data.
 */

/** A full UK postcode, normalised to upper case with one space before the inward code. */
export const Postcode = z.pipe(
  z.string().check(z.trim(), z.toUpperCase(), z.regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, 'a full UK postcode, e.g. NE29 6DL')),
  z.transform((pc) => `${pc.replace(' ', '').slice(0, -3)} ${pc.replace(' ', '').slice(-3)}`),
);

/** A postcode sector: outward code and the first digit of the inward code, e.g. NE29 6. */
export const PostcodeSector = z.string().check(
  z.trim(),
  z.toUpperCase(),
  z.regex(/^[A-Z]{1,2}\d[A-Z\d]? \d$/, 'a postcode sector, e.g. NE29 6'),
);

const Pence = z.int().check(z.gte(0), z.lte(100_000_000));
const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** The needs a home's Statement of Purpose can accept; the same words describe a child. */
export const Need = z.enum([
  'leaving-care',
  'education-support',
  'employment-support',
  'independent-living',
  'parenting-assessment',
  'young-parent',
  'emotional-behavioural',
  'camhs',
  'complex-needs',
]);
export type Need = z.infer<typeof Need>;

export const PlacementKind = z.enum(['assessment', 'long-term', 'short-term', 'parent-and-child']);
export type PlacementKind = z.infer<typeof PlacementKind>;

export const NeededBy = z.enum(['Today', 'in less than 5 days', 'in more than 5 days']);
export const LivingCompanions = z.enum([
  'Solo placement recommended',
  'With other children recommended',
  'Only with other older children',
  'Only with other younger children',
  'No preference',
]);
export type LivingCompanions = z.infer<typeof LivingCompanions>;
export const PetsAnswer = z.enum(['Yes - must', 'Yes - can', 'No', 'Not Known']);
export const Suitability = z.enum(['Preferred', 'Suitable but not preferred', 'Unsuitable', 'Not specified']);
export const RiskFlag = z.enum(['No known risk', 'Risk Present']);
export type RiskFlag = z.infer<typeof RiskFlag>;

export const PlacingAuthority = z.object({
  laNumber: LaNumber.check(z.refine((la) => la !== SELF_LA_NUMBER, 'the placing council cannot be this council')),
  name: Text(120),
  financeContact: z.object({
    name: Text(120),
    email: z.email('an e-mail address'),
    phone: z.optional(Text(40)),
  }),
  purchaseOrder: Text(64),
});

export const Child = z.object({
  /** The placing council's own reference for the child (their case system id). */
  reference: Text(64),
  initials: z.string().check(z.regex(/^[A-Z]{1,4}$/, 'one to four capital letters')),
  dateOfBirth: IsoDate,
  sex: z.enum(['F', 'M']),
  legalStatus: LegalStatus,
  categoryOfNeed: CategoryOfNeed,
  homePostcode: Postcode,
  schoolPostcodeSector: z.optional(PostcodeSector),
});

export const PlacementSought = z.object({
  placementType: PlacementType,
  kind: PlacementKind,
  neededFrom: IsoDate,
  neededBy: NeededBy,
  expectedWeeks: z.int().check(z.gte(1), z.lte(260)),
  educationPlaceRequired: z.boolean(),
  maxWeeklyBudgetPence: Pence.check(z.gte(1)),
});

/** PDS v2 PlacementAvailability (childId is the placing council's reference above). */
export const Availability = z.object({
  siblingCount: z.optional(z.int().check(z.gte(0), z.lte(12))),
  preferredLocation: z.optional(Text(120)),
});

/** PDS v2 PlacementRequirements. */
export const Requirements = z.object({
  communicationNeeds: z.enum(['Y', 'N', 'Not Specified']),
  specificCommunicationRequirements: z.array(z.enum(['ESOL', 'BSL', 'Makaton', 'Other', 'None'])).check(z.minLength(1), z.maxLength(5)),
  homeAdaptation: z.boolean(),
  culturalNeeds: z.enum(['Required', 'Not required', 'Not Known', 'Other']),
  livingCompanions: LivingCompanions,
  pets: PetsAnswer,
  additionalSupport: z.optional(z.enum(['additional supervision', 'therapeutic support', 'a worker for respite', 'taxis to school', 'NA', 'other (please specify)'])),
  deprivationOfLiberty: z.optional(z.boolean()),
});

/** PDS v2 PlacementRecommendation. */
export const Recommendation = z.object({
  fosterCareSuitability: Suitability,
  residentialCareSuitability: Suitability,
  supportedAccommodationSuitability: Suitability,
});

/** PDS v2 Risks: to the child, and to others or property. */
export const Risks = z.object({
  riskSelfHarm: RiskFlag,
  riskSexualExploitation: RiskFlag,
  riskCriminalExploitation: RiskFlag,
  riskDrugAlcohol: RiskFlag,
  riskEatingDisorder: RiskFlag,
  riskMissing: RiskFlag,
  riskOther: z.optional(Text(2000)),
  riskToOthersPhysical: RiskFlag,
  riskToOthersSexual: RiskFlag,
  riskToOthersFire: RiskFlag,
  riskToOthersAnimals: RiskFlag,
  riskToOthersCriminal: RiskFlag,
  riskToOthersOther: z.optional(Text(2000)),
});
export type Risks = z.infer<typeof Risks>;

export const ReferralId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits and . _ : - only, at most 64 characters'));

export const Referral = z.object({
  referralId: ReferralId,
  /** PDS v2 QualityAssurance.referralDate. */
  referralDate: IsoDate,
  placingAuthority: PlacingAuthority,
  child: Child,
  sought: PlacementSought,
  needs: z._default(z.array(Need).check(z.maxLength(20)), []),
  availability: z._default(Availability, {}),
  requirements: Requirements,
  recommendation: Recommendation,
  risks: Risks,
});
export type Referral = z.infer<typeof Referral>;

export const Withdrawal = /* @__PURE__ */ z.schema(() => z.object({
  referralId: ReferralId,
  reason: z._default(z.enum(['placed-elsewhere', 'no-longer-needed', 'other']), 'other'),
}));
export type Withdrawal = z.infer<typeof Withdrawal>;

/** The webhook body: one event about one referral (the intake's alone: built where used). */
export const ReferralEvent = /* @__PURE__ */ z.schema(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('referral.created'), data: Referral }),
  z.object({ type: z.literal('referral.updated'), data: Referral }),
  z.object({ type: z.literal('referral.withdrawn'), data: Withdrawal }),
]));
export type ReferralEvent = z.infer<typeof ReferralEvent>;
export type ReferralEventType = ReferralEvent['type'];
