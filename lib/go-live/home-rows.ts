import { Bed, Home } from '#lib/estate';
import type { CsvRow } from './csv-table';
import { optional, RowCells } from './cells';
import { UniqueIds } from './unique-ids';
import type { CellRef, ImportProblem } from './problems';

/**
 * homes.csv and beds.csv: the estate, one row per home and one per bed,
 * checked with the API's own schema for a home (lib/estate/schema.ts, what
 * `PUT /api/homes/{homeId}` takes). See docs/going-live.md.
 */

export const HOMES_FILE = 'homes.csv';
export const BEDS_FILE = 'beds.csv';

export const HOME_COLUMNS = {
  required: ['home_id', 'name', 'ofsted_urn', 'postcode', 'registration', 'placement_types', 'kinds', 'age_from', 'age_to', 'sexes', 'max_residents', 'weekly_cost_gbp', 'void_allowance_percent'],
  optional: ['solo_capable', 'pets_on_site', 'needs_accepted', 'risks_excluded', 'premium_weekly_gbp', 'education_place_weekly_gbp'],
} as const;

export const BED_COLUMNS = {
  required: ['home_id', 'bed_id', 'sellable'],
  optional: ['weekly_cost_gbp'],
} as const;

/** The home's fields, by the column that carries each. */
const HOME_FIELD_COLUMNS: Record<string, string> = {
  id: 'home_id',
  name: 'name',
  ofstedUrn: 'ofsted_urn',
  postcode: 'postcode',
  registration: 'registration',
  placementTypes: 'placement_types',
  kinds: 'kinds',
  ageRange: 'age_from',
  sexes: 'sexes',
  maxResidents: 'max_residents',
  soloCapable: 'solo_capable',
  petsOnSite: 'pets_on_site',
  needsAccepted: 'needs_accepted',
  risksExcluded: 'risks_excluded',
  weeklyCostPence: 'weekly_cost_gbp',
  voidAllowancePercent: 'void_allowance_percent',
  premiumWeeklyPence: 'premium_weekly_gbp',
  educationPlaceWeeklyPence: 'education_place_weekly_gbp',
};
const BED_FIELD_COLUMNS: Record<string, string> = { id: 'bed_id', sellable: 'sellable', weeklyCostPence: 'weekly_cost_gbp' };

/** A home from the files, with where each of its parts was written. */
export interface HomeFromFiles {
  home: Home;
  line: number;
  /** The beds.csv line of each bed, by bed id. */
  bedLines: Map<string, number>;
}

/** The homes whose rows (and beds' rows) are good; the ids of those refused go in `refused`, so rows naming them are not told the home is missing. */
export function homesFromRows(homeRows: readonly CsvRow[], bedRows: readonly CsvRow[], problems: ImportProblem[], refused: Set<string> = new Set()): HomeFromFiles[] {
  const bedsByHome = new Map<string, { cells: RowCells; bed: Record<string, unknown> }[]>();
  const bedIds = new UniqueIds('bed_id', (id, line) => `bed ${id} is already on line ${line}: bed ids are unique across the estate`);
  const bedRowsOfHome = new Map<string, RowCells[]>();
  for (const row of bedRows) {
    const cells = new RowCells(BEDS_FILE, row, problems);
    const homeId = cells.text('home_id');
    if (homeId !== undefined) bedRowsOfHome.set(homeId, [...(bedRowsOfHome.get(homeId) ?? []), cells]);
    const bedId = cells.text('bed_id');
    if (homeId === undefined) cells.problem('home_id', 'required', 'home_id is required');
    if (!bedIds.firstTime(cells, bedId)) continue;
    const weeklyCostPence = cells.pence('weekly_cost_gbp');
    const bed = { id: bedId, sellable: cells.yesNo('sellable'), ...(weeklyCostPence !== undefined ? { weeklyCostPence } : {}), outOfUse: [] };
    // Each bed is checked on its own first, so its problems name its own line.
    if (cells.check(Bed, bed, (path) => cells.cell(BED_FIELD_COLUMNS[String(path[0])] ?? 'bed_id')) === undefined || homeId === undefined) continue;
    bedsByHome.set(homeId, [...(bedsByHome.get(homeId) ?? []), { cells, bed }]);
  }

  const homes: HomeFromFiles[] = [];
  const homeIds = new UniqueIds('home_id', (id, line) => `home ${id} is already on line ${line}`);
  for (const { cells, id } of homeIds.firstRows(HOMES_FILE, homeRows, problems)) {
    if (id !== undefined) refused.add(id);
    const beds = id === undefined ? [] : (bedsByHome.get(id) ?? []);
    const badBeds = id !== undefined && beds.length < (bedRowsOfHome.get(id)?.length ?? 0);
    const candidate = {
      id,
      name: cells.text('name'),
      ofstedUrn: cells.text('ofsted_urn'),
      postcode: cells.text('postcode'),
      registration: cells.text('registration'),
      placementTypes: cells.list('placement_types'),
      kinds: cells.list('kinds'),
      ageRange: [cells.int('age_from'), cells.int('age_to')],
      sexes: cells.list('sexes'),
      maxResidents: cells.int('max_residents'),
      ...optional('soloCapable', cells.yesNo('solo_capable')),
      ...optional('petsOnSite', cells.yesNo('pets_on_site')),
      ...optional('needsAccepted', cells.list('needs_accepted')),
      ...optional('risksExcluded', cells.list('risks_excluded')),
      weeklyCostPence: cells.pence('weekly_cost_gbp'),
      voidAllowancePercent: cells.decimal('void_allowance_percent'),
      ...optional('premiumWeeklyPence', cells.pence('premium_weekly_gbp')),
      ...optional('educationPlaceWeeklyPence', cells.pence('education_place_weekly_gbp')),
      beds: beds.map((b) => b.bed),
    };
    const columnOf = (path: readonly PropertyKey[]): CellRef => {
      const [field, index, bedField] = path;
      if (field === 'ageRange') return cells.cell(index === 1 ? 'age_to' : 'age_from');
      if (field === 'beds' && typeof index === 'number' && beds[index]) return beds[index].cells.cell(BED_FIELD_COLUMNS[String(bedField)] ?? 'bed_id');
      if (field === 'beds') return cells.cell(beds.length === 0 ? 'home_id' : 'max_residents');
      return cells.cell(HOME_FIELD_COLUMNS[String(field)] ?? 'home_id');
    };
    if (id !== undefined && beds.length === 0 && !badBeds) {
      cells.problem('home_id', 'too_small', `home ${id} has no rows in ${BEDS_FILE}: a home has at least one bed`);
      continue;
    }
    // A bed row already refused was said on its line; the home waits for it.
    if (badBeds) continue;
    const home = cells.check(Home, candidate, columnOf);
    if (!home) continue;
    refused.delete(home.id);
    homes.push({ home, line: cells.line, bedLines: new Map(beds.map((b) => [String(b.bed.id), b.cells.line])) });
  }

  for (const [homeId, rows] of bedRowsOfHome) {
    if (!homeIds.has(homeId)) for (const cells of rows) cells.problem('home_id', 'not_found', `home ${homeId} is not in ${HOMES_FILE}`);
  }
  return homes;
}
