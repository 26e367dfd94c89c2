import { label as codeLabel } from '#lib/codes/ssda903';
import codes from '#data/ssda903.json' with { type: 'json' };
import { proRataPence, formatPence } from '#lib/money';
import type { Bed, Home } from '#lib/estate';
import type { ReferralFit, SoftRule } from '#lib/matching';
import type { BedState, Stay, VoidCause } from './bed-state';
import { describeThreshold, type DueAlert } from './thresholds';

/**
 * The alert a manager receives: what happened to which bed, what it has cost
 * so far, and the open referrals that fit it best (ranked by the matcher's
 * own rules: lib/matching/rank-referrals-for-bed.ts). Pure.
 *
 * Children's data stays out: referrals are named by their id and placing
 * council, with the score and each rule's points, but not the rules' reasons
 * (they speak of the child's risks and home area); managers read those in
 * the referral's proposal through the API.
 */

/** How many referrals an alert names. */
export const REFERRALS_NAMED = 3;

/** A referral as an alert names it: never the child. */
export interface AlertReferral {
  referralId: string;
  placingAuthority: { laNumber: string; name: string };
  /** What is sought, so a manager can see at a glance why it fits. */
  placementType: string;
  kind: string;
  /** The first night it could start in this bed: needed-from, or the first void night if later. */
  from: string;
  score: number;
  parts: { rule: SoftRule; points: number }[];
}

export interface VoidBedAlert {
  homeId: string;
  homeName: string;
  bedId: string;
  threshold: DueAlert['threshold'];
  /** The first night of the void spell (for an end ahead: the night the bed will be empty). */
  voidSince: string;
  /** The London date the check ran for. */
  checkedOn: string;
  /** Void nights so far (before tonight); 0 for an end ahead. */
  nightsVoid: number;
  weeklyPricePence: number;
  /** The price per night × nights void so far, half-up once (as an invoice line is). */
  incomeNotEarnedPence: number;
  cause: string;
  /** What is booked next, where something is. */
  next?: string;
  referrals: AlertReferral[];
  /** Open referrals ranked, and how many fit the bed at all. */
  openReferrals: { considered: number; fitting: number };
}

export interface ReferralSummary {
  referralId: string;
  placingAuthority: { laNumber: string; name: string };
  placementType: string;
  kind: string;
  from: string;
}

export interface AlertInput {
  home: Home;
  bed: Bed;
  state: BedState;
  due: DueAlert;
  checkedOn: string;
  weeklyPricePence: number;
  /** The matcher's ranking of open referrals for this bed, best first. */
  fits: readonly ReferralFit[];
  considered: number;
  /** What the alert may say about each referral, by id. */
  summaries: ReadonlyMap<string, ReferralSummary>;
}

export function composeAlert(input: AlertInput): VoidBedAlert {
  const { state, due } = input;
  const nightsVoid = state.kind === 'void' ? state.nights : 0;
  const referrals = input.fits.slice(0, REFERRALS_NAMED).map((fit): AlertReferral => {
    const summary = input.summaries.get(fit.referralId);
    if (!summary) throw new Error(`referral ${fit.referralId} was ranked but not summarised`);
    return { ...summary, score: fit.score, parts: fit.parts.map((p) => ({ rule: p.rule, points: p.points })) };
  });
  const next = state.kind === 'void' && state.nextStay ? `a placement is booked from ${state.nextStay.from}` : undefined;
  return {
    homeId: input.home.id,
    homeName: input.home.name,
    bedId: input.bed.id,
    threshold: due.threshold,
    voidSince: due.spellStart,
    checkedOn: input.checkedOn,
    nightsVoid,
    weeklyPricePence: input.weeklyPricePence,
    incomeNotEarnedPence: proRataPence(input.weeklyPricePence, nightsVoid),
    cause: describeCause(state),
    ...(next ? { next } : {}),
    referrals,
    openReferrals: { considered: input.considered, fitting: input.fits.length },
  };
}

function reasonText(stay: Stay): string {
  if (!stay.reasonPlacementChange) return stay.movedTo ? 'a move to another bed in the home' : 'no reason recorded';
  const entry = (codes.reasonPlacementChange as Record<string, { label: string }>)[stay.reasonPlacementChange];
  return `${stay.reasonPlacementChange}: ${entry?.label ?? 'unknown code'}`;
}

function plannedText(stay: Stay): string {
  return stay.planned === undefined ? 'an end' : stay.planned ? 'a planned end' : 'an unplanned end';
}

