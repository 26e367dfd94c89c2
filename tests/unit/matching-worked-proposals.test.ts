import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { proposeMatches } from '#lib/matching/propose';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';
import { world, WORLD_AS_OF } from '#tests/support/matching-world';
import { referenceProposeMatches } from '#tests/support/reference-propose';

/**
 * The worked examples' proposals, byte for byte as the matcher gave them before the estate cache and
 * home-level scoring (tests/fixtures/worked-proposals.json, written by that matcher), and as its
 * reference (tests/support/reference-propose.ts) gives them now.
 */
const recorded = JSON.parse(readFileSync(new URL('../fixtures/worked-proposals.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ids = Object.keys(WORKED_REFERRALS) as Array<keyof typeof WORKED_REFERRALS>;

describe('the worked examples, byte for byte', () => {
  it('covers every worked example', () => {
    expect(Object.keys(recorded).sort()).toEqual([...ids].sort());
  });

  it.each(ids)('%s: the same proposal as before, and as the reference ranking', (id) => {
    const request = { referralId: id, version: 1, referral: WORKED_REFERRALS[id], asOf: WORLD_AS_OF };
    const now = JSON.stringify(proposeMatches(request, world()));
    expect(now).toBe(JSON.stringify(recorded[id]));
    expect(now).toBe(JSON.stringify(referenceProposeMatches(request, world())));
  });
});
