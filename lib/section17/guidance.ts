import * as z from '#lib/validation';
import data from '#data/section17-guidance.json' with { type: 'json' };
import { AccountCode } from '#lib/ledger';

/**
 * Section 17 guidance: which categories may be awarded, their caps, the
 * evidence each needs, and who may authorise what. Versioned data: every
 * decision records the version it was made under.
 */

export const ApproverRole = z.enum(['team-manager', 'service-manager', 'head-of-service']);
export type ApproverRole = z.infer<typeof ApproverRole>;

/** Seniority, lowest first: a role may approve anything a lower role may. */
export const APPROVER_LADDER: readonly ApproverRole[] = ApproverRole.options;

export const Category = z.object({
  code: z.string().check(z.regex(/^[A-Z_]+$/)),
  group: z.enum(['discretionary', 'professional-fees']),
  account: AccountCode,
  capPerAwardPence: z.int().check(z.positive()),
  capPerChildPerYearPence: z.optional(z.int().check(z.positive())),
  evidence: z._default(z.array(z.string().check(z.minLength(1))), []),
  alwaysHeadOfService: z._default(z.boolean(), false),
});
export type Category = z.infer<typeof Category>;

export const Guidance = z.object({
  version: z.string().check(z.minLength(1)),
  categories: z.array(Category).check(z.minLength(1)),
  authorisation: z.array(z.object({ role: ApproverRole, upToPence: z.nullable(z.int().check(z.positive())) })).check(
    z.minLength(1),
    z.refine((tiers) => tiers.at(-1)?.upToPence === null, 'the last tier must have no upper limit'),
  ),
  /** Weeks a recurring award runs before it must be approved again. */
  reapprovalWeeks: z._default(z.int().check(z.gte(1), z.lte(52)), 6),
});
export type Guidance = z.infer<typeof Guidance>;

export const DEFAULT_GUIDANCE: Guidance = Guidance.parse(data);

export function categoryOf(guidance: Guidance, code: string): Category | undefined {
  return guidance.categories.find((c) => c.code === code);
}
