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

const Pence = z.int().check(z.gte(0), z.lte(100_000_000));
const Slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens, at most 63 characters'));

export const OutOfUse = z.object({
    from: IsoDate,
    /** First date the bed is back in use (exclusive), like a placement's end date; absent = until further notice. */
    to: z.optional(IsoDate),
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  }).check(z.refine((p) => p.to === undefined || p.to > p.from, { ...whenValid, message: 'to must be after from', path: ['to'] }));
export type OutOfUse = z.infer<typeof OutOfUse>;

export const Bed = z.object({
  id: Slug,
  /** Sellable to other councils; false = kept back for the council's own children. */
  sellable: z.boolean(),
  /** Overrides the home's weekly cost for this bed. */
  weeklyCostPence: z.optional(Pence),
  outOfUse: z._default(z.array(OutOfUse).check(z.maxLength(100)), []),
});
export type Bed = z.infer<typeof Bed>;

export const Home = z.object({
    id: Slug,
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
    ofstedUrn: z.string().check(z.regex(/^SC\d{6}$/, 'an Ofsted URN: SC and six digits')),
    postcode: Postcode,
    registration: Registration,
    placementTypes: z.array(PlacementType).check(z.minLength(1)),
    kinds: z.array(PlacementKind).check(z.minLength(1)),
    ageRange: z.tuple([z.int().check(z.gte(0), z.lte(25)), z.int().check(z.gte(0), z.lte(25))]).check(z.refine(([lo, hi]) => lo <= hi, 'the lower age must not exceed the upper')),
    sexes: z.array(z.enum(['F', 'M'])).check(z.minLength(1)),
    maxResidents: z.int().check(z.gte(1), z.lte(50)),
    soloCapable: z._default(z.boolean(), false),
    /** Animals live at the home (a child who can't live with pets is excluded; one who must is only placed here). */
    petsOnSite: z._default(z.boolean(), false),
    needsAccepted: z._default(z.array(Need), []),
    risksExcluded: z._default(z.array(Risk), []),
    weeklyCostPence: Pence,
    /** At most two decimals (basis points), so the allowance is worked out in integer pence. */
    voidAllowancePercent: z.number().check(z.gte(0), z.lte(100), z.refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6, 'a percentage with at most two decimals')),
    /** Weekly premium over cost; the business case's default is £500. */
    premiumWeeklyPence: z._default(Pence, 50_000),
    educationPlaceWeeklyPence: z.optional(Pence),
    beds: z.array(Bed).check(z.minLength(1), z.maxLength(50)),
  }).check(
    z.refine((h) => new Set(h.beds.map((b) => b.id)).size === h.beds.length, { ...whenValid, message: 'bed ids must be unique', path: ['beds'] }),
    z.refine((h) => h.beds.length <= h.maxResidents, { ...whenValid, message: 'more beds than maxResidents', path: ['beds'] }),
  );
export type Home = z.infer<typeof Home>;
