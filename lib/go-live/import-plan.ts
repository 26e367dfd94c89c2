import { emptyCalendar, type Home, type VersionedHome } from '#lib/estate';
import { emptyBedHistory, withStay, type BedHistory } from '#lib/time/bed-history';
import { calendarWrite, currentHolds, decideHomeChange, DecisionConflict, ensureBedAvailable, historyWrite, MAX_ITEMS_OF_WRITES, NotFound, type DecisionContext, type Placement, type Write } from '#lib/placements';
import type { HomeCalendar, Hold } from '#lib/time/home-calendar';
import { sharesNight } from '#lib/time/period';
import { firstDayOf, monthOf } from '#lib/time/calendar';
import { BEDS_FILE, HOMES_FILE, type HomeFromFiles } from './home-rows';
import { importedPlacementId } from './import-ids';
import { PLACEMENTS_FILE, type PlacementFromFiles } from './placement-rows';
import { problemAt, sortedProblems, type ImportProblem } from './problems';

/**
 * Deciding what a go-live import writes, from the checked rows and what is
 * stored now (pure). Homes go in as `PUT /api/homes` puts them
 * (decideHomeChange: each bed id claimed); placements as an admission and an
 * end would leave them: the placement, its hold in the home's calendar (while
 * current), its stay in the bed's history, the placing council in the
 * invoicing registry, all in transactions conditioned on the versions read.
 * A bed is checked as an admission checks it (sellable, in use, no hold or
 * stay of anyone else on any of its nights), the rows against each other
 * too. Any problem and nothing is planned. What is already stored as the
 * files say is left alone, so a second import, or a re-run after a crash,
 * writes only what is missing.
 */

export interface StoredState {
  /** Homes named in the files, as stored. */
  homes: ReadonlyMap<string, VersionedHome>;
  /** The home that claims each bed id named in the files. */
  bedHomes: ReadonlyMap<string, string>;
  calendars: ReadonlyMap<string, HomeCalendar>;
  /** By `historyKey(homeId, bedId)`. */
  histories: ReadonlyMap<string, BedHistory>;
  /** Placements stored under the ids the files' rows make. */
  placements: ReadonlyMap<string, Placement>;
}

export const historyKey = (homeId: string, bedId: string) => `${homeId}/${bedId}`;

export interface ImportCounts {
  homes: { written: number; unchanged: number };
  placements: { written: number; unchanged: number };
}

/** One transaction: at most MAX_ITEMS_OF_WRITES items (the store adds its own to 100). Units of one home go in order (each is conditioned on the versions the one before leaves). */
export interface ImportUnit {
  homeId: string;
  writes: Write[];
  homes: number;
  placements: number;
}

export type ImportPlan = { kind: 'refused'; problems: ImportProblem[] } | { kind: 'planned'; units: ImportUnit[]; counts: ImportCounts };

const MAX_ITEMS = MAX_ITEMS_OF_WRITES;

/**
 * @param homesRefused homes whose rows were refused already: a placement naming one is not told again
 * @param problemsSoFar problems found in the rows on their own: the rows that passed are still checked
 *   against each other and the stored state, so every bad row is listed at once
 */
