import { IdentityProviderUnavailable } from '#lib/auth/token-verifier';
import { errorResponse } from '#lib/http/error-response';
import { HttpError } from '#lib/http/http-errors';
import { problem, problemResponse, type HttpResponse } from '#lib/http/problem';
import { ConcurrentChanges, DecisionConflict, InvalidDecision, NotFound } from '#lib/placements/decision-errors';
import { AwardConflict, AwardForbidden } from '#lib/section17/award';
import { AwardNotFound, OverChildYearlyCap } from '#lib/section17/section17-service';

/** Every error a request can end in, as the problem+json the caller gets; internals never leak. */
export function problemFor(error: unknown): HttpResponse {
  if (error instanceof HttpError) return error.response();
  if (error instanceof NotFound) return problemResponse(problem(404, 'not-found', 'Not found', error.message));
  if (error instanceof InvalidDecision) {
    return problemResponse(
      problem(400, 'invalid-request', 'Invalid request', error.message, [{ field: error.field, rule: error.rule, message: error.message }]),
    );
  }
  if (error instanceof DecisionConflict) return problemResponse(problem(409, error.reason, 'Conflict', error.message));
  if (error instanceof AwardNotFound) return problemResponse(problem(404, 'not-found', 'Not found', error.message));
  if (error instanceof AwardForbidden) return problemResponse(problem(403, error.code, 'Forbidden', error.message));
  if (error instanceof OverChildYearlyCap) return problemResponse(problem(409, 'over-child-yearly-cap', 'Conflict', error.message));
  if (error instanceof AwardConflict) return problemResponse(problem(409, 'award-conflict', 'Conflict', error.message));
  if (error instanceof ConcurrentChanges || error instanceof IdentityProviderUnavailable) {
    return problemResponse(problem(503, 'temporarily-unavailable', 'Temporarily unavailable', error.message), { 'retry-after': '2' });
  }
  return errorResponse(error);
}

/** Whether the error is one the caller caused or the state refused (logged briefly), or ours (logged in full). */
export function isExpected(error: unknown): boolean {
  return (
    error instanceof HttpError ||
    error instanceof NotFound ||
    error instanceof InvalidDecision ||
    error instanceof DecisionConflict ||
    error instanceof AwardNotFound ||
    error instanceof AwardForbidden ||
    error instanceof AwardConflict
  );
}
