import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '#lib/auth/caller';
import { fixedClock } from '#lib/clock';
import { DynamoGoLiveReader } from '#lib/go-live/dynamo-go-live-reader';
import { DynamoPlacementStore } from '#lib/placements/dynamo-placement-store';
import type { Write } from '#lib/placements/writes';
import { GoLiveImport, IMPORT_FILES } from '#lib/go-live/go-live-import';
import { importedPlacementId } from '#lib/go-live/import-ids';
import { proRataPence } from '#lib/money';
import { draftCouncilDocuments } from '#lib/invoicing/documents';
import { DynamoBillableSource } from '#lib/invoicing/dynamo-billable-source';
import { correctionMonthsFor, issueDateFor } from '#lib/invoicing/run-period';
import { INVOICING_SETTINGS } from '#lib/invoicing/settings';
import { addDays, daysBetween, firstDayOf, monthOf, nextMonth } from '#lib/time/calendar';
import { DynamoAlertRecords } from '#lib/void-beds/dynamo-alert-records';
import { DynamoOpenReferrals, DynamoVoidBedEstate } from '#lib/void-beds/dynamo-void-bed-estate';
import { VoidBedMonitor } from '#lib/void-beds/void-bed-monitor';
import { startApiHarness, type ApiHarness } from '#tests/support/api-harness';
import { emulatorClients, provisionStack } from '#tests/support/emulators';

/**
 * Going live through the API (`POST /api/imports`, finance only) against
 * DynamoDB Local: the sample set in events/import imported twice (the second
 * writes nothing), a set with 3 bad rows refused with all 3 listed and
 * nothing written, and what the imported placements then mean to the
 * void-bed monitor, the KPIs and invoicing.
 */

let h: ApiHarness;
const sample = (): Record<string, string> => Object.fromEntries(IMPORT_FILES.map((name) => [name, readFileSync(`events/import/${name}`, 'utf8')]));

beforeAll(async () => {
  h = await startApiHarness('go-live');
});
afterAll(() => h.stop());

