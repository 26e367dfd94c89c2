import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { RETRY_AFTER_SECONDS, StatusError } from '#lib/errors';
import { problem, problemResponse, type HttpResponse } from './problem';

/** Errors of ours that mean "try again shortly", beyond the SDK's own classification. */
const OURS_TRANSIENT = new Set(['TransactionConflictException', 'MatchingEnqueueFailed']);

/**
 * Why DynamoDB may cancel a transaction that another try would likely commit. The SDK does not look inside a
 * TransactionCanceledException (a 400), so a transaction cancelled only for these would otherwise end in a 500.
 */
const TRANSIENT_CANCELLATIONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded', 'TransactionConflict']);

/**
 * Whether a retry will likely succeed: throttling, timeouts, network errors
 * and 5xx answers, as the AWS SDK classifies them when its own retries ran
 * out (it follows `cause`, so a wrapped one counts too), and a transaction
 * cancelled only because it was throttled or met another in flight.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return OURS_TRANSIENT.has((error as Error).name) || isThrottlingError(sdkError) || isTransientError(sdkError) || isTransientCancellation(error);
}

function isTransientCancellation(error: object): boolean {
  if ((error as Error).name !== 'TransactionCanceledException') return false;
  const codes = ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  const causes = codes.filter((code) => code !== 'None');
  return causes.length > 0 && causes.every((code) => TRANSIENT_CANCELLATIONS.has(code));
}

/**
 * Every error a request can end in, as the problem+json the caller gets. A
 * StatusError answers with its own status, type and (if it may be shown) its
 * message; a transient failure is a 503 with Retry-After; anything else a
 * 500 that reveals nothing.
 */
export function problemFor(error: unknown): HttpResponse {
  if (error instanceof StatusError) {
    const detail = error.expose ? error.message : undefined;
    const extensions = error.expose ? error.extensions : {};
    return problemResponse({ ...problem(error.status, error.type, error.title, detail, error.expose ? error.errors : undefined), ...extensions }, error.headers);
  }
  if (isTransient(error)) {
    return problemResponse(problem(503, 'temporarily-unavailable', 'Temporarily unavailable', 'a service this needs did not answer in time; retry shortly'), {
      'retry-after': String(RETRY_AFTER_SECONDS),
    });
  }
  return problemResponse(problem(500, 'internal', 'Internal error', 'the error has been logged'));
}

/** The status a failed request answers with (what logs and metrics count). */
export function failureStatus(error: unknown): number {
  if (error instanceof StatusError) return error.status;
  return isTransient(error) ? 503 : 500;
}
