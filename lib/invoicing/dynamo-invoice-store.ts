import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Month } from '#lib/time/calendar';
import type { DocumentLine, DraftDocument, IssuedDocument } from './documents';
import { documentIndexKeys, INVOICES_INDEX, invoiceKeys } from './invoice-keys';
import { financialYearLabel, formatDocumentNumber } from './numbering';
import { PreviousRunIncomplete, RunOutOfOrder, type RunState } from './run-state';
import { packJson, unpackJson } from './stored-lines';
import { queryAll } from '#lib/aws/query-all';
import type { DocumentSummary, InvoiceReads, InvoiceStore } from './ports';
import { putIfAbsent } from '#lib/aws/conditional-writes';

const MAX_ATTEMPTS = 25;

type QueryInput = Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>;

export type { DocumentSummary } from './ports';

interface StoredDocument {
  document: DocumentSummary;
  lines: Uint8Array;
}

function stored(document: IssuedDocument): StoredDocument {
  const { lines, ...header } = document;
  return { document: { ...header, lineCount: lines.length }, lines: packJson(lines) };
}

function unstored(item: Record<string, unknown>): IssuedDocument {
  const { lineCount: _count, ...header } = item.document as DocumentSummary;
  return { ...header, lines: unpackJson<DocumentLine[]>(item.lines as Uint8Array) };
}

const isCancelledBy = (error: unknown, codes: readonly string[]): boolean =>
  error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => codes.includes(r.Code ?? ''));

/**
 * Issued documents and runs in DynamoDB, as invoicing runs use them. Issuing takes the next number of the year's
 * sequence, fills the run's slot and writes the document in ONE transaction:
 * a number is used only by the document written with it (no gaps), a slot is
 * filled once (no duplicates), and two builders racing for the same number
 * see one of them retry with the next. The reads that lists and payments need are
 * DynamoInvoiceStore's, so that the invoice builder does not bundle them.
 */
