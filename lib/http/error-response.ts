import { problem, problemResponse, type HttpResponse } from './problem';

/** SDK error names that mean "try again shortly", after the SDK's own retries ran out. */
const TRANSIENT = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'KMSThrottlingException',
  'MatchingEnqueueFailed',
]);

export function isTransient(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name !== undefined && TRANSIENT.has(name);
}

/**
 * Maps an unexpected error to a response that reveals nothing internal:
 * 503 with Retry-After when a retry will likely succeed, 500 otherwise.
 */
export function errorResponse(error: unknown): HttpResponse {
  if (isTransient(error)) {
    return problemResponse(problem(503, 'temporarily-unavailable', 'Temporarily unavailable', 'please retry the delivery'), {
      'retry-after': '5',
    });
  }
  return problemResponse(problem(500, 'internal', 'Internal error', 'the error has been logged'));
}
