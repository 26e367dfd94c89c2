import type { Home } from '#lib/estate';
import type { Referral } from '#lib/referrals';
import { InvalidDecision } from './decision-errors';
import type { Extra } from './schema';

/**
 * The education place at admission. The business case charges education to
 * the placing council, and the matcher already counts the home's education
 * place in the weekly charge it compares with the budget (pricing.ts,
 * weeklyChargePence). So a child whose referral requires an education place,
 * admitted to a home that provides one, carries the home's education extra
 * (weekly, at the home's price) unless the manager gives their own
 * education-place extra (an agreed amount) or writes why it is left off.
 */

export const MIN_WAIVER_REASON_CHARS = 10;
/** As many extras as a placement keeps (schema.ts). */
const MAX_EXTRAS = 20;

export interface AdmissionExtrasInput {
  referral: Referral;
  home: Home;
  requested: readonly Extra[];
  educationExtraWaivedReason?: string | undefined;
}

export interface AdmissionExtras {
  extras: Extra[];
  educationExtraWaivedReason?: string;
}

/** The home's education extra, where the referral requires an education place and the home charges for one. */
export function educationExtraDue(referral: Referral, home: Home): Extra | undefined {
  const weekly = home.educationPlaceWeeklyPence;
  if (!referral.sought.educationPlaceRequired || weekly === undefined || weekly === 0) return undefined;
  return { kind: 'education-place', basis: 'weekly', amountPence: weekly };
}

export function admissionExtras(input: AdmissionExtrasInput): AdmissionExtras {
  const { requested, educationExtraWaivedReason: waived } = input;
  const due = educationExtraDue(input.referral, input.home);
  const given = requested.some((e) => e.kind === 'education-place');
  if (waived !== undefined) {
    if (!due) {
      throw new InvalidDecision(
        'educationExtraWaivedReason',
        'invalid_value',
        'there is no education extra to leave off: the referral does not require an education place, or the home provides none',
      );
    }
    if (given) throw new InvalidDecision('educationExtraWaivedReason', 'invalid_value', 'the extras include an education place: there is nothing to leave off');
    return { extras: [...requested], educationExtraWaivedReason: waived };
  }
  if (!due || given) return { extras: [...requested] };
  if (requested.length >= MAX_EXTRAS) {
    throw new InvalidDecision('extras', 'too_big', `at most ${MAX_EXTRAS - 1} other extras beside the education place the referral requires`);
  }
  return { extras: [...requested, due] };
}
