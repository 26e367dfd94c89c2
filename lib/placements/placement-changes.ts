import type { VersionedHome } from '#lib/estate';
import { isPlannedChange, type ReasonEpisodeCeased, type ReasonPlacementChange } from '#lib/codes/ssda903';
import type { HomeCalendar, Hold } from '#lib/time/home-calendar';
import { withStay, type BedHistory } from '#lib/time/bed-history';
import { currentHolds, ensureBedAvailable, type DecisionContext, type Moment } from './bed-rules';
import { ensureInDateWindow } from './date-window';
import type { Referral, ReferralRecord } from '#lib/referrals';
import { DecisionConflict, InvalidDecision } from './decision-errors';
import { applyDecisionRules } from './decision-rules';
import type { OverrideRequest } from './overrides';
import type { Ending, Placement } from './schema';
import { calendarWrite, historyWrite, type Decided, type Write } from './writes';

/**
 * Ending a placement and moving a child to another bed. The SSDA903 reason
 * for placement change tells planned from unplanned where the code says;
 * where it does not (LAREQ, PLACE, OTHER) the manager must.
 */

/** Planned or unplanned, from the code where it tells, else from the manager's answer. */
export function plannedFrom(reason: ReasonPlacementChange, answered: boolean | undefined): boolean {
  const fromCode = isPlannedChange(reason);
  if (fromCode === null) {
    if (answered === undefined) {
      throw new InvalidDecision('planned', 'required', `reason ${reason} does not say whether the change was planned: say planned true or false`);
    }
    return answered;
  }
  if (answered !== undefined && answered !== fromCode) {
    throw new InvalidDecision('planned', 'invalid_value', `reason ${reason} is always ${fromCode ? 'planned' : 'unplanned'}`);
  }
  return fromCode;
}

function ensureActive(placement: Placement): void {
  if (placement.status !== 'active') {
    throw new DecisionConflict('placement-ended', `the placement ended on ${placement.ending?.endDate}`);
  }
}

/** The calendar with the placement's hold ending on `endDate` (dropped once it is behind the calendar's horizon). */
function holdsEndingOn(calendar: HomeCalendar, placementId: string, endDate: string, moment: Moment): Hold[] {
  if (!calendar.holds.some((h) => h.id === placementId)) {
    throw new Error(`placement ${placementId} has no hold in the calendar of ${calendar.homeId}`);
  }
  const ended = calendar.holds.map((h) => (h.id === placementId ? { ...h, to: endDate } : h));
  return currentHolds({ ...calendar, holds: ended }, moment);
}

export interface EndInput {
  placement: Placement;
  calendar: HomeCalendar;
  /** The history of the placement's bed. */
  history: BedHistory;
  endDate: string;
  reasonPlacementChange: ReasonPlacementChange;
  planned?: boolean;
  reasonEpisodeCeased?: ReasonEpisodeCeased;
}

export function decideEnd(input: EndInput, ctx: DecisionContext): Decided<Placement> {
  const { placement } = input;
  ensureActive(placement);
  ensureInDateWindow('endDate', input.endDate, ctx.today);
  if (input.endDate < placement.startDate) {
    throw new InvalidDecision('endDate', 'too_small', `endDate must not be before the start date ${placement.startDate}`);
  }
  const ending: Ending = {
    endDate: input.endDate,
    reasonPlacementChange: input.reasonPlacementChange,
    planned: plannedFrom(input.reasonPlacementChange, input.planned),
    ...(input.reasonEpisodeCeased ? { reasonEpisodeCeased: input.reasonEpisodeCeased } : {}),
    decision: ctx.decision,
  };
  const ended: Placement = { ...placement, status: 'ended', version: placement.version + 1, ending };
  return {
    result: ended,
    writes: [
      calendarWrite(input.calendar, holdsEndingOn(input.calendar, placement.placementId, input.endDate, ctx)),
      historyWrite(input.history, withStay(input.history, { id: placement.placementId, from: placement.startDate, to: input.endDate })),
      { kind: 'placement', placement: ended, expectedVersion: placement.version },
    ],
  };
}

export interface MoveInput {
  placement: Placement;
  /** The referral the child was admitted on: what the hard rules judge the new bed against. */
  record: ReferralRecord | undefined;
  fromCalendar: HomeCalendar;
  /** The history of the bed the child leaves. */
  fromHistory: BedHistory;
  toHome: VersionedHome;
  /** The same calendar as fromCalendar when the move is within one home. */
  toCalendar: HomeCalendar;
  /** The history of the bed the child moves to. */
  toHistory: BedHistory;
  toBedId: string;
  date: string;
  reasonPlacementChange?: ReasonPlacementChange | undefined;
  planned?: boolean | undefined;
  /** The head of service letting the move through hard rules the new home breaks. */
  override?: OverrideRequest | undefined;
}