export class DynamoInvoiceRunStore implements InvoiceStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly table: string,
    private readonly prefix: string,
  ) {}

  async issue(draft: DraftDocument): Promise<{ document: IssuedDocument; issuedNow: boolean }> {
    const counterKey = invoiceKeys.counter(this.prefix, financialYearLabel(draft.issueDate));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.slotNumber(draft.slot);
      if (existing) return { document: (await this.get(existing, true))!, issuedNow: false };

      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: counterKey, ConsistentRead: true }));
      const sequence = Number(Item?.next ?? 1);
      const document: IssuedDocument = { ...draft, number: formatDocumentNumber(this.prefix, draft.issueDate, sequence) };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              putIfAbsent(this.table, { ...invoiceKeys.slot(draft.slot), number: document.number }),
              {
                Update: {
                  TableName: this.table,
                  Key: counterKey,
                  UpdateExpression: 'SET #next = :following',
                  ConditionExpression: sequence === 1 ? 'attribute_not_exists(#next)' : '#next = :current',
                  ExpressionAttributeNames: { '#next': 'next' },
                  ExpressionAttributeValues: { ':following': sequence + 1, ...(sequence === 1 ? {} : { ':current': sequence }) },
                },
              },
              putIfAbsent(this.table, { ...invoiceKeys.document(document.number), ...documentIndexKeys(document), ...stored(document) }),
            ],
          }),
        );
        return { document, issuedNow: true };
      } catch (error) {
        // The slot was filled or the number taken meanwhile: look again.
        if (!isCancelledBy(error, ['ConditionalCheckFailed', 'TransactionConflict'])) throw error;
      }
    }
    throw new Error(`could not number ${draft.slot} after ${MAX_ATTEMPTS} attempts`);
  }

  /** An update of the run's item, which must exist (a run is started before anything is staged in it or marked done). */
  private runUpdate(runMonth: Month, expression: string, values: Record<string, unknown>) {
    return { TableName: this.table, Key: invoiceKeys.run(runMonth), UpdateExpression: expression, ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: values };
  }

  private async slotNumber(slot: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: invoiceKeys.slot(slot), ConsistentRead: true }));
    return Item?.number as string | undefined;
  }

  async get(number: string, consistent = false): Promise<IssuedDocument | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: invoiceKeys.document(number), ConsistentRead: consistent }));
    return Item ? unstored(Item) : undefined;
  }

  /** A council's documents charging or correcting months from `fromMonth` to `toMonth`. */
  async forCouncil(placingLa: string, fromMonth: Month, toMonth: Month): Promise<IssuedDocument[]> {
    return this.queryAll({
      IndexName: INVOICES_INDEX.byCouncil,
      KeyConditionExpression: 'gsi1pk = :la AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':la': `LA#${placingLa}`, ':from': `${fromMonth}#`, ':to': `${toMonth}#~` },
    });
  }

  protected async queryAll(query: QueryInput): Promise<IssuedDocument[]> {
    const documents = (await queryAll(this.db, { TableName: this.table, ...query })).map(unstored);
    return documents.sort((a, b) => a.number.localeCompare(b.number));
  }

  // --- runs -------------------------------------------------------------------------------

  /**
   * Records a run and the councils it fans out to; the first writer wins and a
   * second start returns the run as it stands. Runs go in month order: a run
   * opens only after the run of the latest earlier month has completed (its
   * documents are what this run corrects), and never for a month before the
   * latest run. The pointer to the latest run moves in the same transaction.
   */
  async startRun(runMonth: Month, councils: readonly string[], at: string): Promise<RunState> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.getRun(runMonth);
      if (existing) return existing;
      const latest = await this.latestRunMonth();
      if (latest !== undefined && latest > runMonth) throw new RunOutOfOrder(runMonth, latest);
      if (latest !== undefined && !(await this.getRun(latest))?.completedAt) throw new PreviousRunIncomplete(runMonth, latest);
      const state: RunState = { month: runMonth, councils: [...councils].sort(), staged: [], done: [], startedAt: at };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              putIfAbsent(this.table, { ...invoiceKeys.run(runMonth), month: runMonth, councils: state.councils, startedAt: at }),
              {
                Update: {
                  TableName: this.table,
                  Key: invoiceKeys.latestRun(),
                  UpdateExpression: 'SET #month = :month',
                  ConditionExpression: latest === undefined ? 'attribute_not_exists(#month)' : '#month = :latest',
                  ExpressionAttributeNames: { '#month': 'month' },
                  ExpressionAttributeValues: { ':month': runMonth, ...(latest === undefined ? {} : { ':latest': latest }) },
                },
              },
              ...(latest === undefined
                ? []
                : [{ ConditionCheck: { TableName: this.table, Key: invoiceKeys.run(latest), ConditionExpression: 'attribute_exists(completedAt)' } }]),
            ],
          }),
        );
        return state;
      } catch (error) {
        // Another start got there first: look again.
        if (!isCancelledBy(error, ['ConditionalCheckFailed', 'TransactionConflict'])) throw error;
      }
    }
    throw new Error(`could not start the run for ${runMonth} after ${MAX_ATTEMPTS} attempts`);
  }

  async getRun(runMonth: Month): Promise<RunState | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: invoiceKeys.run(runMonth), ConsistentRead: true }));
    if (!Item) return undefined;
    const set = (value: unknown) => [...((value as Set<string> | undefined) ?? [])].sort();
    return {
      month: runMonth,
      councils: (Item.councils as string[]) ?? [],
      staged: set(Item.staged),
      done: set(Item.done),
      startedAt: Item.startedAt as string,
      ...(Item.completedAt ? { completedAt: Item.completedAt as string } : {}),
    };
  }

  async latestRunMonth(): Promise<Month | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: invoiceKeys.latestRun(), ConsistentRead: true }));
    return Item?.month as Month | undefined;
  }

  /**
   * Keeps a council's drafted documents for the run and marks it staged, in one
   * transaction, once: a second staging (a redelivered job) leaves the first.
   * Lines are gzipped as documents' are.
   * @returns whether these drafts were staged now
   */
  async stageDrafts(runMonth: Month, placingLa: string, drafts: readonly DraftDocument[]): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            putIfAbsent(this.table, { ...invoiceKeys.drafts(runMonth, placingLa), placingLa, count: drafts.length, drafts: packJson(drafts) }),
            { Update: this.runUpdate(runMonth, 'ADD staged :la', { ':la': new Set([placingLa]) }) },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isCancelledBy(error, ['ConditionalCheckFailed'])) {
        if (!(await this.getRun(runMonth))) throw new Error(`no run for ${runMonth} to stage ${placingLa}'s drafts in`);
        return false;
      }
      throw error;
    }
  }

  /** Every council's staged drafts for the run, in the order each was drafted. */
  async stagedDrafts(runMonth: Month): Promise<Map<string, DraftDocument[]>> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :drafts)',
      ExpressionAttributeValues: { ':pk': invoiceKeys.run(runMonth).pk, ':drafts': 'DRAFTS#' },
      ConsistentRead: true,
    });
    return new Map(items.map((item) => [item.placingLa as string, unpackJson<DraftDocument[]>(item.drafts as Uint8Array)]));
  }

  async councilDone(runMonth: Month, placingLa: string): Promise<void> {
    await this.db.send(new UpdateCommand(this.runUpdate(runMonth, 'ADD done :la', { ':la': new Set([placingLa]) })));
  }

  /** Marks the run complete (the first time only): the next month's run may start. */
  async completeRun(runMonth: Month, at: string): Promise<void> {
    await this.db.send(new UpdateCommand(this.runUpdate(runMonth, 'SET completedAt = if_not_exists(completedAt, :at)', { ':at': at })));
  }
}

