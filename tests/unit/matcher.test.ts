import { beforeEach, describe, expect, it } from 'vitest';
import { gzipSync, zstdDecompressSync } from 'node:zlib';
import type { EstateSnapshot } from '#lib/estate/estate-store';
import { fitProposal, proposalFromItem } from '#lib/matching/dynamo-proposal-store';
import { Matcher, once, ReferralNotReadyError, WITHDRAWAL_RELEASE_REASON } from '#lib/matching/matcher';
import { proposeMatches } from '#lib/matching/propose';
import type { Proposal } from '#lib/matching/proposal';
import type { ReferralRecord } from '#lib/referrals/lifecycle';
import { WORKED_REFERRALS } from '#tests/fixtures/worked-referrals';
import { InMemoryOfferReleaser, InMemoryProposalStore, InMemoryReferralReader } from '#tests/support/in-memory-matching';
import { world } from '#tests/support/matching-world';

let referrals: InMemoryReferralReader;
let proposals: InMemoryProposalStore;
let offers: InMemoryOfferReleaser;
let estateLoads: number;
let matcher: Matcher;

const estate = async (): Promise<EstateSnapshot> => {
  estateLoads += 1;
  return world();
};

beforeEach(() => {
  referrals = new InMemoryReferralReader();
  proposals = new InMemoryProposalStore();
  offers = new InMemoryOfferReleaser();
  estateLoads = 0;
  matcher = new Matcher({ referrals, proposals, offers, estate });
});

const record = (version: number, changes: Partial<ReferralRecord> = {}): ReferralRecord => ({
  referralId: 'W01',
  status: 'open',
  version,
  placingLa: '390',
  referral: WORKED_REFERRALS.W01,
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: `2026-11-20T09:0${version}:00.000Z`,
  ...changes,
});

describe('the matcher', () => {
  it('stores one proposal per version, worked out as at the version’s receipt; a repeat does nothing', async () => {
    // Prepare
    referrals.record(record(1), 'referral.created');

    // Act
    const first = await matcher.handle({ referralId: 'W01', version: 1, event: 'referral.created' });
    const again = await matcher.handle({ referralId: 'W01', version: 1, event: 'referral.created' });

    // Assess
    expect(first).toEqual({ kind: 'proposed', candidates: 1, excluded: 8 });
    expect(again).toEqual({ kind: 'already-proposed' });
    // The estate is asked for beside the proposal check (a cached estate is one small read), never ranked again.
    expect(estateLoads).toBe(2);
    expect(proposals.proposals.size).toBe(1);
    const stored = await proposals.get('W01', 1);
    expect(stored).toEqual(
      proposeMatches({ referralId: 'W01', version: 1, referral: WORKED_REFERRALS.W01, asOf: '2026-11-20T09:01:00.000Z' }, world()),
    );
  });

  it('a request for a version a later webhook event replaced does nothing, and reads no estate', async () => {
    referrals.record(record(1), 'referral.created');
    referrals.record(record(2, { referral: WORKED_REFERRALS.W12 }), 'referral.updated');

    expect(await matcher.handle({ referralId: 'W01', version: 1, event: 'referral.created' })).toEqual({ kind: 'superseded', byVersion: 2 });
    expect(estateLoads).toBe(0);
    expect(await matcher.handle({ referralId: 'W01', version: 2, event: 'referral.updated' })).toMatchObject({ kind: 'proposed' });
    expect([...proposals.proposals.keys()]).toEqual(['W01#2']);
  });

  it('versions made by manager decisions do not replace the referral: the older request still proposes, for its own version', async () => {
    // Prepare: created (v1), then an offer moved it on (v2) before the matcher ran
    referrals.record(record(1), 'referral.created');
    referrals.record(record(2, { status: 'offered', updatedAt: '2026-11-20T11:00:00.000Z' }), 'offer.made');

    // Act
    const outcome = await matcher.handle({ referralId: 'W01', version: 1, event: 'referral.created' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'proposed' });
    expect((await proposals.get('W01', 1))?.asOf).toBe('2026-11-20T09:01:00.000Z');
  });

  it('a withdrawal releases the referral’s offers, as at the withdrawal; releasing again frees nothing more', async () => {
    // Prepare
    referrals.record(record(1), 'referral.created');
    referrals.record(record(2, { status: 'withdrawn' }), 'referral.withdrawn');
    offers.held.set('W01', 1);

    // Act
    const first = await matcher.handle({ referralId: 'W01', version: 2, event: 'referral.withdrawn' });
    const again = await matcher.handle({ referralId: 'W01', version: 2, event: 'referral.withdrawn' });
    const lateCreate = await matcher.handle({ referralId: 'W01', version: 1, event: 'referral.created' });

    // Assess
    expect(first).toEqual({ kind: 'offers-released', released: 1 });
    expect(again).toEqual({ kind: 'offers-released', released: 0 });
    expect(lateCreate).toEqual({ kind: 'closed', status: 'withdrawn' });
    expect(offers.calls[0]).toEqual({ referralId: 'W01', reason: WITHDRAWAL_RELEASE_REASON, at: '2026-11-20T09:02:00.000Z' });
    expect(proposals.proposals.size).toBe(0);
  });

  it('does not match a placed referral', async () => {
    referrals.record(record(3, { status: 'placed' }), 'placement.admitted');
    expect(await matcher.handle({ referralId: 'W01', version: 3, event: 'referral.updated' })).toEqual({ kind: 'closed', status: 'placed' });
  });

  it('a request ahead of the store is retried (thrown), never dropped', async () => {
    await expect(matcher.handle({ referralId: 'W01', version: 1, event: 'referral.created' })).rejects.toThrow(ReferralNotReadyError);
    referrals.record(record(1), 'referral.created');
    await expect(matcher.handle({ referralId: 'W01', version: 2, event: 'referral.updated' })).rejects.toThrow(/the store shows version 1/);
  });
});

