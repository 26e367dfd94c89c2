import * as z from '#lib/validation';
import { IsoDate } from '#lib/time/iso-date';
import { PLAUSIBLE_MONTH } from '#lib/time/calendar';
import type { VatCode } from './charge';

export const VatCodeSchema = z.enum(['OS', 'EX', 'ZR', 'SR']) satisfies z.ZodMiniType<VatCode>;

/** What every extra has first: its id, its basis (which tells the two kinds apart), what it is, and its words on the invoice. */
const extraFields = <B extends string>(basis: B) => ({
  id: z.string().check(z.minLength(1)),
  basis: z.literal(basis),
  kind: z.enum(['education-place', 'additional-staffing', 'transport', 'other']),
  description: z.string().check(z.minLength(1), z.maxLength(120)),
});

/** An extra charged to the placing council on top of the bed: weekly pro rata, or once. */
export const Extra = z.discriminatedUnion('basis', [
  z.object({
    ...extraFields('weekly'),
    weeklyPence: z.int().check(z.gte(0)),
    /** Defaults to the placement's own period. */
    from: z.optional(IsoDate),
    to: z.optional(IsoDate),
    vatCode: z._default(VatCodeSchema, 'OS'),
  }),
  z.object({
    ...extraFields('one-off'),
    amountPence: z.int().check(z.gte(0)),
    /** Charged in the month of this date. */
    date: IsoDate,
    vatCode: z._default(VatCodeSchema, 'OS'),
  }),
]);
export type Extra = z.infer<typeof Extra>;

/** What invoicing needs to know about one placement: nothing about the child but the placing council's own reference. */
export const BillablePlacement = z.object({
  placementId: z.string().check(z.minLength(1)),
  placingLa: z.string().check(z.regex(/^\d{3}$/)),
  purchaseOrder: z.string().check(z.minLength(1)),
  childReference: z.string().check(z.minLength(1)),
  homeName: z.string().check(z.minLength(1)),
  bedId: z.string().check(z.minLength(1)),
  /** Admission date: its night is the first night charged. */
  from: IsoDate,
  /** Leaving day (not charged); absent = still placed. */
  to: z.optional(IsoDate),
  weeklyPricePence: z.int().check(z.gte(0)),
  extras: z._default(z.array(Extra), []),
});
export type BillablePlacement = z.infer<typeof BillablePlacement>;

/** A calendar month in a plausible year (2000 to 2099), `YYYY-MM`. */
export const MonthSchema = z.string().check(z.regex(PLAUSIBLE_MONTH, 'a month YYYY-MM, 2000 to 2099'));
