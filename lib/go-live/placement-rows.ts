import { createHash } from 'node:crypto';
import * as z from '#lib/validation';
import { knownAuthority } from '#lib/codes/local-authorities';
import { PlacementType, ReasonEpisodeCeased, ReasonPlacementChange } from '#lib/codes/ssda903';
import { Risk } from '#lib/codes/pds-risks';
import { Extra, ExtraKind, InvalidDecision, Placement, placementDateWindow, plannedFrom } from '#lib/placements';
import { Child, PlacingAuthority } from '#lib/referrals';
import { IsoDate } from '#lib/time/iso-date';
import { ageOn } from '#lib/time/calendar';
import type { CsvRow } from './csv-table';
import { RowCells, type CellSource } from './cells';
import { UniqueIds } from './unique-ids';
import type { ImportProblem } from './problems';

/**
 * placements.csv and extras.csv: every placement current or past, one row
 * each, and the extras agreed on them. Each cell is checked with the schema
 * the API uses for the same value (the placing council and child as a
 * referral carries them, SSDA903 codes, an extra as an admission takes it),
 * and each row with the rules of an admission and an end: the end not before
 * the start, its 903 reason (planned or unplanned from the code, or said),
 * dates at most a year ahead. See docs/going-live.md.
 */

export const PLACEMENTS_FILE = 'placements.csv';
export const EXTRAS_FILE = 'extras.csv';

export const PLACEMENT_COLUMNS = {
  required: ['placement_ref', 'placing_la', 'purchase_order', 'child_reference', 'date_of_birth', 'sex', 'placement_type', 'home_id', 'bed_id', 'start_date', 'agreed_weekly_price_gbp'],
  optional: ['placing_authority_name', 'risks', 'end_date', 'reason_placement_change', 'planned', 'reason_episode_ceased'],
} as const;

export const EXTRA_COLUMNS = {
  required: ['placement_ref', 'kind', 'basis', 'amount_gbp'],
  optional: [],
} as const;

/** The council's own id for a stay (its case system's): it makes the placement's id, so a second import finds it. */
export const PlacementRef = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/, 'letters, digits and . _ : / - only, at most 64 characters'));

const PlacementRow = z.object({
  placementRef: PlacementRef,
  placingLa: PlacingAuthority.shape.laNumber,
  placingAuthorityName: z.optional(PlacingAuthority.shape.name),
  purchaseOrder: PlacingAuthority.shape.purchaseOrder,
  childReference: Child.shape.reference,
  dateOfBirth: Child.shape.dateOfBirth,
  sex: Child.shape.sex,
  risks: z._default(z.array(Risk).check(z.maxLength(Risk.options.length)), []),
  placementType: PlacementType,
  homeId: z.string().check(z.minLength(1), z.maxLength(63)),
  bedId: z.string().check(z.minLength(1), z.maxLength(63)),
  startDate: IsoDate,
  endDate: z.optional(IsoDate),
  reasonPlacementChange: z.optional(ReasonPlacementChange),
  planned: z.optional(z.boolean()),
  reasonEpisodeCeased: z.optional(ReasonEpisodeCeased),
  agreedWeeklyPricePence: Placement.shape.agreedWeeklyPricePence,
});
type PlacementRow = z.infer<typeof PlacementRow>;

/** Each field of a row: the column it is read from, and how its cell is read. */
const FIELDS: Record<keyof PlacementRow, CellSource> = {
  placementRef: ['placement_ref', 'text'],
  placingLa: ['placing_la', 'text'],
  placingAuthorityName: ['placing_authority_name', 'text'],
  purchaseOrder: ['purchase_order', 'text'],
  childReference: ['child_reference', 'text'],
  dateOfBirth: ['date_of_birth', 'text'],
  sex: ['sex', 'text'],
  risks: ['risks', 'list'],
  placementType: ['placement_type', 'text'],
  homeId: ['home_id', 'text'],
  bedId: ['bed_id', 'text'],
  startDate: ['start_date', 'text'],
  endDate: ['end_date', 'text'],
  reasonPlacementChange: ['reason_placement_change', 'text'],
  planned: ['planned', 'yesNo'],
  reasonEpisodeCeased: ['reason_episode_ceased', 'text'],
  agreedWeeklyPricePence: ['agreed_weekly_price_gbp', 'pence'],
};

/** A placement from the files, checked on its own (the estate and the other rows come next). */
export interface PlacementFromFiles extends PlacementRow {
  line: number;
  placingAuthorityName: string;
  extras: Extra[];
  /** Where the placement ended, planned or not (from the code, or as said). */
  ending?: { endDate: string; reasonPlacementChange: ReasonPlacementChange; planned: boolean; reasonEpisodeCeased?: ReasonEpisodeCeased };
  /** sha256 of the checked values: the same row imported again is recognised, a changed one refused. */
  fingerprint: string;
}

/** The oldest a child in a children's home or supported accommodation can be (a home's age range stops at 25). */
const MAX_AGE_AT_START = 25;