export interface Move {
  ended: Placement;
  continued: Placement;
}

/**
 * The child moves to another bed on `date`: this placement ends that day and
 * a new one, at the same agreed price and weekly extras, begins. Both homes'
 * calendars change in the same transaction, or neither does.
 */
export function decideMove(input: MoveInput, ctx: DecisionContext): Decided<Move> {
  const { placement, toHome } = input;
  ensureActive(placement);
  if (input.date <= placement.startDate) {
    throw new InvalidDecision('date', 'too_small', `date must be after the start date ${placement.startDate}`);
  }
  ensureInDateWindow('date', input.date, ctx.today);
  if (toHome.home.id === placement.homeId && input.toBedId === placement.bedId) {
    throw new InvalidDecision('toBedId', 'invalid_value', 'the child is already in that bed');
  }
  const changesHome = toHome.home.id !== placement.homeId;
  if (changesHome && input.reasonPlacementChange === undefined) {
    throw new InvalidDecision('reasonPlacementChange', 'required', 'a move to another home is a change of placement: give its SSDA903 reason');
  }
  const bed = ensureBedAvailable(toHome.home, input.toBedId, input.toCalendar, input.toHistory, { from: input.date }, ctx, placement.placementId);
  const continuedId = ctx.newId();
  const rules = applyDecisionRules(
    {
      referral: admittedOn(input.record, placement),
      moving: placement,
      home: toHome.home,
      calendar: input.toCalendar,
      bed,
      from: input.date,
      givenWith: { kind: 'move', id: continuedId },
      override: input.override,
      // Within the home, the exceptions it was let in with still stand; a new home is judged afresh.
      inForce: changesHome ? [] : placement.overrides,
    },
    ctx,
  );

  const ending: Ending = {
    endDate: input.date,
    ...(input.reasonPlacementChange
      ? { reasonPlacementChange: input.reasonPlacementChange, planned: plannedFrom(input.reasonPlacementChange, input.planned) }
      : {}),
    movedTo: continuedId,
    decision: ctx.decision,
  };
  const ended: Placement = { ...placement, status: 'ended', version: placement.version + 1, ending };
  const { offerId: _admittedOn, ending: _notYet, overrides: _judgedAgain, ...carriedOver } = placement;
  const continued: Placement = {
    ...carriedOver,
    placementId: continuedId,
    homeId: toHome.home.id,
    bedId: bed.id,
    ofstedUrn: toHome.home.ofstedUrn,
    homePostcode: toHome.home.postcode,
    startDate: input.date,
    // One-off extras were charged on the first placement; weekly ones continue.
    extras: placement.extras.filter((e) => e.basis === 'weekly'),
    status: 'active',
    version: 1,
    admitted: ctx.decision,
    movedFrom: placement.placementId,
    ...(rules.overrides ? { overrides: rules.overrides } : {}),
  };
  const hold: Hold = { id: continuedId, bedId: bed.id, kind: 'placement', from: input.date, resident: placement.resident };

  const leaving = holdsEndingOn(input.fromCalendar, placement.placementId, input.date, ctx);
  const calendars: Write[] = changesHome
    ? [calendarWrite(input.fromCalendar, leaving), calendarWrite(input.toCalendar, [...currentHolds(input.toCalendar, ctx), hold])]
    : [calendarWrite(input.fromCalendar, [...leaving, hold])];
  return {
    result: { ended, continued },
    writes: [
      ...calendars,
      historyWrite(input.fromHistory, withStay(input.fromHistory, { id: placement.placementId, from: placement.startDate, to: input.date })),
      historyWrite(input.toHistory, withStay(input.toHistory, { id: continuedId, from: input.date })),
      { kind: 'home-unchanged', homeId: toHome.home.id, version: toHome.version },
      { kind: 'placement', placement: ended, expectedVersion: placement.version },
      { kind: 'placement', placement: continued, expectedVersion: 0 },
      ...rules.writes,
    ],
  };
}

/** The referral the child was admitted on; none for a placement loaded at go-live (judged on its own record). */
function admittedOn(record: ReferralRecord | undefined, placement: Placement): { referralId: string; version: number; referral: Referral } | undefined {
  if (placement.referralId === undefined) return undefined;
  if (!record?.referral) {
    throw new DecisionConflict('referral-status', `placement ${placement.placementId} has no referral details to judge the new bed against`);
  }
  return { referralId: record.referralId, version: record.version, referral: record.referral };
}