export function planImport(
  homesInFiles: readonly HomeFromFiles[],
  placementsInFiles: readonly PlacementFromFiles[],
  stored: StoredState,
  ctx: DecisionContext,
  homesRefused: ReadonlySet<string> = new Set(),
  problemsSoFar: readonly ImportProblem[] = [],
): ImportPlan {
  const problems: ImportProblem[] = [...problemsSoFar];
  const units: ImportUnit[] = [];
  const counts: ImportCounts = { homes: { written: 0, unchanged: 0 }, placements: { written: 0, unchanged: 0 } };

  // Homes: new ones created as a manager would; stored ones must be as the files say.
  const homeOf = new Map<string, { home: Home; version: number }>();
  for (const { home, line, bedLines } of homesInFiles) {
    const existing = stored.homes.get(home.id);
    if (existing) {
      if (canonical(existing.home) !== canonical(home)) {
        problems.push(problemAt({ file: HOMES_FILE, line, column: 'home_id' }, 'already-exists', `home ${home.id} is stored with other details: change it with PUT /api/homes/${home.id}`));
        continue;
      }
      counts.homes.unchanged++;
      homeOf.set(home.id, existing);
      continue;
    }
    const taken = home.beds.filter((b) => (stored.bedHomes.get(b.id) ?? home.id) !== home.id);
    for (const bed of taken) {
      problems.push(problemAt({ file: BEDS_FILE, line: bedLines.get(bed.id)!, column: 'bed_id' }, 'bed-id-taken', `bed id ${bed.id} is used by home ${stored.bedHomes.get(bed.id)}`));
    }
    if (taken.length > 0) continue;
    const decided = decideHomeChange({ existing: undefined, next: home, calendar: stored.calendars.get(home.id) ?? emptyCalendar(home.id) }, ctx);
    units.push({ homeId: home.id, writes: decided.writes, homes: 1, placements: 0 });
    counts.homes.written++;
    homeOf.set(home.id, decided.result);
  }
  for (const [id, existing] of stored.homes) if (!homeOf.has(id) && !homesInFiles.some((h) => h.home.id === id)) homeOf.set(id, existing);

  // Placements: each on a bed of a home in the files or stored; stored ones must be as imported.
  const fresh: { row: PlacementFromFiles; id: string }[] = [];
  const kept: PlacementFromFiles[] = [];
  for (const row of placementsInFiles) {
    const at = (column: string) => ({ file: PLACEMENTS_FILE, line: row.line, column });
    const home = homeOf.get(row.homeId);
    if (!home) {
      const refused = homesRefused.has(row.homeId) || homesInFiles.some((h) => h.home.id === row.homeId);
      if (!refused) problems.push(problemAt(at('home_id'), 'not_found', `home ${row.homeId} is neither in ${HOMES_FILE} nor stored`));
      continue;
    }
    if (!home.home.beds.some((b) => b.id === row.bedId)) {
      problems.push(problemAt(at('bed_id'), 'not_found', `home ${row.homeId} has no bed ${row.bedId}`));
      continue;
    }
    const id = importedPlacementId(row.placementRef);
    const existing = stored.placements.get(id);
    if (existing) {
      if (existing.imported?.fingerprint !== row.fingerprint) {
        problems.push(problemAt(at('placement_ref'), 'already-imported', `placement_ref ${row.placementRef} was imported before with other values: change it through the API`));
      } else {
        counts.placements.unchanged++;
        kept.push(row);
      }
      continue;
    }
    fresh.push({ row, id });
  }

  // The rows against each other: one holder a night per bed, one bed a night per child.
  const clashing = new Set<PlacementFromFiles>();
  const overlaps = (key: (r: PlacementFromFiles) => string, rule: string, say: (r: PlacementFromFiles, other: PlacementFromFiles) => string) => {
    const groups = new Map<string, PlacementFromFiles[]>();
    for (const r of [...kept, ...fresh.map((f) => f.row)]) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
    for (const group of groups.values()) {
      const sorted = [...group].sort((a, b) => a.startDate.localeCompare(b.startDate) || a.line - b.line);
      sorted.forEach((r, i) => {
        const other = sorted.slice(0, i).find((o) => sharesNight(periodOf(o), periodOf(r)));
        if (!other) return;
        clashing.add(r);
        problems.push(problemAt({ file: PLACEMENTS_FILE, line: r.line, column: 'start_date' }, rule, say(r, other)));
      });
    }
  };
  overlaps((r) => r.bedId, 'bed-unavailable', (r, o) => `bed ${r.bedId} is held from ${o.startDate}${o.endDate ? ` to ${o.endDate}` : ', open-ended'} by placement_ref ${o.placementRef} (line ${o.line})`);
  overlaps(
    (r) => `${r.placingLa}/${r.childReference}`,
    'child-placed-twice',
    (r, o) => `child ${r.childReference} of council ${r.placingLa} is placed from ${o.startDate}${o.endDate ? ` to ${o.endDate}` : ', open-ended'} by placement_ref ${o.placementRef} (line ${o.line})`,
  );

  // New rows against what is stored: as an admission checks a bed.
  const byHome = new Map<string, { row: PlacementFromFiles; id: string }[]>();
  for (const f of fresh) byHome.set(f.row.homeId, [...(byHome.get(f.row.homeId) ?? []), f]);
  for (const [homeId, list] of byHome) {
    const { home } = homeOf.get(homeId)!;
    const calendar = stored.calendars.get(homeId) ?? emptyCalendar(homeId);
    for (const { row, id } of list) {
      if (clashing.has(row)) continue;
      try {
        // Its own id is ignored: reads are not one snapshot, so another run of this import may have just written it (its placement's write then fails and this plans again).
        ensureBedAvailable(home, row.bedId, calendar, stored.histories.get(historyKey(homeId, row.bedId)) ?? emptyBedHistory(homeId, row.bedId), periodOf(row), ctx, id);
      } catch (error) {
        if (!(error instanceof DecisionConflict) && !(error instanceof NotFound)) throw error;
        const rule = error instanceof DecisionConflict ? error.reason : 'not_found';
        problems.push(problemAt({ file: PLACEMENTS_FILE, line: row.line, column: 'bed_id' }, rule, error.message));
      }
    }
  }
  if (problems.length > 0) return { kind: 'refused', problems: sortedProblems(problems) };

  for (const [homeId, list] of [...byHome].sort(([a], [b]) => a.localeCompare(b))) {
    const home = homeOf.get(homeId)!;
    units.push(...placementUnits(home, list, stored, ctx));
    counts.placements.written += list.length;
  }
  return { kind: 'planned', units, counts };
}

