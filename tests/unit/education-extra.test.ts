import { describe, expect, it } from 'vitest';
import { sampleEstate } from '#lib/estate/seed';
import { admissionExtras } from '#lib/placements/education-extra';
import type { Referral } from '#lib/referrals/schema';
import { referralWith } from '#tests/support/matching-world';

/** Issue 11 item 9: the education place the business case charges to the placer, by default at admission. */

const harbourView = sampleEstate().find((h) => h.id === 'harbour-view')!; // education place £600 a week
const elmHouse = sampleEstate().find((h) => h.id === 'elm-house')!; // provides none
const needsSchool = referralWith('EDU', { sought: { educationPlaceRequired: true, maxWeeklyBudgetPence: 600_000 } as Referral['sought'] });
const noSchool = referralWith('NOEDU', {});
const transport = { kind: 'transport', basis: 'weekly', amountPence: 5_000 } as const;

describe('the education extra at admission', () => {
  it("adds the home's education place, weekly at its price, where the referral requires one and the home provides it", () => {
    expect(admissionExtras({ referral: needsSchool, home: harbourView, requested: [transport] })).toEqual({
      extras: [transport, { kind: 'education-place', basis: 'weekly', amountPence: 60_000 }],
    });
  });

  it('keeps an education-place extra the manager gives (an agreed amount) instead of adding another', () => {
    const agreed = { kind: 'education-place', basis: 'weekly', amountPence: 45_000 } as const;
    expect(admissionExtras({ referral: needsSchool, home: harbourView, requested: [agreed] }).extras).toEqual([agreed]);
  });

  it('adds nothing where no education place is required, or the home provides none', () => {
    expect(admissionExtras({ referral: noSchool, home: harbourView, requested: [] }).extras).toEqual([]);
    expect(admissionExtras({ referral: needsSchool, home: elmHouse, requested: [] }).extras).toEqual([]);
  });

  it('leaves it off only with a written reason, recorded for the placement', () => {
    const waived = admissionExtras({ referral: needsSchool, home: harbourView, requested: [], educationExtraWaivedReason: 'The child keeps their place at the current school, paid by the placing council directly.' });
    expect(waived).toEqual({ extras: [], educationExtraWaivedReason: 'The child keeps their place at the current school, paid by the placing council directly.' });
  });

  it('refuses a reason where there is nothing to leave off, naming the field', () => {
    for (const [referral, home, requested] of [
      [noSchool, harbourView, []],
      [needsSchool, elmHouse, []],
      [needsSchool, harbourView, [{ kind: 'education-place', basis: 'weekly', amountPence: 1 } as const]],
    ] as const) {
      expect(() => admissionExtras({ referral, home, requested, educationExtraWaivedReason: 'not needed at all here' })).toThrow(
        expect.objectContaining({ field: 'educationExtraWaivedReason', rule: 'invalid_value' }),
      );
    }
  });
});
