import type { Home, VersionedHome } from '#lib/estate';
import type { HomeCalendar } from '#lib/time/home-calendar';
import type { DecisionContext } from './bed-rules';
import { InvalidDecision } from './decision-errors';
import { ensureEstateKeepsHolds } from './estate-conflicts';
import type { BedHistory } from '#lib/time/bed-history';
import type { Decided, Write } from './writes';

/**
 * Changing a home's profile (its beds, their out-of-use periods) without
 * pulling a bed from under a child: a bed that holds an offer or placement
 * cannot be removed, kept back for the council's own children, or put out of
 * use over its nights (estate-conflicts.ts). The calendar's version is a
 * condition of the write, so a hold taken meanwhile makes the change decide again.
 */

/** DynamoDB takes at most 100 items in one transaction; the home and its calendar check take two. */
const MAX_BED_CHANGES = 98;

export interface HomeChangeInput {
  existing: VersionedHome | undefined;
  next: Home;
  calendar: HomeCalendar;
  /** The histories of the beds gaining an out-of-use spell (estate-conflicts.ts, bedsGainingOutOfUse). */
  histories?: readonly BedHistory[];
}

export function decideHomeChange(input: HomeChangeInput, moment: DecisionContext): Decided<VersionedHome> {
  const { existing, next, calendar } = input;
  const before = new Set(existing?.home.beds.map((b) => b.id) ?? []);
  const after = new Set(next.beds.map((b) => b.id));
  const removed = [...before].filter((id) => !after.has(id));
  const added = [...after].filter((id) => !before.has(id));
  ensureEstateKeepsHolds({ existing: existing?.home, next, calendar, histories: input.histories ?? [] }, moment);
  if (removed.length + added.length > MAX_BED_CHANGES) {
    throw new InvalidDecision('beds', 'too_big', `add or remove at most ${MAX_BED_CHANGES} beds at once`);
  }

  const expectedVersion = existing?.version ?? 0;
  const writes: Write[] = [
    { kind: 'home', home: next, expectedVersion, changed: moment.decision },
    { kind: 'calendar-unchanged', homeId: next.id, version: calendar.version },
    ...added.map((bedId): Write => ({ kind: 'bed-claim', bedId, homeId: next.id })),
    ...removed.map((bedId): Write => ({ kind: 'bed-release', bedId, homeId: next.id })),
  ];
  return { result: { home: next, version: expectedVersion + 1 }, writes };
}
