import * as z from '#lib/validation';
import { whenValid } from '#lib/validation';
import { IsoDate } from '#lib/time/iso-date';

/** What a social worker submits. The applicant comes from their token, never from this body. */
export const ApplicationRequest = z.object({
    /** The council's own reference for the child in need (never a name). */
    childReference: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
    team: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
    category: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
    /** For a recurring award, the amount of each weekly payment. */
    amountPence: z.int().check(z.gte(1), z.lte(10_000_000)),
    basis: z.enum(['one-off', 'recurring']),
    /** First payment (one-off: the payment date). */
    startDate: IsoDate,
    /** Last payment date of a recurring award. */
    endDate: z.optional(IsoDate),
    payee: z.object({
      type: z.enum(['family', 'supplier', 'voucher']),
      /** Supplier id, voucher scheme or the family's payment reference: never bank details. */
      reference: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
    }),
    evidence: z._default(z.array(z.object({ type: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)), reference: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)) })).check(z.maxLength(20)), []),
    justification: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  }).check(
    z.refine((a) => a.basis === 'one-off' || a.endDate !== undefined, { ...whenValid, message: 'a recurring award needs an end date', path: ['endDate'] }),
    z.refine((a) => a.endDate === undefined || a.endDate >= a.startDate, { ...whenValid, message: 'the end date is before the start date', path: ['endDate'] }),
    z.refine((a) => a.basis === 'recurring' || a.endDate === undefined, { ...whenValid, message: 'a one-off award has no end date', path: ['endDate'] }),
  );
export type ApplicationRequest = z.infer<typeof ApplicationRequest>;

export const DecisionRequest = z.object({
  decision: z.enum(['approve', 'refuse']),
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
});
export type DecisionRequest = z.infer<typeof DecisionRequest>;
