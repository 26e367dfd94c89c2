import { emptyCalendar, type EstateChange, type VersionedHome } from '#lib/estate/estate-items';
import type { EstateChangeFeed, EstateReader, EstateSnapshot } from '#lib/estate/estate-store';
import type { Home } from '#lib/estate/schema';
import type { HomeCalendar } from '#lib/time/home-calendar';

/**
 * The estate table as the estate cache reads it, in memory: the table itself (strongly consistent),
 * its byKind index (which may lag: `lagIndex()` freezes it, `catchUpIndex()` brings it level) and the
 * change feed that every write records, as DynamoPlacementStore.commit records it. Counts what is read.
 * What is written is copied once; what is read is shared, never to be changed by the reader (the
 * ranking never changes what it reads), which keeps a comparison over a large estate quick.
 */
export class InMemoryEstate implements EstateReader, EstateChangeFeed {
  private readonly homes = new Map<string, VersionedHome>();
  private readonly calendars = new Map<string, HomeCalendar>();
  private readonly changes: EstateChange[] = [];
  private index: { homes: VersionedHome[]; calendars: HomeCalendar[] } | undefined;
  readonly reads = { index: 0, changeQueries: 0, homesRead: 0 };

  /** Writes a home's profile (at its next version) and records the change. */
  putHome(home: Home): void {
    const version = (this.homes.get(home.id)?.version ?? 0) + 1;
    this.homes.set(home.id, structuredClone({ home, version }));
    this.record([{ homeId: home.id, profileVersion: version }]);
  }

  /** Writes a home's calendar with these holds (at its next version) and records the change. */
  putHolds(homeId: string, holds: HomeCalendar['holds']): void {
    const version = (this.calendars.get(homeId)?.version ?? 0) + 1;
    this.calendars.set(homeId, structuredClone({ homeId, version, holds }));
    this.record([{ homeId, calendarVersion: version }]);
  }

  calendar(homeId: string): HomeCalendar {
    return this.calendars.get(homeId) ?? emptyCalendar(homeId);
  }

  home(homeId: string): Home | undefined {
    return this.homes.get(homeId)?.home;
  }

  homeIds(): string[] {
    return [...this.homes.keys()].sort();
  }

  /** The index stops following the table until `catchUpIndex()`. */
  lagIndex(): void {
    this.index = this.indexView();
  }

  catchUpIndex(): void {
    this.index = undefined;
  }

  /** The whole estate as the table holds it now: what a full strongly consistent read would give. */
  stored(): EstateSnapshot {
    const homes = [...this.homes.values()].map((h) => h.home).sort((a, b) => (a.id < b.id ? -1 : 1));
    return { homes, calendars: new Map([...this.calendars.values()].map((c) => [c.homeId, c])) };
  }

  async listHomes(): Promise<VersionedHome[]> {
    this.reads.index++;
    return (this.index ?? this.indexView()).homes;
  }

  async listCalendars(): Promise<HomeCalendar[]> {
    this.reads.index++;
    return (this.index ?? this.indexView()).calendars;
  }

  async latestChange(): Promise<number> {
    this.reads.changeQueries++;
    return this.changes.at(-1)?.seq ?? 0;
  }

  async changesSince(seq: number): Promise<EstateChange[]> {
    this.reads.changeQueries++;
    return this.changes.filter((c) => c.seq > seq);
  }

  async readHomes(homeIds: readonly string[]): Promise<{ homes: VersionedHome[]; calendars: HomeCalendar[] }> {
    this.reads.homesRead += homeIds.length;
    return {
      homes: homeIds.flatMap((id) => this.homes.get(id) ?? []),
      calendars: homeIds.flatMap((id) => this.calendars.get(id) ?? []),
    };
  }

  private record(homes: EstateChange['homes']): void {
    this.changes.push({ seq: this.changes.length + 1, homes });
  }

  private indexView() {
    return {
      homes: [...this.homes.values()].sort((a, b) => (a.home.id < b.home.id ? -1 : 1)),
      calendars: [...this.calendars.values()].sort((a, b) => (a.homeId < b.homeId ? -1 : 1)),
    };
  }
}
