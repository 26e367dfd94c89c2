/**
 * Errors that say how a caller hears of them, in the manner of middy's
 * http-errors: an HTTP status, a stable problem type, and whether their
 * message may be shown (`expose`). Domain code throws them; the edge turns
 * any of them into problem+json (lib/http/error-response.ts) with no table
 * of its own, and logs those of status 500 and up as errors. A message goes
 * to the caller: write it for them, and never put a child's data, nor a
 * value the caller sent in the path or query, in it.
 */

export interface FieldError {
  /** Dotted path of the failing field, e.g. `data.child.dateOfBirth` (array indices as numbers). */
  field: string;
  /** The rule it broke: `required`, or zod's issue code (`invalid_type`, `too_big`, `invalid_format`, …). */
  rule: string;
  message: string;
}

export interface StatusErrorOptions {
  /** Whether the message may be shown to the caller. @default status < 500 */
  expose?: boolean;
  /** The failing fields, for a 400. */
  errors?: FieldError[];
  /** Headers the answer carries (`Allow`, `WWW-Authenticate`, `Retry-After`). */
  headers?: Record<string, string>;
  /** RFC 9457 extension members the problem carries beside `detail` (shown only with it), e.g. each hard rule broken. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/** Seconds a caller is asked to wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

export class StatusError extends Error {
  readonly expose: boolean;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  /**
   * @param status the HTTP status
   * @param type the problem type's slug (`…/problems/<type>`)
   * @param title the problem's short, fixed title
   */
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    message: string,
    options: StatusErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.expose = options.expose ?? status < 500;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.headers = { ...(status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {}), ...options.headers };
  }
}

/** Nothing has that id. Say what kind of thing, never the id asked for. */
export class NotFound extends StatusError {
  constructor(readonly what: string) {
    super(404, 'not-found', 'Not found', `${what} not found`);
  }
}

/** `value` where there is one; where there is none, NotFound(what): a read by id whose absence the caller hears as a 404. */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFound(what);
  return value;
}

/** One field's value cannot be acted on as it stands (beyond what its schema checks). */
export class InvalidField extends StatusError {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(400, 'invalid-request', 'Invalid request', message, { errors: [{ field, rule, message }] });
  }
}

/** The request is valid but the state of things refuses it; `reason` is its problem type. */
export class Conflict extends StatusError {
  constructor(
    readonly reason: string,
    message: string,
    title = 'Conflict',
    options: StatusErrorOptions = {},
  ) {
    super(409, reason, title, message, options);
  }
}

/** Allowed to call the route, not to do this to this record. */
export class Refused extends StatusError {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(403, reason, 'Forbidden', message);
  }
}

/** A retry shortly will likely succeed: other writers kept winning, or a dependency is down. */
export class TemporarilyUnavailable extends StatusError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(503, 'temporarily-unavailable', 'Temporarily unavailable', message, { expose: true, ...options });
  }
}

/** The status an error answers with: its own, else 500. */
export function statusOf(error: unknown): number {
  return error instanceof StatusError ? error.status : 500;
}
