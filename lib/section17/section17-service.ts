import type { Clock } from '#lib/clock';
import { NotFound } from '#lib/errors';
import type { Journal } from '#lib/ledger';
import type { JournalPublisher } from '#lib/ledger/ports';
import { financialYearOf, londonDateAt } from '#lib/time/calendar';
import type { ApplicationRequest, DecisionRequest } from './application';
import { AwardConflict, cancel, decide, reduce, requestReapproval, submit, type Actor, type Award, type AwardStatus } from './award';
import { commitmentChanges } from './commitments';
import type { AwardStore, ChildSpendChange, StoredAward } from './ports';
import { categoryOf, type Guidance } from './guidance';

const MAX_ATTEMPTS = 5;
/**
 * Awards a report reads per query: ten times the API's page, so a year of 2,000 awards is 4 round trips a
 * status, not 40. A stored award is about 2 KB, so this is about DynamoDB's 1 MB a page, which ends a page
 * sooner when reached (the cursor carries on from there).
 */
const REPORT_PAGE = 500;

export class AwardNotFound extends NotFound {
  constructor() {
    super('application');
  }
}

/** The child's yearly cap stopped this change (another award for the child got there first). */
export class OverChildYearlyCap extends AwardConflict {
  constructor(award: Award) {
    super(`the child would go over the ${award.request.category} cap per child per year`, 'over-child-yearly-cap');
  }
}

/**
 * Section 17 applications from submission to ledger. Each change is one
 * conditional write of the award with the child's yearly totals and an
 * outbox of the journals it posts; the journals are then sent to the
 * ledger-postings queue and taken out of the outbox. If sending fails the
 * caller is told to retry, and the retry (or any later change) sends them.
 */
export class Section17Service {
  constructor(
    private readonly store: AwardStore,
    private readonly ledger: JournalPublisher,
    private readonly guidance: Guidance,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return new Date(this.clock.nowMs()).toISOString();
  }

  async apply(applicationId: string, request: ApplicationRequest, applicant: Actor): Promise<Award> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const spent = await this.store.childSpend(request.childReference, financialYearOf(request.startDate), request.category);
      const award = submit(applicationId, request, applicant, this.guidance, spent, this.now());
      const result = await this.store.save(award, 0, this.spendChanges(undefined, award));
      if (result === 'saved') return award;
      if (result === 'version-conflict') throw new AwardConflict('the application already exists');
      // Another award for the child took the room first: decide again on the new total.
    }
    throw new AwardConflict(`the child's yearly total for ${request.category} kept changing; try again`);
  }

  async get(applicationId: string): Promise<StoredAward> {
    const stored = await this.store.get(applicationId);
    if (!stored) throw new AwardNotFound();
    return stored;
  }

  /** A page of the awards in a status and financial year; with `applicant`, only the ones that person applied for. */
  list(status: AwardStatus, financialYear: number, cursor?: Record<string, unknown>, limit?: number, applicant?: string) {
    return this.store.listByStatus(status, financialYear, cursor, limit, applicant);
  }

  /** Every award of a financial year in these statuses, for a report: the statuses side by side, each page after page. */
  async allInYear(statuses: readonly AwardStatus[], financialYear: number): Promise<Award[]> {
    const byStatus = await Promise.all(
      statuses.map(async (status) => {
        const awards: Award[] = [];
        let cursor: Record<string, unknown> | undefined;
        do {
          const page = await this.store.listByStatus(status, financialYear, cursor, REPORT_PAGE);
          awards.push(...page.awards);
          cursor = page.cursor;
        } while (cursor);
        return awards;
      }),
    );
    return byStatus.flat();
  }

  async decide(applicationId: string, by: Actor, request: DecisionRequest): Promise<Award> {
    return this.change(applicationId, (stored) => {
      const last = stored.award.decisions.at(-1);
      // A retried request (e.g. after a 503) that was already recorded: answer it again and finish sending.
      if (last && last.by.subject === by.subject && last.decision === request.decision && stored.award.status !== 'awaiting-approval' && stored.award.status !== 'awaiting-reapproval') {
        return { award: stored.award, journals: [] };
      }
      const decided = decide(stored.award, by, request, this.guidance, this.now());
      return { award: decided.award, journals: decided.journal ? [decided.journal] : [] };
    });
  }

  async reapproval(applicationId: string, by: Actor): Promise<Award> {
    return this.change(applicationId, (stored) => ({ award: requestReapproval(stored.award, this.guidance, by, this.today()), journals: [] }));
  }

  async cancel(applicationId: string, by: Actor, reason: string): Promise<Award> {
    return this.change(applicationId, (stored) => cancel(stored.award, by, reason, this.guidance.version, this.now()));
  }

  async reduce(applicationId: string, by: Actor, amountPence: number, reason: string): Promise<Award> {
    return this.change(applicationId, (stored) => reduce(stored.award, amountPence, by, reason, this.guidance.version, this.now()));
  }

  /** Read, apply a pure change, write it conditionally with its outbox, then send the outbox. */
  private async change(applicationId: string, apply: (stored: StoredAward) => { award: Award; journals: Journal[] }): Promise<Award> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.get(applicationId);
      const { award, journals } = apply(stored);
      const outbox = [...stored.outbox, ...journals];
      if (award !== stored.award) {
        const result = await this.store.save(award, stored.version, this.spendChanges(stored.award, award), outbox);
        if (result === 'version-conflict') continue;
        if (result === 'over-child-cap') throw new OverChildYearlyCap(award);
      }
      await this.send(applicationId, outbox);
      return award;
    }
    throw new AwardConflict('the application kept changing; try again');
  }

  private async send(applicationId: string, outbox: readonly Journal[]): Promise<void> {
    for (const journal of outbox) await this.ledger.publish(journal);
    await this.store.markSent(applicationId, outbox.map((j) => j.idempotencyKey));
  }

  private spendChanges(before: Award | undefined, after: Award): ChildSpendChange[] {
    const cap = categoryOf(this.guidance, after.request.category)?.capPerChildPerYearPence;
    return commitmentChanges(before, after, this.guidance).map((c) => ({
      child: after.request.childReference,
      category: after.request.category,
      financialYear: c.financialYear,
      pence: c.pence,
      ...(cap === undefined ? {} : { capPence: cap }),
    }));
  }

  /** The London date today, for reports "as at". */
  today(): string {
    return londonDateAt(this.clock.nowMs());
  }
}
