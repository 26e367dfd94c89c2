import { createHash } from 'node:crypto';
import { placementConfirmation } from './confirmation';
import type { OutboxEntry } from './ports';
import type { Offer, Placement } from './schema';
import type { Write } from './writes';

/**
 * News for the regional commissioning inbox about its referrals: every
 * decision (offer made, accepted, withdrawn; admission with the 903
 * confirmation; move; end with its SSDA903 reason) becomes a signed webhook,
 * written to the outbox in the SAME transaction as the decision, so a
 * decision is never made without its notice nor a notice sent for a decision
 * that was not made. A lapse is written with the offer, due when the offer
 * runs out, and sent then only if nobody answered it.
 *
 * Derived from the decision's own writes, so every decide function (now and
 * later) is covered without each having to remember. Bodies carry the placing
 * council's reference for the child, never a name or date of birth, and are
 * fixed here: every delivery of one message sends the same bytes under the
 * same `webhook-id`.
 */

export type { OutboxEntry } from './ports';


export type NotificationType =
  | 'placement.offer.made'
  | 'placement.offer.accepted'
  | 'placement.offer.withdrawn'
  | 'placement.offer.lapsed'
  | 'placement.admitted'
  | 'placement.moved'
  | 'placement.ended';

/** `msg_` and a digest of what the message is about: the same decision always names the same message. */
export function notificationMessageId(about: string): string {
  return `msg_${createHash('sha256').update(about).digest('hex').slice(0, 32)}`;
}

function entry(type: NotificationType, about: string, referralId: string, placingLa: string, at: string, data: Record<string, unknown>, dueAt = at): OutboxEntry {
  const messageId = notificationMessageId(about);
  return {
    dueAt,
    request: { kind: 'notification', messageId, referralId, placingLa, type, body: JSON.stringify({ type, timestamp: at, data: { referralId, ...data } }) },
  };
}

function offerSummary(offer: Offer, childReference: string | undefined) {
  return {
    offerId: offer.offerId,
    ...(childReference ? { childReference } : {}),
    homeId: offer.homeId,
    bedId: offer.bedId,
    period: { from: offer.from, to: offer.to },
    weeklyPricePence: offer.weeklyPricePence,
  };
}

/** The outbox entries a decision's writes call for. */
export function notificationsFor(writes: readonly Write[], at: string): OutboxEntry[] {
  const childOf = new Map<string, string>();
  for (const w of writes) if (w.kind === 'referral' && w.change.next.referral) childOf.set(w.change.next.referralId, w.change.next.referral.child.reference);
  const placements = writes.flatMap((w) => (w.kind === 'placement' ? [w] : []));
  const entries: OutboxEntry[] = [];
  for (const w of writes) {
    if (w.kind === 'offer') {
      const { offer } = w;
      const child = childOf.get(offer.referralId);
      if (w.expectedVersion === 0 && offer.status === 'offered') {
        entries.push(entry('placement.offer.made', `offer:${offer.offerId}:made`, offer.referralId, offer.placingLa, at, { ...offerSummary(offer, child), heldUntil: offer.expiresAt }));
        // Due when the offer runs out; sent then only if nobody has answered it.
        const lapse = entry('placement.offer.lapsed', `offer:${offer.offerId}:lapsed`, offer.referralId, offer.placingLa, offer.expiresAt, { ...offerSummary(offer, child), lapsedAt: offer.expiresAt }, offer.expiresAt);
        entries.push({ ...lapse, onlyIfOfferUnanswered: offer.offerId });
      } else if (offer.status === 'accepted') {
        entries.push(entry('placement.offer.accepted', `offer:${offer.offerId}:accepted`, offer.referralId, offer.placingLa, at, offerSummary(offer, child)));
      } else if (offer.status === 'declined' || offer.status === 'released') {
        const reason = offer.status === 'declined' ? 'declined' : 'referral-withdrawn';
        entries.push(entry('placement.offer.withdrawn', `offer:${offer.offerId}:withdrawn`, offer.referralId, offer.placingLa, at, { ...offerSummary(offer, child), reason }));
      }
      // A lapse found by a later decision was already announced when the offer ran out.
    }
    if (w.kind === 'placement') {
      const p = w.placement;
      // A placement loaded at go-live came through no referral: there is nobody in the inbox to tell.
      if (!p.referralId) continue;
      if (w.expectedVersion === 0 && !p.movedFrom) {
        entries.push(entry('placement.admitted', `placement:${p.placementId}:admitted`, p.referralId, p.placingLa, at, { confirmation: placementConfirmation(p) }));
      } else if (p.status === 'ended' && p.ending?.movedTo) {
        const continued = placements.find((c) => c.placement.placementId === p.ending!.movedTo)?.placement;
        entries.push(
          entry('placement.moved', `placement:${p.placementId}:moved`, p.referralId, p.placingLa, at, {
            date: p.ending.endDate,
            ...(p.ending.reasonPlacementChange ? { reasonPlacementChange: p.ending.reasonPlacementChange, planned: p.ending.planned } : {}),
            ended: placementConfirmation(p),
            ...(continued ? { continued: placementConfirmation(continued) } : {}),
          }),
        );
      } else if (p.status === 'ended' && p.ending) {
        entries.push(
          entry('placement.ended', `placement:${p.placementId}:ended`, p.referralId, p.placingLa, at, {
            endDate: p.ending.endDate,
            ...(p.ending.reasonPlacementChange ? { reasonPlacementChange: p.ending.reasonPlacementChange } : {}),
            ...(p.ending.planned !== undefined ? { planned: p.ending.planned } : {}),
            ...(p.ending.reasonEpisodeCeased ? { reasonEpisodeCeased: p.ending.reasonEpisodeCeased } : {}),
            confirmation: placementConfirmation(p),
          }),
        );
      }
    }
  }
  return entries;
}
