import { describe, expect, it } from 'vitest';
import { publishedReferralSchema, referralEventJsonSchema } from '#lib/referrals/json-schema';

describe('the published webhook contract', () => {
  it('docs/referral-event.schema.json is the JSON Schema of the current zod schema (run `npm run docs:schema` after changing it)', () => {
    expect(publishedReferralSchema()).toBe(referralEventJsonSchema());
  });
});
