import type { PendingSignIn, SessionStore, StoredSession } from './session';

/**
 * Sessions in memory: for tests of the console without DynamoDB. Given the time, it removes
 * records at their TTL as eagerly as the local stack's sweeper does (DynamoDB may take longer).
 */
export class MemorySessionStore implements SessionStore {
  readonly sessions = new Map<string, { session: StoredSession; expiresAtMs: number }>();
  readonly signIns = new Map<string, PendingSignIn>();

  constructor(private readonly nowMs?: () => number) {}

  async putSession(key: string, session: StoredSession, expiresAtMs: number): Promise<void> {
    this.sessions.set(key, { session: structuredClone(session), expiresAtMs });
  }
  async getSession(key: string): Promise<StoredSession | undefined> {
    const found = this.sessions.get(key);
    if (found && this.nowMs && found.expiresAtMs <= this.nowMs()) this.sessions.delete(key);
    return found && this.sessions.has(key) ? structuredClone(found.session) : undefined;
  }
  async touchSession(key: string, lastSeenAtMs: number, expiresAtMs: number): Promise<void> {
    const found = this.sessions.get(key);
    if (found) this.sessions.set(key, { session: { ...found.session, lastSeenAtMs }, expiresAtMs });
  }
  async deleteSession(key: string): Promise<void> {
    this.sessions.delete(key);
  }
  async putSignIn(key: string, signIn: PendingSignIn): Promise<void> {
    this.signIns.set(key, structuredClone(signIn));
  }
  async takeSignIn(key: string): Promise<PendingSignIn | undefined> {
    const found = this.signIns.get(key);
    this.signIns.delete(key);
    return found;
  }
}