const periodOf = (r: PlacementFromFiles) => ({ from: r.startDate, to: r.endDate });

/** The home's new placements in as few transactions as fit: calendar, home check, each bed's history, placements, councils. */
function placementUnits(home: { home: Home; version: number }, list: { row: PlacementFromFiles; id: string }[], stored: StoredState, ctx: DecisionContext): ImportUnit[] {
  const homeId = home.home.id;
  let calendar = stored.calendars.get(homeId) ?? emptyCalendar(homeId);
  const histories = new Map<string, BedHistory>();
  const historyOf = (bedId: string) => histories.get(bedId) ?? stored.histories.get(historyKey(homeId, bedId)) ?? emptyBedHistory(homeId, bedId);
  const units: ImportUnit[] = [];
  const sorted = [...list].sort((a, b) => a.row.startDate.localeCompare(b.row.startDate) || a.row.placementRef.localeCompare(b.row.placementRef));
  let chunk: typeof sorted = [];
  const flush = () => {
    if (chunk.length === 0) return;
    const placements = chunk.map(({ row, id }) => placementOf(row, id, home.home, ctx));
    const holds: Hold[] = placements.map((p) => ({ id: p.placementId, bedId: p.bedId, kind: 'placement', from: p.startDate, ...(p.ending ? { to: p.ending.endDate } : {}), resident: p.resident }));
    const calendarWritten = calendarWrite(calendar, currentHolds({ ...calendar, holds: [...calendar.holds, ...holds] }, ctx));
    const historyWrites = [...new Set(placements.map((p) => p.bedId))].map((bedId) => {
      const before = historyOf(bedId);
      const stays = placements.filter((p) => p.bedId === bedId).reduce((h, p) => ({ ...h, stays: withStay(h, { id: p.placementId, from: p.startDate, ...(p.ending ? { to: p.ending.endDate } : {}) }) }), before).stays;
      const write = historyWrite(before, stays);
      histories.set(bedId, write.history);
      return write;
    });
    units.push({
      homeId,
      writes: [
        calendarWritten,
        { kind: 'home-unchanged', homeId, version: home.version },
        ...historyWrites,
        ...placements.map((placement): Write => ({ kind: 'placement', placement, expectedVersion: 0 })),
        ...[...new Set(placements.map((p) => p.placingLa))].map((laNumber): Write => ({ kind: 'placing-council', laNumber })),
      ],
      homes: 0,
      placements: placements.length,
    });
    calendar = calendarWritten.calendar;
    chunk = [];
  };
  for (const next of sorted) {
    const after = [...chunk, next];
    const items = 2 + new Set(after.map((c) => c.row.bedId)).size + after.length + new Set(after.map((c) => c.row.placingLa)).size;
    if (items > MAX_ITEMS) flush();
    chunk.push(next);
  }
  flush();
  return units;
}

/** The placement as an admission (and, for a past one, its end) would have stored it, recorded by whoever imports. */
function placementOf(row: PlacementFromFiles, placementId: string, home: Home, ctx: DecisionContext): Placement {
  return {
    placementId,
    placingLa: row.placingLa,
    placingAuthorityName: row.placingAuthorityName,
    purchaseOrder: row.purchaseOrder,
    childReference: row.childReference,
    homeId: home.id,
    bedId: row.bedId,
    ofstedUrn: home.ofstedUrn,
    homePostcode: home.postcode,
    placementType: row.placementType,
    provider: 'PR2',
    startDate: row.startDate,
    agreedWeeklyPricePence: row.agreedWeeklyPricePence,
    extras: row.extras,
    status: row.ending ? 'ended' : 'active',
    resident: { dateOfBirth: row.dateOfBirth, sex: row.sex, risks: row.risks, placedBy: row.placingLa },
    version: 1,
    admitted: ctx.decision,
    ...(row.ending ? { ending: { ...row.ending, decision: ctx.decision } } : {}),
    imported: { placementRef: row.placementRef, fingerprint: row.fingerprint, billedFrom: firstDayOf(monthOf(ctx.today)) },
  };
}

/** JSON with keys in order: two homes that say the same thing compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
