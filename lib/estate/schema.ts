import * as z from '#lib/validation';
import { whenValid } from '#lib/validation';
import { Risk } from '#lib/codes/pds-risks';
import { PlacementType } from '#lib/codes/ssda903';
import { Need, PlacementKind, Postcode } from '#lib/referrals';
import { IsoDate } from '#lib/time/iso-date';

/**
 * The council's estate: homes, their Statement of Purpose, and their beds.
 * Shapes follow lib/reference-data/estate.sample.json.
 */

export const Registration = z.enum(['childrens-home', 'supported-accommodation', 'residential-family-centre', 'secure-childrens-home']);
export type Registration = z.infer<typeof Registration>;

const Pence = z.int().min(0).max(100_000_000);
const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens, at most 63 characters');

export const OutOfUse = z
  .object({
    from: IsoDate,
    /** First date the bed is back in use (exclusive), like a placement's end date; absent = until further notice. */
    to: IsoDate.optional(),
    reason: z.string().trim().min(1).max(200),
  })
  .refine((p) => p.to === undefined || p.to > p.from, { ...whenValid, message: 'to must be after from', path: ['to'] });
export type OutOfUse = z.infer<typeof OutOfUse>;

export const Bed = z.object({
  id: Slug,
  /** Sellable to other councils; false = kept back for the council's own children. */
  sellable: z.boolean(),
  /** Overrides the home's weekly cost for this bed. */
  weeklyCostPence: Pence.optional(),
  outOfUse: z.array(OutOfUse).max(100).default([]),
});
export type Bed = z.infer<typeof Bed>;

export const Home = z
  .object({
    id: Slug,
    name: z.string().trim().min(1).max(120),
    ofstedUrn: z.string().regex(/^SC\d{6}$/, 'an Ofsted URN: SC and six digits'),
    postcode: Postcode,
    registration: Registration,
    placementTypes: z.array(PlacementType).min(1),
    kinds: z.array(PlacementKind).min(1),
    ageRange: z.tuple([z.int().min(0).max(25), z.int().min(0).max(25)]).refine(([lo, hi]) => lo <= hi, 'the lower age must not exceed the upper'),
    sexes: z.array(z.enum(['F', 'M'])).min(1),
    maxResidents: z.int().min(1).max(50),
    soloCapable: z.boolean().default(false),
    /** Animals live at the home (a child who can't live with pets is excluded; one who must is only placed here). */
    petsOnSite: z.boolean().default(false),
    needsAccepted: z.array(Need).default([]),
    risksExcluded: z.array(Risk).default([]),
    weeklyCostPence: Pence,
    /** At most two decimals (basis points), so the allowance is worked out in integer pence. */
    voidAllowancePercent: z
      .number()
      .min(0)
      .max(100)
      .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6, 'a percentage with at most two decimals'),
    /** Weekly premium over cost; the business case's default is £500. */
    premiumWeeklyPence: Pence.default(50_000),
    educationPlaceWeeklyPence: Pence.optional(),
    beds: z.array(Bed).min(1).max(50),
  })
  .refine((h) => new Set(h.beds.map((b) => b.id)).size === h.beds.length, { ...whenValid, message: 'bed ids must be unique', path: ['beds'] })
  .refine((h) => h.beds.length <= h.maxResidents, { ...whenValid, message: 'more beds than maxResidents', path: ['beds'] });
export type Home = z.infer<typeof Home>;
