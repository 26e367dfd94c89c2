import type { Month } from '#lib/time/calendar';
import type { BillablePlacement } from './billable';
import type { DraftDocument, IssuedDocument } from './documents';
import type { RunState } from './run-state';

/** Where invoicing finds who to invoice and for what: the placements context, read only. */
export interface BillableSource {
  /** Every council that has ever placed with us, sorted by LA number. */
  placingCouncils(): Promise<string[]>;
  /** The council's placements that began before `before` (a date), as invoicing sees them. */
  placementsOf(placingLa: string, before: string): Promise<BillablePlacement[]>;
}

/** Issued documents and runs (DynamoInvoiceStore). */
export interface InvoiceStore {
  issue(draft: DraftDocument): Promise<{ document: IssuedDocument; issuedNow: boolean }>;
  forCouncil(placingLa: string, fromMonth: Month, toMonth: Month): Promise<IssuedDocument[]>;
  startRun(runMonth: Month, councils: readonly string[], at: string): Promise<RunState>;
  getRun(runMonth: Month): Promise<RunState | undefined>;
  stageDrafts(runMonth: Month, placingLa: string, drafts: readonly DraftDocument[]): Promise<boolean>;
  stagedDrafts(runMonth: Month): Promise<Map<string, DraftDocument[]>>;
  councilDone(runMonth: Month, placingLa: string): Promise<void>;
  completeRun(runMonth: Month, at: string): Promise<void>;
}

/** A document without its lines, as lists show it. */
export type DocumentSummary = Omit<IssuedDocument, 'lines'> & { lineCount: number };

/** Issued documents and runs as the API and payments read them (DynamoInvoiceStore). */
export interface InvoiceReads {
  get(number: string, consistent?: boolean): Promise<IssuedDocument | undefined>;
  /** A council's documents, headers only (no lines), every month. */
  councilDocuments(placingLa: string): Promise<DocumentSummary[]>;
  /** The documents falling due on a day, headers only. */
  dueOn(date: string): Promise<DocumentSummary[]>;
  /** One page of document summaries: a council's, by month charged (of one month if given), or a run's (of one council if given). */
  summaries(
    by: { council: string; month?: Month } | { run: Month; council?: string },
    limit: number,
    cursor?: Record<string, unknown>,
  ): Promise<{ items: DocumentSummary[]; cursor?: Record<string, unknown> }>;
  getRun(runMonth: Month): Promise<RunState | undefined>;
  latestRunMonth(): Promise<Month | undefined>;
  runProgress(runMonth: Month): Promise<(RunState & { documentsIssued: number }) | undefined>;
}
