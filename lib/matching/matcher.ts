import type { EstateSnapshot } from '#lib/estate';
import type { OfferReleaser } from './ports';
import type { Referral, ReferralReader, ReferralRecord } from '#lib/referrals';
import type { MatchingRequest } from './matching-request';
import { proposeMatches } from './propose';
import type { ProposalStore } from './proposal-store';

/**
 * What one matching request does, idempotently per (referral, version):
 *  - a withdrawal releases the referral's offers (releasing twice frees nothing more);
 *  - a placed or withdrawn referral is otherwise closed: nothing to match;
 *  - a request for a version a later webhook event replaced does nothing: that
 *    event's own request matches the newer referral. Versions made by manager
 *    decisions (an offer, an acceptance) change only the status, so the
 *    referral the request names is still the one to match;
 *  - otherwise, unless that version has a proposal already, the estate is
 *    ranked as it stands and the proposal stored, once.
 * The proposal is worked out as at the version's receipt, so a redelivered
 * or reordered message gives the same answer for the same estate.
 */

export type MatchOutcome =
  | { kind: 'proposed'; candidates: number; excluded: number }
  | { kind: 'already-proposed' }
  | { kind: 'superseded'; byVersion: number }
  | { kind: 'closed'; status: 'placed' | 'withdrawn' }
  | { kind: 'offers-released'; released: number };

/** The message is ahead of what the store shows: retry it later (after maxReceiveCount, the DLQ). */
export class ReferralNotReadyError extends Error {
  override readonly name = 'ReferralNotReadyError';
  constructor(
    readonly referralId: string,
    readonly version: number,
    detail: string,
  ) {
    super(`referral ${referralId} version ${version}: ${detail}`);
  }
}

export const WITHDRAWAL_RELEASE_REASON = 'referral-withdrawn';

const WEBHOOK_EVENTS: ReadonlySet<string> = new Set(['referral.created', 'referral.updated', 'referral.withdrawn']);

export interface MatcherDependencies {
  referrals: ReferralReader;
  proposals: ProposalStore;
  offers: OfferReleaser;
  /** The estate as it stands; called only when a proposal may be made (share one refresh across a batch). */
  estate: () => Promise<EstateSnapshot>;
}

type VersionToMatch = { kind: 'match'; referral: Referral; asOf: string } | { kind: 'superseded'; byVersion: number };

export class Matcher {
  constructor(private readonly deps: MatcherDependencies) {}

  async handle(request: MatchingRequest): Promise<MatchOutcome> {
    // Whether this version has its proposal: asked beside the referral, since most requests go on to need both.
    const proposed = this.deps.proposals.has(request.referralId, request.version);
    proposed.catch(() => undefined); // not awaited when the referral turns out closed or superseded
    const current = await this.deps.referrals.getCurrent(request.referralId);
    if (!current) throw new ReferralNotReadyError(request.referralId, request.version, 'not stored yet');
    if (request.version > current.version) {
      throw new ReferralNotReadyError(request.referralId, request.version, `the store shows version ${current.version}`);
    }

    if (current.status === 'withdrawn' && request.event === 'referral.withdrawn') {
      const released = await this.deps.offers.releaseOffersForReferral(current.referralId, WITHDRAWAL_RELEASE_REASON, current.updatedAt);
      return { kind: 'offers-released', released };
    }
    if (current.status === 'withdrawn' || current.status === 'placed') return { kind: 'closed', status: current.status };

    const target = await this.versionToMatch(request, current);
    if (target.kind === 'superseded') return target;
    const [alreadyProposed, estate] = await Promise.all([proposed, this.deps.estate()]);
    if (alreadyProposed) return { kind: 'already-proposed' };
    const proposal = proposeMatches({ referralId: request.referralId, version: request.version, referral: target.referral, asOf: target.asOf }, estate);
    const saved = await this.deps.proposals.save(proposal);
    if (saved === 'already-saved') return { kind: 'already-proposed' };
    return { kind: 'proposed', candidates: proposal.candidates.length, excluded: proposal.excluded.length };
  }

  /** The referral as the requested version had it, unless a later webhook event replaced it. */
  private async versionToMatch(request: MatchingRequest, current: ReferralRecord): Promise<VersionToMatch> {
    if (request.version === current.version) {
      if (!current.referral) throw new ReferralNotReadyError(request.referralId, request.version, 'open without a referral');
      return { kind: 'match', referral: current.referral, asOf: current.updatedAt };
    }
    const entries = await this.deps.referrals.versions(request.referralId, request.version, current.version);
    const replacedBy = entries.find((e) => e.version > request.version && WEBHOOK_EVENTS.has(e.event));
    if (replacedBy) return { kind: 'superseded', byVersion: replacedBy.version };
    const own = entries.find((e) => e.version === request.version);
    if (!own?.referral || !own.receivedAt) {
      throw new ReferralNotReadyError(request.referralId, request.version, 'no history entry with the referral');
    }
    return { kind: 'match', referral: own.referral, asOf: own.receivedAt };
  }
}

/** One load shared by every caller, retried on the next call if it failed. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
