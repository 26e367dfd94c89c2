import type { Clock } from '#lib/clock';
import { londonDateAt } from '#lib/time/calendar';
import type { Moment } from './bed-rules';
import { ConcurrentChanges, DecisionConflict } from './decision-errors';
import { notificationsFor } from './notifications';
import type { PlacementStore } from './placement-store';
import type { NotificationDispatcher } from './ports';
import type { Decided } from './writes';

const MAX_ATTEMPTS = 8;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where a decision is committed: the store, the clock, and who hands its notices on (without one, the outbox's sweep sends them). */
export interface DecisionCommit {
  store: Pick<PlacementStore, 'commit'>;
  clock: Clock;
  notices?: NotificationDispatcher | undefined;
}

/** Now, and the London date it falls on. */
export function momentOf(clock: Clock): Moment {
  const nowMs = clock.nowMs();
  return { nowMs, today: londonDateAt(nowMs) };
}

/**
 * Decides and commits, the one safe way: `decideOnce` reads the records at their versions and
 * decides (pure); all its writes, with the regional inbox's notices of them, are committed in one
 * transaction conditioned on those versions. If another writer got there first, nothing was
 * written: read again and decide again, which now sees their change.
 */
export async function commitDecision<T>({ store, clock, notices }: DecisionCommit, what: string, decideOnce: () => Promise<Decided<T>>): Promise<T> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const decided = await decideOnce();
    if (decided.writes.length === 0) return decided.result;
    // The regional inbox's notices of this decision, committed with it (notifications.ts).
    const due = notificationsFor(decided.writes, new Date(clock.nowMs()).toISOString());
    const outcome = await store.commit([...decided.writes, ...due.map((entry) => ({ kind: 'notification' as const, entry }))]);
    if (outcome.kind === 'committed') {
      // Best effort: the decision stands either way, and the outbox's sweep sends what did not go now.
      await notices?.dispatch(due).catch(() => undefined);
      return decided.result;
    }
    const taken = outcome.failed.find((w) => w.kind === 'bed-claim');
    if (taken) throw new DecisionConflict('bed-id-taken', `bed id ${taken.bedId} is already used by another home`);
    // Jittered so that writers who collided do not collide again in step.
    await pause(Math.random() * 20 * attempt);
  }
  throw new ConcurrentChanges(what);
}
