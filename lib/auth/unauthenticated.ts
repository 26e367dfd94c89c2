import { StatusError } from '#lib/errors';

/** No token, or one that fails verification. RFC 6750 asks for the challenge header. */
export class Unauthenticated extends StatusError {
  constructor(detail: string, tokenPresented: boolean) {
    super(401, 'unauthenticated', 'Unauthenticated', detail, {
      headers: { 'www-authenticate': tokenPresented ? 'Bearer realm="cared-for", error="invalid_token"' : 'Bearer realm="cared-for"' },
    });
  }
}
