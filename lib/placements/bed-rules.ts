import type { Decision } from '#lib/auth';
import type { Bed, Home } from '#lib/estate';
import { presentRisks } from '#lib/matching';
import type { Referral } from '#lib/referrals';
import { addDays } from '#lib/time/calendar';
import { clashes, isLive, type HomeCalendar, type ResidentProfile } from '#lib/time/home-calendar';
import { sharesNight, type Period } from '#lib/time/period';
import { stayClashes, type BedHistory } from '#lib/time/bed-history';
import { DecisionConflict, NotFound } from './decision-errors';

/**
 * The rules every hold on a bed obeys, shared by offers, admissions and moves.
 *
 * Two records decide "one holder a night": the home's calendar (every offer
 * and every current or future stay, with what matching needs of the child)
 * and each bed's history (every stay ever, as bare intervals: bed-history.ts).
 * A calendar also keeps stays that ended in the last CALENDAR_KEEPS_DAYS (the
 * occupancy view of the past week); older ones are dropped on its next write
 * and live on in the bed's history.
 */
export const CALENDAR_KEEPS_DAYS = 7;

/** The instant a decision is made, and the Europe/London date it falls on. */
export interface Moment {
  nowMs: number;
  today: string;
}

export interface DecisionContext extends Moment {
  decision: Decision;
  newId(): string;
}

/** The first night a calendar still shows every hold for: earlier nights are in the beds' histories only. */
export const calendarHorizon = (moment: Moment): string => addDays(moment.today, -CALENDAR_KEEPS_DAYS);

/** Holds the calendar keeps: live (offers not lapsed) and not ended before its horizon. */
export function currentHolds(calendar: HomeCalendar, moment: Moment): HomeCalendar['holds'] {
  const horizon = calendarHorizon(moment);
  return calendar.holds.filter((h) => isLive(h, moment.nowMs) && (h.to === undefined || h.to > horizon));
}

export function bedOf(home: Home, bedId: string): Bed {
  const bed = home.beds.find((b) => b.id === bedId);
  if (!bed) throw new NotFound('bed');
  return bed;
}

/**
 * A bed another council's child may be offered or placed in, for `period`, with nobody else holding it:
 * no live hold in the calendar and no stay in the bed's history shares a night with it. The history may
 * be left out only for a period the calendar sees whole (an offer, which starts today at the earliest).
 */
export function ensureBedAvailable(
  home: Home,
  bedId: string,
  calendar: HomeCalendar,
  history: BedHistory | undefined,
  period: Period,
  moment: Moment,
  ignoreHoldId?: string,
): Bed {
  const bed = bedOf(home, bedId);
  if (!bed.sellable) {
    throw new DecisionConflict('bed-kept-for-own-children', `bed ${bedId} is kept for the council's own children`);
  }
  const outOfUse = bed.outOfUse.find((p) => sharesNight(p, period));
  if (outOfUse) {
    throw new DecisionConflict('bed-out-of-use', `bed ${bedId} is out of use from ${outOfUse.from}${outOfUse.to ? ` to ${outOfUse.to}` : ''}`);
  }
  if (history === undefined && period.from < calendarHorizon(moment)) {
    throw new Error(`a hold from ${period.from} reaches behind the calendar of ${home.id}: decide it on the history of bed ${bedId}`);
  }
  const [held] = [...clashes(calendar, bedId, period, moment.nowMs, ignoreHoldId), ...(history ? stayClashes(history, period, ignoreHoldId) : [])];
  if (held) {
    throw new DecisionConflict(
      'bed-unavailable',
      `bed ${bedId} is held by ${'kind' in held && held.kind === 'offer' ? 'an offer' : 'a placement'} from ${held.from}${held.to ? ` to ${held.to}` : ', open-ended'}`,
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
