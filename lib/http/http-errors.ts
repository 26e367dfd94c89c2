import { StatusError, type FieldError } from '#lib/errors';

/**
 * The protocol's own refusals (authentication, routing, media types), as
 * StatusErrors: mapped to problem+json at the edge like every other. Domain
 * refusals (not found, conflicts, invalid fields) are in lib/errors.ts.
 */

/** Authentication's refusal is the auth context's own; re-exported here beside the protocol's others. */
export { Unauthenticated } from '#lib/auth';

export class Forbidden extends StatusError {
  constructor(detail: string) {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class BadRequest extends StatusError {
  constructor(detail: string, errors?: FieldError[]) {
    super(400, 'invalid-request', 'Invalid request', detail, errors === undefined ? {} : { errors });
  }
}

export class MethodNotAllowed extends StatusError {
  constructor(allowed: readonly string[]) {
    super(405, 'method-not-allowed', 'Method not allowed', `allowed: ${allowed.join(', ')}`, { headers: { allow: allowed.join(', ') } });
  }
}

export class PayloadTooLarge extends StatusError {
  constructor(limitBytes: number) {
    super(413, 'payload-too-large', 'Payload too large', `the body must be at most ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaType extends StatusError {
  constructor() {
    super(415, 'unsupported-media-type', 'Unsupported media type', 'send application/json');
  }
}

/** A representation the route does not offer (`?format=` or Accept). */
export class NotAcceptable extends StatusError {
  constructor(offered: readonly string[]) {
    super(406, 'not-acceptable', 'Not acceptable', `this resource is available as: ${offered.join(', ')}`);
  }
}
