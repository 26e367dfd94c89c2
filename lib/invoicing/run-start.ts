import type { Clock } from '#lib/clock';
import type { Month } from '#lib/time/calendar';
import type { InvoiceJobQueue } from './jobs';
import type { BillableSource, InvoiceStore } from './ports';
import { assertMonthEnded, BeforeInvoicingStart } from './run-state';

export interface RunStartSettings {
  /**
   * The first month Cared For invoices (go-live): earlier months are neither
   * invoiced late nor corrected, since another system billed them.
   * @default - none: every month a run checks
   */
  startMonth?: Month;
}

/** What starting a run reads and writes: the run records, the placing-council registry, the job queue. */
export interface RunStartDeps {
  source: Pick<BillableSource, 'placingCouncils'>;
  store: Pick<InvoiceStore, 'getRun' | 'startRun' | 'completeRun'>;
  jobs: InvoiceJobQueue;
  clock: Clock;
}

export type StartOutcome = { kind: 'started' | 'resumed'; councils: string[]; jobs: number } | { kind: 'complete' };

/**
 * Step 1 of a month's run (invoicing-run.ts): record the run and the councils
 * it covers (the placing-council registry), then queue one council job each;
 * a run found started queues what is still pending. On its own, so the
 * scheduled function that only starts runs carries none of the drafting and
 * numbering.
 */
export async function startRun(deps: RunStartDeps, settings: RunStartSettings, month: Month): Promise<StartOutcome> {
  const nowMs = deps.clock.nowMs();
  const nowIso = new Date(nowMs).toISOString();
  assertMonthEnded(month, nowMs);
  const { startMonth } = settings;
  if (startMonth !== undefined && month < startMonth) throw new BeforeInvoicingStart(month, startMonth);
  const { store, source, jobs } = deps;
  const existing = await store.getRun(month);
  const run = existing ?? (await store.startRun(month, await source.placingCouncils(), nowIso));
  if (run.completedAt) return { kind: 'complete' };
  if (run.councils.length === 0) {
    await store.completeRun(month, nowIso);
    return { kind: 'complete' };
  }
  const pending = run.councils.filter((la) => !run.staged.includes(la));
  const queued = pending.length > 0 ? pending.map((placingLa) => ({ type: 'council' as const, month, placingLa })) : [{ type: 'number' as const, month }];
  await jobs.send(queued);
  return { kind: existing ? 'resumed' : 'started', councils: run.councils, jobs: queued.length };
}
