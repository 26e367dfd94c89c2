import { randomUUID } from 'node:crypto';
import { decisionBy, type Caller } from '#lib/auth';
import type { Clock } from '#lib/clock';
import type { DecisionContext, PlacementStore } from '#lib/placements';
import { londonDateAt } from '#lib/time/calendar';
import { readCsv, type CsvTable } from './csv-table';
import { BED_COLUMNS, BEDS_FILE, HOME_COLUMNS, homesFromRows, HOMES_FILE } from './home-rows';
import { planImport, type ImportPlan, type ImportUnit } from './import-plan';
import type { ImportOutcome } from './import-outcome';
import { importedPlacementId } from './import-ids';
import { EXTRA_COLUMNS, EXTRAS_FILE, PLACEMENT_COLUMNS, placementsFromRows, PLACEMENTS_FILE } from './placement-rows';
import type { GoLiveReader } from './ports';
import { problemAt, sortedProblems, type ImportProblem } from './problems';

/**
 * Going live: a council's estate and its current and past placements from
 * CSV files (docs/going-live.md), all or nothing and idempotent.
 *
 * 1. Every row of every file is checked (cells with the API's schemas, rows
 *    with the rules of an admission and an end, rows against each other and
 *    against what is stored). Any problem: nothing is written, and every
 *    problem is listed with its file, line, column and rule.
 * 2. Then the plan is written, one transaction per home and per up to ~90
 *    placements of a home, each conditioned on the versions it was planned
 *    from. Another writer in between (a manager's decision) fails a
 *    condition: the state is read again and the rest planned again.
 *
 * What is stored as the files say is not written again, so a second import
 * writes nothing, and an import stopped half-way (a crash, or the
 * `maxTransactions` of one API call) is finished by running it again.
 */

export const IMPORT_FILES = [HOMES_FILE, BEDS_FILE, PLACEMENTS_FILE, EXTRAS_FILE] as const;

export interface ImportOptions {
  /** Check and plan only: write nothing. */
  checkOnly?: boolean;
  /** Stop after this many transactions (an API call's time is short); the next run goes on. */
  maxTransactions?: number;
  /** Homes written at once (each home's transactions go in order). @default 4 */
  concurrency?: number;
}

const MAX_ATTEMPTS = 8;

export class GoLiveImport {
  constructor(
    private readonly reader: GoLiveReader,
    private readonly store: Pick<PlacementStore, 'commit'>,
    private readonly clock: Clock,
    private readonly newId: () => string = randomUUID,
  ) {}

