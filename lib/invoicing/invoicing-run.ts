import type { Clock } from '#lib/clock';
import { Journal, journalForDocument } from '#lib/ledger';
import type { JournalPublisher } from '#lib/ledger/ports';
import { documentMessageId, type DeliveryRequest, type DeliveryRequester } from '#lib/contracts/delivery-requests';
import { firstDayOf, londonDateAt, monthOf, nextMonth, type Month } from '#lib/time/calendar';
import { draftCouncilDocuments, type DraftDocument, type IssuedDocument } from './documents';
import { customerOf } from './customers';
import type { InvoiceJobQueue } from './jobs';
import type { BillableSource, InvoiceStore } from './ports';
import { correctionMonthsFor, issueDateFor } from './run-period';
import { startRun, type RunStartSettings, type StartOutcome } from './run-start';
import { statusOf, type RunState } from './run-state';

export interface InvoicingRunSettings extends RunStartSettings {
  /** Days from issue to due date. */
  paymentTermsDays: number;
}

export interface InvoicingRunDeps {
  source: BillableSource;
  store: InvoiceStore;
  jobs: InvoiceJobQueue;
  journals: JournalPublisher;
  /** Where each issued document is queued to be sent to its council. */
  deliveries: DeliveryRequester;
  clock: Clock;
}

export type { StartOutcome };
export type CouncilOutcome = { kind: 'staged'; drafts: number } | { kind: 'already-staged' } | { kind: 'not-in-run' };
export type NumberOutcome = { kind: 'numbered'; issuedNow: number; documents: number } | { kind: 'waiting' } | { kind: 'complete' };

/** The journal an issued document posts: a supplementary invoice posts as an invoice. */
export function journalOf(document: IssuedDocument): Journal {
  return Journal.parse(
    journalForDocument({
      number: document.number,
      kind: document.kind === 'credit-note' ? 'credit-note' : 'invoice',
      issueDate: document.issueDate,
      placingLa: document.placingLa,
      netPence: document.netPence,
      vatPence: document.vatPence,
    }),
  );
}

const allStaged = (run: RunState) => run.councils.every((la) => run.staged.includes(la));

/**
 * What sends an issued document: an e-mail to the council's accounts payable,
 * and a webhook where the council has an invoice endpoint. Message ids are
 * fixed by document and channel, so asking twice sends once.
 */
export function deliveriesOf(document: IssuedDocument): DeliveryRequest[] {
  const channels = customerOf(document.placingLa).invoiceEndpoint ? (['email', 'webhook'] as const) : (['email'] as const);
  return channels.map((channel) => ({ kind: 'document', messageId: documentMessageId(document.number, channel, 'issued'), number: document.number, channel, purpose: 'issued' }));
}

/**
 * A month's invoicing run, in three idempotent steps carried by the
 * invoice-jobs queue (see jobs.ts):
 *
 * 1. start: record the run and the councils it covers (the placing-council
 *    registry), then queue one council job each.
 * 2. council: draft the council's documents from its placements and what was
 *    already issued to it (corrections of earlier months included), and stage
 *    them, once. The last council staged queues the numbering.
 * 3. number: issue every staged document in one fixed order (council by LA
 *    number, then as drafted), each numbered in the same transaction that
 *    fills its slot; then send its journals to the ledger and mark the
 *    council done; then complete the run.
 *
 * Numbers are given only in step 3, in an order that does not depend on
 * which council job ran first, how jobs were spread over Lambdas, or where a
 * crash interrupted: a run that was killed and resumed issues exactly the
 * documents and numbers one clean run would.
 */
export class InvoicingRuns {
  constructor(
    private readonly deps: InvoicingRunDeps,
    private readonly settings: InvoicingRunSettings,
  ) {}

  private now(): { ms: number; iso: string } {
    const ms = this.deps.clock.nowMs();
    return { ms, iso: new Date(ms).toISOString() };
  }

  start(month: Month): Promise<StartOutcome> {
    return startRun(this.deps, this.settings, month);
  }

  /** What one council is to be sent for the run (pure but for its reads). */
  async draft(month: Month, placingLa: string): Promise<DraftDocument[]> {
    const { startMonth, paymentTermsDays } = this.settings;
    const correctionMonths = correctionMonthsFor(month).filter((m) => startMonth === undefined || m >= startMonth);
    const [placements, issued] = await Promise.all([
      this.deps.source.placementsOf(placingLa, firstDayOf(nextMonth(month))),
      this.deps.store.forCouncil(placingLa, correctionMonths[0] ?? month, month),
    ]);
    return draftCouncilDocuments({ runMonth: month, placingLa, issueDate: issueDateFor(month), paymentTermsDays, placements, issued, correctionMonths });
  }

  async council(month: Month, placingLa: string): Promise<CouncilOutcome> {
    const { store, jobs } = this.deps;
    const run = await store.getRun(month);
    if (!run) throw new Error(`no run for ${month}: a council job comes only from a started run`);
    if (!run.councils.includes(placingLa)) return { kind: 'not-in-run' };
    let outcome: CouncilOutcome = { kind: 'already-staged' };
    if (!run.staged.includes(placingLa)) {
      const drafts = await this.draft(month, placingLa);
      if (await store.stageDrafts(month, placingLa, drafts)) outcome = { kind: 'staged', drafts: drafts.length };
    }
    // Read after our own staging: whoever staged last sees every council staged and queues the numbering.
    const after = (await store.getRun(month))!;
    if (allStaged(after) && !after.completedAt) await jobs.send([{ type: 'number', month }]);
    return outcome;
  }

  async number(month: Month): Promise<NumberOutcome> {
    const { store, journals } = this.deps;
    const run = await store.getRun(month);
    if (!run) throw new Error(`no run for ${month} to number`);
    if (statusOf(run) === 'complete') return { kind: 'complete' };
    if (!allStaged(run)) return { kind: 'waiting' };
    const staged = await store.stagedDrafts(month);
    let issuedNow = 0;
    let documents = 0;
    for (const placingLa of run.councils) {
      if (run.done.includes(placingLa)) continue;
      const drafts = staged.get(placingLa);
      if (!drafts) throw new Error(`${placingLa} is marked staged for ${month} but its drafts are missing`);
      const issued: IssuedDocument[] = [];
      for (const draft of drafts) {
        const result = await store.issue(draft);
        issued.push(result.document);
        if (result.issuedNow) issuedNow++;
      }
      // Every document of the council's run, new or found: the ledger posts each key once and the
      // sender sends each message id once, so sending again after a crash is safe.
      for (const document of issued) if (document.netPence !== 0) await journals.publish(journalOf(document));
      await this.deps.deliveries.request(issued.flatMap(deliveriesOf));
      await store.councilDone(month, placingLa);
      documents += issued.length;
    }
    await store.completeRun(month, this.now().iso);
    return { kind: 'numbered', issuedNow, documents };
  }
}