function describeEnded(cause: Extract<VoidCause, { kind: 'placement-ended' }>): string {
  const { stay } = cause;
  const how = stay.movedTo ? `the child moved on (${plannedText(stay)}, ${reasonText(stay)})` : `${plannedText(stay)} (${reasonText(stay)})`;
  return `emptied by ${how} of placement ${stay.placementId} on ${stay.to}`;
}

function describeCause(state: BedState): string {
  if (state.kind === 'void') {
    if (state.cause.kind === 'placement-ended') return describeEnded(state.cause);
    if (state.cause.kind === 'back-in-use') return `back in use on ${state.since} (it had been out of use: ${state.cause.reason})`;
    return `sellable and empty, with no placement recorded since ${state.since}`;
  }
  if (state.kind === 'occupied' && state.leavesVoid) {
    const { stay } = state;
    return `placement ${stay.placementId} is recorded to end on ${stay.to} by ${plannedText(stay)} (${reasonText(stay)}), and nothing is booked after it`;
  }
  return state.kind;
}

/** SNS subjects: at most 100 printable ASCII characters, no line breaks. */
const SUBJECT_MAX = 100;

function asciiSubject(text: string): string {
  const ascii = text.replace(/£/g, 'GBP ').replace(/[^\x20-\x7e]/g, '-');
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
}

/** The e-mail: a subject a manager can triage from, and a body they can act on. */
export function renderAlert(alert: VoidBedAlert): { subject: string; body: string } {
  const where = `${alert.homeName} bed ${alert.bedId}`;
  const ahead = alert.threshold === 'void-in-14-days';
  const subject = ahead
    ? `Bed void from ${alert.voidSince}: ${where}`
    : `Void bed: ${where}, ${alert.nightsVoid} night${alert.nightsVoid === 1 ? '' : 's'}, ${formatPence(alert.incomeNotEarnedPence)} not earned`;

  const nightly = proRataPence(alert.weeklyPricePence, 1);
  const lines = [
    `${describeThreshold(alert.threshold)[0]!.toUpperCase()}${describeThreshold(alert.threshold).slice(1)}.`,
    '',
    `Home:   ${alert.homeName} (${alert.homeId})`,
    `Bed:    ${alert.bedId}`,
    ahead ? `Void from the night of ${alert.voidSince} (checked on ${alert.checkedOn}).` : `Void since the night of ${alert.voidSince}: ${alert.nightsVoid} night${alert.nightsVoid === 1 ? '' : 's'} void so far (checked on ${alert.checkedOn}).`,
    `Why:    ${alert.cause}.`,
    ...(alert.next ? [`Next:   ${alert.next}.`] : []),
    ahead
      ? `Income: ${formatPence(alert.weeklyPricePence)} a week (about ${formatPence(nightly)} a night) will not be earned from ${alert.voidSince} unless the bed is filled.`
      : `Income not earned so far: ${formatPence(alert.incomeNotEarnedPence)} (${alert.nightsVoid} night${alert.nightsVoid === 1 ? '' : 's'} at ${formatPence(alert.weeklyPricePence)} a week, pro rata).`,
    '',
  ];
  if (alert.referrals.length === 0) {
    lines.push(`No open referral fits this bed (${alert.openReferrals.considered} open referral(s) ranked).`);
  } else {
    lines.push(`Open referrals that fit this bed best (${alert.openReferrals.fitting} of ${alert.openReferrals.considered} open fit):`);
    alert.referrals.forEach((r, i) => {
      const parts = r.parts.map((p) => `${p.rule} ${p.points >= 0 ? '+' : ''}${p.points}`).join(', ');
      lines.push(
        `  ${i + 1}. ${r.referralId} from ${r.placingAuthority.name} (LA ${r.placingAuthority.laNumber}): score ${r.score}`,
        `     ${r.placementType} ${codeLabel('placementType', r.placementType) ?? ''}`.trimEnd() + `, ${r.kind}, could start ${r.from}`,
        `     ${parts}`,
      );
    });
  }
  lines.push(
    '',
    'To act: read a referral and its proposal (GET /api/referrals/{referralId}), then offer the bed',
    `(POST /api/referrals/{referralId}/offers with {"bedId":"${alert.bedId}"}); or, if the bed cannot be used,`,
    `record it out of use (PUT /api/homes/${alert.homeId}/beds/${alert.bedId}/out-of-use).`,
  );
  return { subject: asciiSubject(subject), body: `${lines.join('\n')}\n` };
}

/** The first night a referral could start in a bed that is void from `voidFrom`. */
export function earliestStart(neededFrom: string, voidFrom: string): string {
  return neededFrom > voidFrom ? neededFrom : voidFrom;
}
