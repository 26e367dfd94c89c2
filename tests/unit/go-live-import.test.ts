import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Caller } from '#lib/auth/caller';
import { fixedClock } from '#lib/clock';
import { GoLiveImport, IMPORT_FILES } from '#lib/go-live/go-live-import';
import { importedPlacementId } from '#lib/go-live/import-ids';
import type { StoredState } from '#lib/go-live/import-plan';
import type { GoLiveReader } from '#lib/go-live/ports';
import type { CommitResult, Write } from '#lib/placements/writes';

/** The go-live files checked and planned, against a stored state held in memory. */

const finance: Caller = { subject: 'f-1', name: 'a.finance@council.example', roles: ['finance'] };
const clock = fixedClock('2026-12-01T12:00:00Z');
const sample = (): Record<string, string> => Object.fromEntries(IMPORT_FILES.map((name) => [name, readFileSync(`events/import/${name}`, 'utf8')]));

const empty = (): StoredState => ({ homes: new Map(), bedHomes: new Map(), calendars: new Map(), histories: new Map(), placements: new Map() });

function world(stored: StoredState = empty()) {
  const commits: Write[][] = [];
  const reader: GoLiveReader = { read: async () => stored };
  const store = { commit: async (writes: Write[]): Promise<CommitResult> => (commits.push(writes), { kind: 'committed' }) };
  return { commits, importer: new GoLiveImport(reader, store, clock, () => 'id') };
}