describe('the go-live import', () => {
  it('refuses a set with 3 bad rows, listing each with its line, column and rule, and writes nothing', async () => {
    const files = sample();
    const lines = files['placements.csv']!.split('\n');
    lines[1] = lines[1]!.replace('2008-02-10', '2008-02-30');
    lines[4] = lines[4]!.replace(',CARPL,', ',,');
    lines[6] = lines[6]!.replace('northfield,nf-1,2025-04-14', 'harbour-view,hv-4,2025-04-14');
    files['placements.csv'] = lines.join('\n');
    const before = await h.snapshot();

    const answer = await h.call('POST', '/api/imports', { as: 'finance', body: { files } });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: expect.stringMatching(/import-refused$/), detail: '3 rows are bad: nothing was written' });
    expect(answer.body.errors).toEqual([
      { field: 'placements.csv:2:date_of_birth', rule: 'invalid_format', message: 'a calendar date YYYY-MM-DD' },
      { field: 'placements.csv:5:reason_placement_change', rule: 'required', message: 'an ended placement needs its SSDA903 reason for placement change' },
      { field: 'placements.csv:7:start_date', rule: 'bed-unavailable', message: 'bed hv-4 is held from 2025-03-10 to 2025-09-05 by placement_ref NTY-P-0005 (line 6)' },
    ]);
    expect(answer.body.problems.map((p: any) => [p.file, p.line, p.column, p.rule])).toEqual([
      ['placements.csv', 2, 'date_of_birth', 'invalid_format'],
      ['placements.csv', 5, 'reason_placement_change', 'required'],
      ['placements.csv', 7, 'start_date', 'bed-unavailable'],
    ]);
    expect(await h.snapshot()).toBe(before);
  });

  it('is for finance only', async () => {
    const answer = await h.call('POST', '/api/imports', { as: 'residential-manager', body: { files: sample() } });
    expect(answer.status).toBe(403);
  });

  it('imports the sample set; the same files again write nothing', async () => {
    const first = await h.call('POST', '/api/imports', { as: 'finance', body: { files: sample() } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'complete', written: { homes: 5, placements: 8 }, unchanged: { homes: 0, placements: 0 }, remaining: { homes: 0, placements: 0 }, transactions: 10 });
    const after = await h.snapshot();

    const second = await h.call('POST', '/api/imports', { as: 'finance', body: { files: sample() } });

    expect(second.body).toEqual({ status: 'complete', written: { homes: 0, placements: 0 }, unchanged: { homes: 5, placements: 8 }, remaining: { homes: 0, placements: 0 }, transactions: 0 });
    expect(await h.snapshot()).toBe(after);
    const placement = await h.call('GET', `/api/placements/${importedPlacementId('NTY-P-0005')}`, { as: 'residential-manager' });
    expect(placement.body).toMatchObject({ status: 'ended', startDate: '2025-03-10', ending: { endDate: '2025-09-05', reasonPlacementChange: 'LAREQ', planned: true }, imported: { placementRef: 'NTY-P-0005' } });
    expect(placement.body.referralId).toBeUndefined();
  });

  it('leaves the placements where the void-bed monitor, the void nights and the KPIs see them', async () => {
    const today = h.clock.today();
    const voidNights = await h.call('GET', '/api/beds/elm-5/void-nights', { query: { from: addDays(today, -30), to: today } });
    expect(voidNights.body).toMatchObject({ nights: 30, occupiedNights: 30, voidNights: 0 });

    const monitor = new VoidBedMonitor({
      estate: new DynamoVoidBedEstate(h.db, h.tables),
      referrals: new DynamoOpenReferrals(h.db, h.tables.referrals),
      records: new DynamoAlertRecords(h.db, h.stack.tables.VoidBedAlertsTable!),
      publisher: { publish: async () => 'not-sent' },
    });
    const checked = await monitor.checkBeds(['elm-5', 'mit-4a', 'hv-3'], { today, asOfMs: h.clock.nowMs() });
    expect(checked.outcomes.map((o) => [o.bedId, 'state' in o ? o.state : o.outcome])).toEqual([
      ['elm-5', 'occupied'],
      ['mit-4a', 'occupied'],
      ['hv-3', 'sent'],
    ]);

    // April to September 2025: six stays had nights in it (183 + 183 + 121 + 157 + 109 + 121), three ended in it.
    const kpis = await h.call('GET', '/api/kpis', { as: 'finance', query: { from: '2025-04-01', to: '2025-10-01' } });
    expect(kpis.body.occupancy.overall.occupiedBedNights).toBe(874);
    expect(kpis.body.endings).toMatchObject({ total: 3, plannedMoveOns: 2, breakdowns: 1 });
  });

  it('is invoiced from the go-live month on: that month in full, no late invoice for any month before it', async () => {
    const month = monthOf(h.clock.today());
    const source = new DynamoBillableSource(h.db, h.tables.placements, INVOICING_SETTINGS.extraVatCodes);
    const placements = await source.placementsOf('390', firstDayOf(nextMonth(month)));
    const drafts = draftCouncilDocuments({ runMonth: month, placingLa: '390', issueDate: issueDateFor(month), paymentTermsDays: 30, placements, issued: [], correctionMonths: correctionMonthsFor(month) });

    const nights = daysBetween(firstDayOf(month), firstDayOf(nextMonth(month)));
    expect(drafts.map((d) => [d.kind, d.month])).toEqual([['invoice', month]]);
    expect(drafts[0]!.lines.map((l) => [l.placementId, l.component, l.nights, l.netPence])).toEqual([[importedPlacementId('NTY-P-0001'), 'bed', nights, proRataPence(154_500, nights)]]);
  });

  it('an import that crashed half-way is finished by running it again: the same items as one clean run', async () => {
    const finance: Caller = { subject: 'f-1', name: 'a.finance@council.example', roles: ['finance'] };
    const db = DynamoDBDocumentClient.from(emulatorClients().dynamodb, { marshallOptions: { removeUndefinedValues: true } });
    const importerOn = async (name: string, crashAfter = Infinity) => {
      const { tables } = await provisionStack(name);
      const named = { estate: tables.EstateTable!, referrals: tables.ReferralsTable!, placements: tables.PlacementsTable! };
      const store = new DynamoPlacementStore(db, named);
      let commits = 0;
      const landing: Promise<unknown>[] = [];
      const crashing = {
        commit: async (writes: Write[]) => {
          if (++commits > crashAfter) throw new Error('the process died');
          const commit = store.commit(writes);
          landing.push(commit);
          return commit;
        },
      };
      const scanned = async () => (await Promise.all([named.estate, named.placements].map(async (table) => (await db.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? []))).flat();
      const isChange = (item: Record<string, unknown>) => item.pk === 'ESTATE#CHANGES';
      // The estate's change feed is numbered in commit order, which differs between the two runs: compared apart, by what it names.
      const items = async () => JSON.stringify((await scanned()).filter((i) => !isChange(i)).map((i) => JSON.stringify(i)).sort());
      const changes = async () => {
        const feed = (await scanned()).filter(isChange);
        return {
          numbers: feed.map((c) => c.seq as number).sort((a, b) => a - b),
          named: feed.flatMap((c) => (c.homes as Array<Record<string, unknown>>).map((h) => JSON.stringify(h))).sort(),
        };
      };
      const clock = fixedClock('2026-12-01T12:00:00Z');
      return {
        crashing: new GoLiveImport(new DynamoGoLiveReader(db, named), crashing, clock),
        whole: new GoLiveImport(new DynamoGoLiveReader(db, named), store, clock),
        items,
        changes,
        // A dead process's transactions in flight have landed or not by the time anyone runs it again.
        settled: () => Promise.allSettled(landing),
      };
    };
    const clean = await importerOn('go-live-clean');
    const crashed = await importerOn('go-live-crashed', 6);

    await clean.whole.run(finance, sample());
    await expect(crashed.crashing.run(finance, sample())).rejects.toThrow('the process died');
    await crashed.settled();
    const resumed = await crashed.whole.run(finance, sample());

    // Six transactions got through before the crash; the re-run wrote the rest and nothing twice.
    if (resumed.status !== 'complete') throw new Error(`the re-run ended ${resumed.status}`);
    expect(resumed.transactions).toBe(10 - 6);
    expect(resumed.written.homes + resumed.unchanged.homes).toBe(5);
    expect(resumed.written.placements + resumed.unchanged.placements).toBe(8);
    expect(await crashed.items()).toBe(await clean.items());
    const [crashedFeed, cleanFeed] = await Promise.all([crashed.changes(), clean.changes()]);
    expect(crashedFeed.named).toEqual(cleanFeed.named);
    expect(crashedFeed.numbers).toEqual(cleanFeed.numbers.map((_, i) => i + 1));
  });
});
