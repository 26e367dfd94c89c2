import { Conflict, InvalidField, NotFound, TemporarilyUnavailable } from '#lib/errors';

/**
 * Why a manager's decision was refused: 404, 400 naming the field, 409 named
 * by its reason, or 503. Messages go to the caller: stored ids and dates
 * only, never a child's data, never the id the caller asked for.
 */

export { NotFound };

/** The request names a field whose value cannot be decided on as it stands. */
export class InvalidDecision extends InvalidField {}

/** The state of things refuses the decision: the bed is held, the offer has lapsed, the placement has ended. */
export class DecisionConflict extends Conflict {
  constructor(
    override readonly reason: ConflictReason,
    message: string,
    /** Members the problem details carry beside `detail` (RFC 9457 extensions), e.g. each rule broken. */
    extensions: Record<string, unknown> = {},
  ) {
    super(reason, message, 'Conflict', { extensions });
  }
}

export type ConflictReason =
  | 'bed-unavailable'
  | 'bed-out-of-use'
  | 'bed-kept-for-own-children'
  | 'bed-in-use'
  | 'bed-id-taken'
  | 'referral-status'
  | 'offer-status'
  | 'offer-expired'
  | 'placement-ended'
  /** The decision breaks one or more of the matcher's hard rules, none overridden. */
  | 'hard-rules';

/** Other writers kept changing the same records: retrying shortly will likely succeed (503). */
export class ConcurrentChanges extends TemporarilyUnavailable {
  constructor(what: string) {
    super(`${what} kept changing while this decision was made; retry shortly`);
  }
}