describe('the go-live import, checked', () => {
  it('plans the sample set: 5 homes, 8 placements, each home one transaction and each home’s placements one more', async () => {
    const { commits, importer } = world();
    const outcome = await importer.run(finance, sample());
    expect(outcome).toEqual({ status: 'complete', written: { homes: 5, placements: 8 }, unchanged: { homes: 0, placements: 0 }, remaining: { homes: 0, placements: 0 }, transactions: 10 });
    expect(Math.max(...commits.map((c) => c.length))).toBeLessThanOrEqual(100);
    const placements = commits.flat().filter((w): w is Extract<Write, { kind: 'placement' }> => w.kind === 'placement').map((w) => w.placement);
    const past = placements.find((p) => p.imported?.placementRef === 'NTY-P-0005')!;
    expect(past).toMatchObject({
      placementId: importedPlacementId('NTY-P-0005'),
      placingAuthorityName: 'Gateshead',
      status: 'ended',
      agreedWeeklyPricePence: 402_000,
      extras: [{ kind: 'transport', basis: 'one-off', amountPence: 12_000 }],
      ending: { endDate: '2025-09-05', reasonPlacementChange: 'LAREQ', planned: true, decision: { by: finance, at: '2026-12-01T12:00:00.000Z' } },
      imported: { billedFrom: '2026-12-01' },
      resident: { dateOfBirth: '2011-07-19', sex: 'F', risks: [], placedBy: '390' },
    });
    expect(past.referralId).toBeUndefined();
    expect(placements.find((p) => p.imported?.placementRef === 'NTY-P-0003')?.extras).toEqual([{ kind: 'additional-staffing', basis: 'weekly', amountPence: 41_050 }]);
    // Current stays go in the calendar; one that ended long ago only in its bed's history.
    const harbour = commits.flat().find((w): w is Extract<Write, { kind: 'calendar' }> => w.kind === 'calendar' && w.calendar.homeId === 'harbour-view')!;
    expect(harbour.calendar.holds).toEqual([]);
    const histories = commits.flat().filter((w): w is Extract<Write, { kind: 'bed-history' }> => w.kind === 'bed-history');
    expect(histories.find((h) => h.history.bedId === 'hv-4')!.history.stays).toEqual([{ id: past.placementId, from: '2025-03-10', to: '2025-09-05' }]);
  });

  it('refuses a set with 3 bad rows, listing all 3 with line, column and rule, and plans nothing', async () => {
    const files = sample();
    const lines = files['placements.csv']!.split('\n');
    lines[1] = lines[1]!.replace('2008-02-10', '2008-02-30'); // line 2: no such date
    lines[4] = lines[4]!.replace(',CARPL,', ',,'); // line 5: ended without a 903 reason
    lines[6] = lines[6]!.replace('northfield,nf-1,2025-04-14', 'harbour-view,hv-4,2025-04-14'); // line 7: hv-4 is held then
    files['placements.csv'] = lines.join('\n');
    const { commits, importer } = world();

    const outcome = await importer.run(finance, files);

    expect(outcome).toEqual({
      status: 'refused',
      problems: [
        { file: 'placements.csv', line: 2, column: 'date_of_birth', rule: 'invalid_format', message: 'a calendar date YYYY-MM-DD' },
        { file: 'placements.csv', line: 5, column: 'reason_placement_change', rule: 'required', message: 'an ended placement needs its SSDA903 reason for placement change' },
        { file: 'placements.csv', line: 7, column: 'start_date', rule: 'bed-unavailable', message: 'bed hv-4 is held from 2025-03-10 to 2025-09-05 by placement_ref NTY-P-0005 (line 6)' },
      ],
    });
    expect(commits).toEqual([]);
  });

  const problemsOf = async (files: Record<string, string>) => {
    const outcome = await world().importer.run(finance, files);
    return outcome.status === 'refused' ? outcome.problems.map((p) => `${p.file}:${p.line}:${p.column}:${p.rule}`) : [];
  };

  it('names the column of a home’s and a bed’s bad cells, and a bed of no home', async () => {
    const files = sample();
    files['homes.csv'] = files['homes.csv']!.replace('SC000101', 'SC1').replace(',16,21,', ',16,x,');
    files['beds.csv'] = `${files['beds.csv']}nowhere,nw-1,maybe,\n`;
    expect(await problemsOf(files)).toEqual(['beds.csv:28:home_id:not_found', 'beds.csv:28:sellable:invalid_value', 'homes.csv:2:age_to:invalid_type', 'homes.csv:2:ofsted_urn:invalid_format']);
  });

  it('refuses a file whose header is not the format’s before reading its rows', async () => {
    const files = sample();
    files['extras.csv'] = 'placement_ref,kind,basis,amount,note\nNTY-P-0002,transport,weekly,35.00,x\n';
    expect(await problemsOf(files)).toEqual(['extras.csv:1:amount:unrecognized_keys', 'extras.csv:1:amount_gbp:required', 'extras.csv:1:note:unrecognized_keys']);
    expect(await problemsOf({ ...sample(), 'notes.txt': 'hello' })).toEqual(['notes.txt:1:(file):unrecognized_keys']);
  });

  it('writes nothing for what is stored as the files say, and refuses a row imported before with other values', async () => {
    const first = world();
    await first.importer.run(finance, sample());
    const writes = first.commits.flat();
    const again = world({
      ...empty(),
      homes: new Map(writes.flatMap((w) => (w.kind === 'home' ? [[w.home.id, { home: w.home, version: 1 }] as const] : []))),
      placements: new Map(writes.flatMap((w) => (w.kind === 'placement' ? [[w.placement.placementId, w.placement] as const] : []))),
    });
    expect(await again.importer.run(finance, sample())).toEqual({ status: 'complete', written: { homes: 0, placements: 0 }, unchanged: { homes: 5, placements: 8 }, remaining: { homes: 0, placements: 0 }, transactions: 0 });
    expect(again.commits).toEqual([]);

    const changed = sample();
    changed['placements.csv'] = changed['placements.csv']!.replace('1545.00\n', '1600.00\n');
    expect(await again.importer.run(finance, changed)).toMatchObject({ status: 'refused', problems: [{ line: 2, column: 'placement_ref', rule: 'already-imported' }] });
  });

  it('stops at the transaction budget of one call, saying what remains', async () => {
    const { importer } = world();
    expect(await importer.run(finance, sample(), { maxTransactions: 4 })).toEqual({
      status: 'partial',
      written: { homes: 4, placements: 0 },
      unchanged: { homes: 0, placements: 0 },
      remaining: { homes: 1, placements: 8 },
      transactions: 4,
    });
  });
});
