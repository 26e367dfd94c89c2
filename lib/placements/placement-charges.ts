import * as z from '#lib/validation';
import { IsoDate } from '#lib/time/iso-date';

export const Pence = /* @__PURE__ */ z.schema(() => z.int().check(z.gte(0), z.lte(100_000_000)));
export const Id = /* @__PURE__ */ z.schema(() => z.string().check(z.minLength(1), z.maxLength(100)));

export const ExtraKind = /* @__PURE__ */ z.schema(() => z.enum(['education-place', 'additional-staffing', 'transport']));
export const Extra = /* @__PURE__ */ z.schema(() => z.object({
  kind: ExtraKind,
  /** Charged every week of the placement, or once. */
  basis: z.enum(['weekly', 'one-off']),
  amountPence: Pence.check(z.gte(1)),
}));
export type Extra = z.infer<typeof Extra>;

/**
 * A stored placement as what it charges: the fields of a Placement (schema.ts) that invoicing reads,
 * each with the Placement's own schema, read from the same item (the other fields are left out). So
 * invoicing does not build the whole Placement schema (its SSDA903 code lists, its decisions) to
 * read a price, a period and extras. schema.ts checks that every Placement is one of these.
 */
export const PlacementCharges = /* @__PURE__ */ z.schema(() => z.object({
  placementId: Id,
  placingLa: z.string(),
  /** Quoted on every invoice. */
  purchaseOrder: z.string(),
  /** The placing council's own reference for the child. */
  childReference: z.string(),
  homeId: Id,
  bedId: Id,
  startDate: IsoDate,
  agreedWeeklyPricePence: Pence,
  extras: z.array(Extra).check(z.maxLength(20)),
  ending: z.optional(z.object({ endDate: IsoDate })),
  /** Loaded at go-live: charged from `billedFrom` only. */
  imported: z.optional(z.object({ billedFrom: IsoDate })),
}));
export type PlacementCharges = z.infer<typeof PlacementCharges>;
