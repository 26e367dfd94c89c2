import * as z from '#lib/validation';
import { whenValid } from '#lib/validation';
import { IsoDate } from '#lib/time/iso-date';

/** What a social worker submits. The applicant comes from their token, never from this body. */
export const ApplicationRequest = z
  .object({
    /** The council's own reference for the child in need (never a name). */
    childReference: z.string().trim().min(1).max(64),
    team: z.string().trim().min(1).max(64),
    category: z.string().trim().min(1).max(40),
    /** For a recurring award, the amount of each weekly payment. */
    amountPence: z.int().min(1).max(10_000_000),
    basis: z.enum(['one-off', 'recurring']),
    /** First payment (one-off: the payment date). */
    startDate: IsoDate,
    /** Last payment date of a recurring award. */
    endDate: IsoDate.optional(),
    payee: z.object({
      type: z.enum(['family', 'supplier', 'voucher']),
      /** Supplier id, voucher scheme or the family's payment reference: never bank details. */
      reference: z.string().trim().min(1).max(64),
    }),
    evidence: z
      .array(z.object({ type: z.string().trim().min(1).max(60), reference: z.string().trim().min(1).max(120) }))
      .max(20)
      .default([]),
    justification: z.string().trim().min(1).max(4000),
  })
  .refine((a) => a.basis === 'one-off' || a.endDate !== undefined, { ...whenValid, message: 'a recurring award needs an end date', path: ['endDate'] })
  .refine((a) => a.endDate === undefined || a.endDate >= a.startDate, { ...whenValid, message: 'the end date is before the start date', path: ['endDate'] })
  .refine((a) => a.basis === 'recurring' || a.endDate === undefined, { ...whenValid, message: 'a one-off award has no end date', path: ['endDate'] });
export type ApplicationRequest = z.infer<typeof ApplicationRequest>;

export const DecisionRequest = z.object({
  decision: z.enum(['approve', 'refuse']),
  reason: z.string().trim().min(1).max(2000),
});
export type DecisionRequest = z.infer<typeof DecisionRequest>;