export function placementsFromRows(rows: readonly CsvRow[], extraRows: readonly CsvRow[], today: string, problems: ImportProblem[]): PlacementFromFiles[] {
  const extras = extrasByRef(extraRows, problems);
  const { latest } = placementDateWindow(today);
  const placements: PlacementFromFiles[] = [];
  const refs = new UniqueIds('placement_ref', (ref, line) => `placement_ref ${ref} is already on line ${line}`);
  for (const { cells } of refs.firstRows(PLACEMENTS_FILE, rows, problems)) {
    const parsed = cells.check(PlacementRow, cells.read(FIELDS), (path) => cells.cell(FIELDS[path[0] as keyof PlacementRow]?.[0] ?? 'placement_ref'));
    if (!parsed) continue;
    const checked = checkRow(parsed, cells, latest);
    if (!checked) continue;
    const rowExtras = extras.get(parsed.placementRef) ?? [];
    if (rowExtras.length > 20) cells.problem('placement_ref', 'too_big', `at most 20 extras a placement (${EXTRAS_FILE} has ${rowExtras.length})`);
    const placement = { ...parsed, ...checked, line: cells.line, extras: rowExtras };
    placements.push({ ...placement, fingerprint: fingerprintOf(placement) });
  }
  for (const [ref, list] of extras.raw) {
    if (!refs.has(ref)) for (const cells of list) cells.problem('placement_ref', 'not_found', `placement_ref ${ref} is not in ${PLACEMENTS_FILE}`);
  }
  return placements;
}

/** The rules of an admission and an end that one row can be checked against on its own. */
function checkRow(row: PlacementRow, cells: RowCells, latest: string): Pick<PlacementFromFiles, 'placingAuthorityName' | 'ending'> | undefined {
  let ok = true;
  const refuse = (column: string, rule: string, message: string) => {
    cells.problem(column, rule, message);
    ok = false;
  };
  const name = row.placingAuthorityName ?? knownAuthority(row.placingLa)?.name;
  if (name === undefined) refuse('placing_authority_name', 'required', `placing council ${row.placingLa} is not one we know by number: give its name`);
  if (row.dateOfBirth >= row.startDate) refuse('date_of_birth', 'too_big', 'date_of_birth must be before start_date');
  else if (ageOn(row.dateOfBirth, row.startDate) > MAX_AGE_AT_START) refuse('date_of_birth', 'too_small', `the child would be over ${MAX_AGE_AT_START} at the start`);
  if (row.startDate > latest) refuse('start_date', 'too_big', `start_date may be at most a year ahead: ${latest} or earlier`);
  let ending: PlacementFromFiles['ending'];
  if (row.endDate === undefined) {
    for (const column of ['reason_placement_change', 'planned', 'reason_episode_ceased'] as const) {
      if (cells.text(column) !== undefined) refuse(column, 'invalid_value', `${column} is only for a placement that has ended: give its end_date`);
    }
  } else {
    if (row.endDate < row.startDate) refuse('end_date', 'too_small', `end_date must not be before start_date ${row.startDate}`);
    if (row.endDate > latest) refuse('end_date', 'too_big', `end_date may be at most a year ahead: ${latest} or earlier`);
    if (row.reasonPlacementChange === undefined) {
      refuse('reason_placement_change', 'required', 'an ended placement needs its SSDA903 reason for placement change');
    } else {
      try {
        const planned = plannedFrom(row.reasonPlacementChange, row.planned);
        ending = { endDate: row.endDate, reasonPlacementChange: row.reasonPlacementChange, planned, ...(row.reasonEpisodeCeased ? { reasonEpisodeCeased: row.reasonEpisodeCeased } : {}) };
      } catch (error) {
        if (!(error instanceof InvalidDecision)) throw error;
        refuse('planned', error.rule, error.message);
      }
    }
  }
  return ok ? { placingAuthorityName: name!, ...(ending ? { ending } : {}) } : undefined;
}

function extrasByRef(rows: readonly CsvRow[], problems: ImportProblem[]) {
  const byRef = new Map<string, Extra[]>();
  const raw = new Map<string, RowCells[]>();
  const columnOf: Record<string, string> = { kind: 'kind', basis: 'basis', amountPence: 'amount_gbp' };
  for (const row of rows) {
    const cells = new RowCells(EXTRAS_FILE, row, problems);
    const ref = cells.text('placement_ref');
    if (ref === undefined) {
      cells.problem('placement_ref', 'required', 'placement_ref is required');
      continue;
    }
    raw.set(ref, [...(raw.get(ref) ?? []), cells]);
    const extra = cells.check(z.extend(Extra, { kind: ExtraKind }), { kind: cells.text('kind'), basis: cells.text('basis'), amountPence: cells.pence('amount_gbp') }, (path) =>
      cells.cell(columnOf[String(path[0])] ?? 'kind'),
    );
    if (extra) byRef.set(ref, [...(byRef.get(ref) ?? []), extra]);
  }
  return Object.assign(byRef, { raw });
}

function fingerprintOf(placement: Omit<PlacementFromFiles, 'fingerprint'>): string {
  const { line: _where, ...values } = placement;
  const canonical = JSON.stringify(values, (_, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}
