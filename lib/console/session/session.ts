import { createHash, randomBytes } from 'node:crypto';
import { Caller } from '#lib/auth';
import * as z from '#lib/validation';

/**
 * Server-side sessions (backend for frontend): the browser holds only a
 * random id in an httpOnly cookie; who the person is, their roles and the
 * form token live in the sessions table, keyed by a hash of the id (so the
 * table alone cannot be used to take a session over). No token from the
 * identity provider is kept: the console needs the person, not their token.
 *
 * A session ends after IDLE of no requests or ABSOLUTE after sign-in,
 * whichever is first, and on sign-out. A sign-in in progress (state, nonce
 * and PKCE verifier) is kept the same way for a few minutes, and taken (read
 * and deleted at once) when the identity provider sends the browser back.
 */

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

/** Thirty minutes idle, ten hours in all (a working day): settings in lib/config.ts. */
export const DEFAULT_TIMEOUTS: SessionTimeouts = { idleMs: 30 * 60_000, absoluteMs: 10 * 3_600_000 };

/** How long a sign-in may take at the identity provider. */
export const SIGN_IN_TTL_MS = 10 * 60_000;

/** Activity is recorded at most this often, so reading pages does not write on every request. */
export const TOUCH_INTERVAL_MS = 60_000;

export const StoredSession = z.object({
  caller: Caller,
  csrfToken: z.string().check(z.minLength(32)),
  createdAtMs: z.int(),
  lastSeenAtMs: z.int(),
});
export type StoredSession = z.infer<typeof StoredSession>;

export const PendingSignIn = z.object({
  state: z.string().check(z.minLength(32)),
  nonce: z.string().check(z.minLength(32)),
  codeVerifier: z.string().check(z.minLength(43)),
  /** The console path to go back to once signed in. */
  returnTo: z.string(),
  createdAtMs: z.int(),
});
export type PendingSignIn = z.infer<typeof PendingSignIn>;

/** Where sessions and sign-ins are kept; `key` is always the hash of the cookie's id. */
export interface SessionStore {
  putSession(key: string, session: StoredSession, expiresAtMs: number): Promise<void>;
  getSession(key: string): Promise<StoredSession | undefined>;
  /** Records activity; does nothing if the session has gone. */
  touchSession(key: string, lastSeenAtMs: number, expiresAtMs: number): Promise<void>;
  deleteSession(key: string): Promise<void>;
  putSignIn(key: string, signIn: PendingSignIn, expiresAtMs: number): Promise<void>;
  /** Reads and deletes in one step: a sign-in can be finished once. */
  takeSignIn(key: string): Promise<PendingSignIn | undefined>;
}

/** 32 random bytes, URL-safe: cookie ids, tokens, state and nonce. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

export const storageKey = (id: string): string => createHash('sha256').update(id).digest('base64url');

/** When a session ends if nothing more happens: idle from the last request, but never past the absolute limit. */
export function sessionExpiry(session: Pick<StoredSession, 'createdAtMs' | 'lastSeenAtMs'>, timeouts: SessionTimeouts): number {
  return Math.min(session.lastSeenAtMs + timeouts.idleMs, session.createdAtMs + timeouts.absoluteMs);
}

/**
 * How long a session's record outlives the session (its TTL is the end plus this). Whether a
 * session is active is decided by the times in the record, never by the record being there; the
 * record is kept so that a person who comes back after the idle timeout is told they were signed
 * out (and why) rather than just sent to sign in. Deleted as soon as it is seen ended.
 */
export const ENDED_SESSION_KEPT_MS = 12 * 3_600_000;

/** When the sessions table may remove the record (its TTL): a while after the session ends. */
export function sessionRecordExpiry(session: Pick<StoredSession, 'createdAtMs' | 'lastSeenAtMs'>, timeouts: SessionTimeouts): number {
  return sessionExpiry(session, timeouts) + ENDED_SESSION_KEPT_MS;
}

export type SessionState = { kind: 'active'; session: StoredSession } | { kind: 'expired' } | { kind: 'none' };

/** A stored session as of now: active, or ended by a timeout (DynamoDB's TTL deletes late, so the time is checked here). */
export function sessionState(session: StoredSession | undefined, nowMs: number, timeouts: SessionTimeouts): SessionState {
  if (!session) return { kind: 'none' };
  return nowMs < sessionExpiry(session, timeouts) ? { kind: 'active', session } : { kind: 'expired' };
}