describe('once', () => {
  it('shares one load among concurrent callers, and loads again after a failure', async () => {
    let calls = 0;
    const load = once(async () => {
      calls += 1;
      if (calls === 1) throw new Error('throttled');
      return calls;
    });
    await expect(load()).rejects.toThrow('throttled');
    expect(await Promise.all([load(), load(), load()])).toEqual([2, 2, 2]);
    expect(calls).toBe(2);
  });
});

describe('storing a proposal in one DynamoDB item', () => {
  const big = (candidates: number): Proposal => {
    const base = proposeMatches({ referralId: 'W07', version: 1, referral: WORKED_REFERRALS.W07, asOf: '2026-11-20T10:00:00.000Z' }, world());
    const template = base.candidates[0]!;
    return { ...base, candidates: Array.from({ length: candidates }, (_, i) => ({ ...template, bedId: `bed-${i}`, score: 1_000 - i })) };
  };

  it('keeps the whole proposal, compressed with Zstandard, when it fits', () => {
    const proposal = big(500);
    const { proposal: stored, bytes } = fitProposal(proposal);
    expect(stored).toEqual(proposal);
    expect(JSON.parse(zstdDecompressSync(bytes).toString('utf8'))).toEqual(proposal);
    expect(bytes.length).toBeLessThan(JSON.stringify(proposal).length / 10);
    expect(proposalFromItem({ proposalZstd: bytes })).toEqual(proposal);
  });

  it('still reads a proposal stored gzipped, as they were before', () => {
    const proposal = big(3);
    expect(proposalFromItem({ proposalGzip: gzipSync(JSON.stringify(proposal)) })).toEqual(proposal);
  });

  it('leaves out the lowest-ranked candidates, and says how many, when it does not', () => {
    const proposal = big(500);
    const limit = fitProposal(proposal).bytes.length / 2;
    const { proposal: stored, bytes } = fitProposal(proposal, limit);
    expect(bytes.length).toBeLessThanOrEqual(limit);
    expect(stored.candidates).toEqual(proposal.candidates.slice(0, stored.candidates.length));
    expect(stored.omitted).toEqual({ candidates: 500 - stored.candidates.length, exclusions: 0 });
    expect(stored.candidates.length).toBeGreaterThan(0);
  });
});
