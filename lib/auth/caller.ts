import * as z from '#lib/validation';
import { Role } from './roles';

/** Who is calling, from a verified token: what every decision records. Never a child's data. */
export const Caller = z.object({
  /** The identity provider's stable id for the person (Entra `oid`, else `sub`). */
  subject: z.string().check(z.minLength(1), z.maxLength(200)),
  /** Their sign-in name (`preferred_username`), for people reading the audit trail. */
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  /** The roles of ours the token carries (others are ignored). */
  roles: z.array(Role),
});
export type Caller = z.infer<typeof Caller>;

/** Who decided, and when: recorded on every offer, acceptance, admission, end and move. */
export const Decision = z.object({
  by: Caller,
  at: z.iso.datetime(),
});
export type Decision = z.infer<typeof Decision>;

export function decisionBy(caller: Caller, atMs: number): Decision {
  return { by: caller, at: new Date(atMs).toISOString() };
}

export function hasAnyRole(caller: Caller, allowed: readonly Role[]): boolean {
  return caller.roles.some((role) => allowed.includes(role));
}
