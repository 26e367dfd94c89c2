/**
 * Why a manager's decision was refused. Domain code throws these; the API
 * maps them to problem details at the edge (404, 400 naming the field, 409).
 * Messages go to the caller: ids and dates only, never a child's data.
 */

export class NotFound extends Error {
  constructor(readonly what: string) {
    super(`${what} was not found`);
    this.name = 'NotFound';
  }
}

/** The request names a field whose value cannot be decided on as it stands. */
export class InvalidDecision extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidDecision';
  }
}

/** The state of things refuses the decision: the bed is held, the offer has lapsed, the placement has ended. */
export class DecisionConflict extends Error {
  constructor(
    readonly reason: ConflictReason,
    message: string,
  ) {
    super(message);
    this.name = 'DecisionConflict';
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
  | 'placement-ended';

/** Other writers kept changing the same records: retrying shortly will likely succeed (503). */
export class ConcurrentChanges extends Error {
  constructor(what: string) {
    super(`${what} kept changing while this decision was made; retry shortly`);
    this.name = 'ConcurrentChanges';
  }
}
