import type { HomeCalendar } from '#lib/time/home-calendar';
import type { EstateChange, VersionedHome } from './estate-items';
import type { EstateChangeFeed, EstateReader, EstateSnapshot } from './estate-store';

/**
 * The estate as matching sees it, kept in the function between invocations and refreshed only when
 * it moves. The estate changes a few times a day (an offer, an admission, an edit) and matching runs
 * far more often, so a warm matcher reads one small thing per batch: the changes numbered after the
 * ones its snapshot has seen (usually none). When there are some, it reads just the homes they name,
 * from the table itself. Reads no longer grow with the estate once warm.
 *
 * Cold, it reads every home and calendar through the byKind index, which may lag the table by a
 * moment: the homes named in the last few changes are checked against the versions those changes
 * wrote, and read from the table where the index was behind.
 */

/** How many of the latest changes a cold load checks the index against. */
export const RECHECKED_CHANGES = 50;

interface State {
  /** The last change the snapshot has applied. */
  seq: number;
  homes: Map<string, VersionedHome>;
  calendars: Map<string, HomeCalendar>;
  snapshot: EstateSnapshot;
}

export class EstateCache {
  private state: State | undefined;
  private pending: Promise<EstateSnapshot> | undefined;

  constructor(private readonly source: EstateReader & EstateChangeFeed) {}

  /** The estate as stored now: loaded on first use, then brought up to date with the changes since. */
  snapshot(): Promise<EstateSnapshot> {
    // Callers at the same moment share one refresh.
    this.pending ??= this.refresh().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The number of the last change the snapshot has applied (0 before any change, or before the first load). */
  get seq(): number {
    return this.state?.seq ?? 0;
  }

  private async refresh(): Promise<EstateSnapshot> {
    if (!this.state) return this.load();
    const changes = await this.source.changesSince(this.state.seq);
    if (changes.length > 0) await this.apply(this.state, changes, homesNamed(changes));
    return this.state.snapshot;
  }

  private async load(): Promise<EstateSnapshot> {
    // The number first: a change committed after it is applied by the next refresh, whatever the index showed.
    const seq = await this.source.latestChange();
    const [homes, calendars] = await Promise.all([this.source.listHomes(), this.source.listCalendars()]);
    const state: State = {
      seq,
      homes: new Map(homes.map((h) => [h.home.id, h])),
      calendars: new Map(calendars.map((c) => [c.homeId, c])),
      snapshot: { homes: [], calendars: new Map() },
    };
    const recent = await this.source.changesSince(Math.max(0, seq - RECHECKED_CHANGES));
    await this.apply(state, recent, behindIndex(state, recent));
    this.state = state;
    return state.snapshot;
  }

  /** Reads `homeIds` from the table and takes every version newer than the snapshot's; the snapshot is then at the last change. */
  private async apply(state: State, changes: readonly EstateChange[], homeIds: readonly string[]): Promise<void> {
    if (homeIds.length > 0) {
      const fresh = await this.source.readHomes(homeIds);
      for (const home of fresh.homes) {
        if ((state.homes.get(home.home.id)?.version ?? 0) <= home.version) state.homes.set(home.home.id, home);
      }
      for (const calendar of fresh.calendars) {
        if ((state.calendars.get(calendar.homeId)?.version ?? 0) <= calendar.version) state.calendars.set(calendar.homeId, calendar);
      }
    }
    state.seq = Math.max(state.seq, ...changes.map((c) => c.seq));
    state.snapshot = {
      // In home id order, as the index gives them.
      homes: [...state.homes.values()].map((h) => h.home).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      calendars: new Map(state.calendars),
    };
  }
}

function homesNamed(changes: readonly EstateChange[]): string[] {
  return [...new Set(changes.flatMap((c) => c.homes.map((h) => h.homeId)))];
}

/** Homes a change wrote a newer profile or calendar of than the index gave. */
function behindIndex(state: State, changes: readonly EstateChange[]): string[] {
  const behind = new Set<string>();
  for (const change of changes) {
    for (const { homeId, profileVersion, calendarVersion } of change.homes) {
      if (profileVersion !== undefined && (state.homes.get(homeId)?.version ?? 0) < profileVersion) behind.add(homeId);
      if (calendarVersion !== undefined && (state.calendars.get(homeId)?.version ?? 0) < calendarVersion) behind.add(homeId);
    }
  }
  return [...behind];
}