/** Issued documents and runs in DynamoDB: the runs' store and the reads the API, payments and documents out need. */
export class DynamoInvoiceStore extends DynamoInvoiceRunStore implements InvoiceReads {
  /** A council's documents, headers only (no lines), every month: what payments and statements need. */
  async councilDocuments(placingLa: string): Promise<DocumentSummary[]> {
    return this.headers({
      IndexName: INVOICES_INDEX.byCouncil,
      KeyConditionExpression: 'gsi1pk = :la',
      ExpressionAttributeValues: { ':la': `LA#${placingLa}` },
    });
  }

  /** The documents falling due on a day, headers only (one Query of the byDueDate index). */
  async dueOn(date: string): Promise<DocumentSummary[]> {
    return this.headers({
      IndexName: INVOICES_INDEX.byDueDate,
      KeyConditionExpression: 'gsi3pk = :due',
      ExpressionAttributeValues: { ':due': `DUE#${date}` },
    });
  }

  private async headers(query: QueryInput): Promise<DocumentSummary[]> {
    const items = await queryAll(this.db, { TableName: this.table, ...query, ProjectionExpression: 'document' });
    return items.map((i) => i.document as DocumentSummary).sort((a, b) => a.number.localeCompare(b.number));
  }

  /** Every document a run issued (for one council, if given). */
  async forRun(runMonth: Month, placingLa?: string): Promise<IssuedDocument[]> {
    return this.queryAll({
      IndexName: INVOICES_INDEX.byRun,
      KeyConditionExpression: placingLa ? 'gsi2pk = :run AND begins_with(gsi2sk, :la)' : 'gsi2pk = :run',
      ExpressionAttributeValues: { ':run': `RUN#${runMonth}`, ...(placingLa ? { ':la': `${placingLa}#` } : {}) },
    });
  }

  /** How many documents a run has issued (a count from the index, no items read out). */
  async countForRun(runMonth: Month): Promise<number> {
    let count = 0;
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: INVOICES_INDEX.byRun,
          KeyConditionExpression: 'gsi2pk = :run',
          ExpressionAttributeValues: { ':run': `RUN#${runMonth}` },
          Select: 'COUNT',
          ExclusiveStartKey: cursor,
        }),
      );
      count += page.Count ?? 0;
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return count;
  }

  /**
   * One page of document summaries (no lines): a council's, by month charged
   * (of one month if given), or a run's (of one council if given).
   */
  async summaries(
    by: { council: string; month?: Month } | { run: Month; council?: string },
    limit: number,
    cursor?: Record<string, unknown>,
  ): Promise<{ items: DocumentSummary[]; cursor?: Record<string, unknown> }> {
    const query: QueryInput =
      'run' in by
        ? {
            IndexName: INVOICES_INDEX.byRun,
            KeyConditionExpression: by.council ? 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)' : 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': `RUN#${by.run}`, ...(by.council ? { ':prefix': `${by.council}#` } : {}) },
          }
        : {
            IndexName: INVOICES_INDEX.byCouncil,
            KeyConditionExpression: by.month ? 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)' : 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': `LA#${by.council}`, ...(by.month ? { ':prefix': `${by.month}#` } : {}) },
          };
    const page = await this.db.send(
      new QueryCommand({ TableName: this.table, ...query, ProjectionExpression: 'document', Limit: limit, ExclusiveStartKey: cursor }),
    );
    return { items: (page.Items ?? []).map((i) => i.document as DocumentSummary), ...(page.LastEvaluatedKey ? { cursor: page.LastEvaluatedKey } : {}) };
  }

  /** The run as it stands and how many documents it has issued so far. */
  async runProgress(runMonth: Month): Promise<(RunState & { documentsIssued: number }) | undefined> {
    const [run, documentsIssued] = await Promise.all([this.getRun(runMonth), this.countForRun(runMonth)]);
    return run ? { ...run, documentsIssued } : undefined;
  }
}
