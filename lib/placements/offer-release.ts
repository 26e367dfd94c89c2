import type { Clock } from '#lib/clock';
import { commitDecision, momentOf } from './decision-commit';
import { NotFound } from './decision-errors';
import { decideRelease } from './offer-decisions';
import type { PlacementStore } from './placement-store';
import type { NotificationDispatcher, OfferReleaser } from './ports';

/**
 * Letting go of a withdrawn referral's offers: the one decision the matcher takes, committed as
 * every manager decision is (decision-commit.ts). On its own so the matcher's bundle carries this
 * decision, not all of them (manager-decisions.ts).
 */
export class OfferReleases implements OfferReleaser {
  constructor(
    private readonly store: Pick<PlacementStore, 'offersOfReferral' | 'getOffer' | 'getCalendar' | 'commit'>,
    private readonly clock: Clock,
    private readonly notices?: NotificationDispatcher,
  ) {}

  /**
   * The referral was withdrawn: let go of every offer still holding a bed for
   * it. Safe to repeat (an offer released once is not released again).
   * @returns how many offers were released by this call
   */
  async releaseOffersForReferral(referralId: string, reason: string, at: string): Promise<number> {
    let released = 0;
    for (const found of await this.store.offersOfReferral(referralId)) {
      if (found.status !== 'offered' && found.status !== 'accepted') continue;
      const offer = await commitDecision({ store: this.store, clock: this.clock, notices: this.notices }, 'the offer', async () => {
        const offer = await this.store.getOffer(found.offerId);
        if (!offer) throw new NotFound('offer');
        const calendar = await this.store.getCalendar(offer.homeId);
        return decideRelease(offer, calendar, reason, at, momentOf(this.clock)) ?? { writes: [], result: undefined };
      });
      if (offer) released += 1;
    }
    return released;
  }
}
