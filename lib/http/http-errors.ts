import { problem, problemResponse, type FieldError, type HttpResponse, type ProblemDetails } from './problem';

/**
 * Errors that end a request with a chosen status, mapped to problem+json at
 * the edge only. Their messages are written for the caller: never put a
 * child's data in one.
 */
export class HttpError extends Error {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail ?? problem.title);
    this.name = new.target.name;
  }

  get status(): number {
    return this.problem.status;
  }

  response(): HttpResponse {
    return problemResponse(this.problem, this.headers);
  }
}

/** No token, or one that fails verification. RFC 6750 asks for the challenge header. */
export class Unauthenticated extends HttpError {
  constructor(detail: string, tokenPresented: boolean) {
    super(problem(401, 'unauthenticated', 'Unauthenticated', detail), {
      'www-authenticate': tokenPresented ? 'Bearer realm="cared-for", error="invalid_token"' : 'Bearer realm="cared-for"',
    });
  }
}

export class Forbidden extends HttpError {
  constructor(detail: string) {
    super(problem(403, 'forbidden', 'Forbidden', detail));
  }
}

export class BadRequest extends HttpError {
  constructor(detail: string, errors?: FieldError[]) {
    super(problem(400, 'invalid-request', 'Invalid request', detail, errors));
  }
}

export class NotFound extends HttpError {
  constructor(detail: string) {
    super(problem(404, 'not-found', 'Not found', detail));
  }
}

export class MethodNotAllowed extends HttpError {
  constructor(allowed: readonly string[]) {
    super(problem(405, 'method-not-allowed', 'Method not allowed', `allowed: ${allowed.join(', ')}`), {
      allow: allowed.join(', '),
    });
  }
}

/** The request is valid but the state of things refuses it: a clash, a stale version, a closed referral. */
export class Conflict extends HttpError {
  constructor(slug: string, title: string, detail: string) {
    super(problem(409, slug, title, detail));
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(limitBytes: number) {
    super(problem(413, 'payload-too-large', 'Payload too large', `the body must be at most ${limitBytes} bytes`));
  }
}

export class UnsupportedMediaType extends HttpError {
  constructor() {
    super(problem(415, 'unsupported-media-type', 'Unsupported media type', 'send application/json'));
  }
}

/** A representation the route does not offer (`?format=` or Accept). */
export class NotAcceptable extends HttpError {
  constructor(offered: readonly string[]) {
    super(problem(406, 'not-acceptable', 'Not acceptable', `this resource is available as: ${offered.join(', ')}`));
  }
}
