import type { Decision } from '#lib/auth/caller';
import type { Bed, Home } from '#lib/estate/schema';
import { presentRisks } from '#lib/matching/risks';
import type { Referral } from '#lib/referrals/schema';
import { addDays } from '#lib/time/calendar';
import { clashes, isLive, sharesNight, type HomeCalendar, type Period, type ResidentProfile } from './calendar';
import { DecisionConflict, InvalidDecision, NotFound } from './decision-errors';

/**
 * The rules every hold on a bed obeys, shared by offers, admissions and moves.
 *
 * A calendar keeps every hold that shares a night with the last
 * CALENDAR_LOOKBACK_DAYS or anything later; older ones are dropped on the
 * next write to keep the item small (the placements table keeps them all).
 * So a decision may reach back at most that far: further back, the calendar
 * could no longer see a clash.
 */
export const CALENDAR_LOOKBACK_DAYS = 7;

/** The instant a decision is made, and the Europe/London date it falls on. */
export interface Moment {
  nowMs: number;
  today: string;
}

export interface DecisionContext extends Moment {
  decision: Decision;
  newId(): string;
}

export const earliestDecidableDate = (moment: Moment): string => addDays(moment.today, -CALENDAR_LOOKBACK_DAYS);

/** Holds that still matter: live (offers not lapsed) and not ended before the lookback window. */
export function currentHolds(calendar: HomeCalendar, moment: Moment): HomeCalendar['holds'] {
  const horizon = earliestDecidableDate(moment);
  return calendar.holds.filter((h) => isLive(h, moment.nowMs) && (h.to === undefined || h.to > horizon));
}

export function ensureWithinLookback(field: string, date: string, moment: Moment): void {
  const earliest = earliestDecidableDate(moment);
  if (date < earliest) {
    throw new InvalidDecision(field, 'too_small', `${field} may be at most ${CALENDAR_LOOKBACK_DAYS} days back (${earliest} or later)`);
  }
}

export function bedOf(home: Home, bedId: string): Bed {
  const bed = home.beds.find((b) => b.id === bedId);
  if (!bed) throw new NotFound('bed');
  return bed;
}

/** A bed another council's child may be offered or placed in, for `period`, with nobody else holding it. */
export function ensureBedAvailable(home: Home, bedId: string, calendar: HomeCalendar, period: Period, moment: Moment, ignoreHoldId?: string): Bed {
  const bed = bedOf(home, bedId);
  if (!bed.sellable) {
    throw new DecisionConflict('bed-kept-for-own-children', `bed ${bedId} is kept for the council's own children`);
  }
  const outOfUse = bed.outOfUse.find((p) => sharesNight(p, period));
  if (outOfUse) {
    throw new DecisionConflict('bed-out-of-use', `bed ${bedId} is out of use from ${outOfUse.from}${outOfUse.to ? ` to ${outOfUse.to}` : ''}`);
  }
  const [held] = clashes(calendar, bedId, period, moment.nowMs, ignoreHoldId);
  if (held) {
    throw new DecisionConflict(
      'bed-unavailable',
      `bed ${bedId} is held by ${held.kind === 'offer' ? 'an offer' : 'a placement'} from ${held.from}${held.to ? ` to ${held.to}` : ', open-ended'}`,
    );
  }
  return bed;
}

/** What matching and the occupancy view may know of the child in a bed: never a name. */
export function residentOf(referral: Referral): ResidentProfile {
  return {
    referralId: referral.referralId,
    dateOfBirth: referral.child.dateOfBirth,
    sex: referral.child.sex,
    risks: presentRisks(referral.risks),
    placedBy: referral.placingAuthority.laNumber,
  };
}
