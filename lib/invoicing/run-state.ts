import { Conflict } from '#lib/errors';
import { firstDayOf, londonDateAt, monthOf, nextMonth, type Month } from '#lib/time/calendar';

/** A month's invoicing run as recorded: who it fans out to and how far it has got. */
export interface RunState {
  month: Month;
  /** The councils the run fans out to, fixed when it started (sorted). */
  councils: string[];
  /** Councils whose documents are drafted and staged. */
  staged: string[];
  /** Councils whose documents are issued and whose journals are sent. */
  done: string[];
  startedAt: string;
  /** Set once every council is done: the next month's run may start. */
  completedAt?: string;
}

export type RunStatus = 'drafting' | 'numbering' | 'complete';

export function statusOf(run: RunState): RunStatus {
  if (run.completedAt) return 'complete';
  return run.councils.every((la) => run.staged.includes(la)) ? 'numbering' : 'drafting';
}

/** A run asked for a month before the latest run: its documents would duplicate what later runs corrected. */
export class RunOutOfOrder extends Conflict {
  constructor(
    readonly month: Month,
    readonly latest: Month,
  ) {
    super('run-out-of-order', `cannot run ${month}: the run for ${latest} has already started, and runs go in month order`);
  }
}

/** The latest earlier run has not completed: this run would not see the documents it is still issuing. */
export class PreviousRunIncomplete extends Conflict {
  constructor(
    readonly month: Month,
    readonly previous: Month,
  ) {
    super('previous-run-incomplete', `cannot run ${month} before the run for ${previous} has completed`);
  }
}

/** A run for a month that has not ended yet would charge nights still to come. */
export class MonthNotEnded extends Conflict {
  constructor(
    readonly month: Month,
    /** The London date by the stack's clock when the run was asked for. */
    readonly today?: string,
  ) {
    super(
      'month-not-ended',
      `cannot run ${month}: a run charges whole months, so it starts once the month has ended (from ${firstDayOf(nextMonth(month))})` +
        (today ? `, and by the stack's clock it is ${today}` : ''),
    );
  }
}

/** Refuses a run for a month that has not ended by `nowMs` (the stack's clock), in London. */
export function assertMonthEnded(month: Month, nowMs: number): void {
  const today = londonDateAt(nowMs);
  if (month >= monthOf(today)) throw new MonthNotEnded(month, today);
}

/** A run for a month before invoicing went live (INVOICING_START_MONTH): another system billed it. */
export class BeforeInvoicingStart extends Conflict {
  constructor(
    readonly month: Month,
    readonly startMonth: Month,
  ) {
    super('before-invoicing-start', `cannot run ${month}: invoicing starts with ${startMonth}`);
  }
}