  async run(caller: Caller, files: Readonly<Record<string, string>>, options: ImportOptions = {}): Promise<ImportOutcome> {
    const nowMs = this.clock.nowMs();
    const ctx: DecisionContext = { nowMs, today: londonDateAt(nowMs), decision: decisionBy(caller, nowMs), newId: this.newId };
    const problems: ImportProblem[] = [];
    const tables = readFiles(files, problems);
    // A file that cannot be read as the format says: its rows would only add noise.
    if (problems.length > 0) return { status: 'refused', problems: sortedProblems(problems) };
    const homesRefused = new Set<string>();
    const homes = homesFromRows(tables[HOMES_FILE].rows, tables[BEDS_FILE].rows, problems, homesRefused);
    const placements = placementsFromRows(tables[PLACEMENTS_FILE].rows, tables[EXTRAS_FILE].rows, ctx.today, problems);

    const request = {
      homeIds: homes.map((h) => h.home.id),
      bedIds: homes.flatMap((h) => h.home.beds.map((b) => b.id)),
      beds: [...new Map(placements.map((p) => [`${p.homeId}/${p.bedId}`, { homeId: p.homeId, bedId: p.bedId }])).values()],
      placementIds: placements.map((p) => importedPlacementId(p.placementRef)),
    };
    const written = { homes: 0, placements: 0 };
    let unchanged: { homes: number; placements: number } | undefined;
    let transactions = 0;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const plan: ImportPlan = planImport(homes, placements, await this.reader.read(request), ctx, homesRefused, problems);
      if (plan.kind === 'refused') return { status: 'refused', problems: plan.problems };
      unchanged ??= { homes: plan.counts.homes.unchanged, placements: plan.counts.placements.unchanged };
      if (options.checkOnly) return { status: 'checked', written, unchanged, remaining: countOf(plan.units), transactions };
      const budget = (options.maxTransactions ?? Infinity) - transactions;
      const { committed, conflict } = await this.write(plan.units, budget, options.concurrency ?? 4);
      transactions += committed.length;
      written.homes += committed.reduce((n, u) => n + u.homes, 0);
      written.placements += committed.reduce((n, u) => n + u.placements, 0);
      const left = plan.units.filter((u) => !committed.includes(u));
      if (!conflict && left.length > 0) return { status: 'partial', written, unchanged, remaining: countOf(left), transactions };
      if (!conflict) return { status: 'complete', written, unchanged, remaining: { homes: 0, placements: 0 }, transactions };
    }
    throw new Error('the estate kept changing while the import was written: run it again');
  }

  /**
   * Commits the units, `concurrency` homes at a time and each home's in order, starting no more than
   * `budget`. A home whose transaction meets a changed version stops there (the caller plans again).
   */
  private async write(units: readonly ImportUnit[], budget: number, concurrency: number): Promise<{ committed: ImportUnit[]; conflict: boolean }> {
    const byHome = [...Map.groupBy(units, (u) => u.homeId).values()];
    const committed: ImportUnit[] = [];
    let started = 0;
    let conflict = false;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, byHome.length) }, async () => {
        while (next < byHome.length && !conflict) {
          for (const unit of byHome[next++]!) {
            if (started >= budget || conflict) return;
            started++;
            const outcome = await this.store.commit(unit.writes);
            if (outcome.kind === 'conflict') {
              conflict = true;
              return;
            }
            committed.push(unit);
          }
        }
      }),
    );
    return { committed, conflict };
  }
}

const countOf = (units: readonly ImportUnit[]) => ({ homes: units.reduce((n, u) => n + u.homes, 0), placements: units.reduce((n, u) => n + u.placements, 0) });

function readFiles(files: Readonly<Record<string, string>>, problems: ImportProblem[]): Record<(typeof IMPORT_FILES)[number], CsvTable> {
  for (const name of Object.keys(files)) {
    if (!(IMPORT_FILES as readonly string[]).includes(name)) {
      problems.push(problemAt({ file: name, line: 1, column: '(file)' }, 'unrecognized_keys', `not a go-live file: the files are ${IMPORT_FILES.join(', ')}`));
    }
  }
  if (files[HOMES_FILE] === undefined && files[PLACEMENTS_FILE] === undefined) {
    problems.push(problemAt({ file: PLACEMENTS_FILE, line: 1, column: '(file)' }, 'required', `give ${HOMES_FILE} and ${BEDS_FILE}, ${PLACEMENTS_FILE}, or all three`));
  }
  if ((files[HOMES_FILE] === undefined) !== (files[BEDS_FILE] === undefined)) {
    const missing = files[HOMES_FILE] === undefined ? HOMES_FILE : BEDS_FILE;
    problems.push(problemAt({ file: missing, line: 1, column: '(file)' }, 'required', `${HOMES_FILE} and ${BEDS_FILE} come together`));
  }
  const read = (name: string, columns: Parameters<typeof readCsv>[2]): CsvTable => {
    const text = files[name];
    if (text === undefined) return { rows: [], problems: [] };
    const table = readCsv(name, text, columns);
    problems.push(...table.problems);
    return table;
  };
  return {
    [HOMES_FILE]: read(HOMES_FILE, HOME_COLUMNS),
    [BEDS_FILE]: read(BEDS_FILE, BED_COLUMNS),
    [PLACEMENTS_FILE]: read(PLACEMENTS_FILE, PLACEMENT_COLUMNS),
    [EXTRAS_FILE]: read(EXTRAS_FILE, EXTRA_COLUMNS),
  };
}
