import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Month } from '../time/calendar';
import type { DraftDocument, IssuedDocument } from './documents';
import { documentIndexKeys, invoiceKeys } from './invoice-keys';
import { financialYearLabel, formatDocumentNumber } from './numbering';

const MAX_ATTEMPTS = 25;

/**
 * Issued documents in DynamoDB. Issuing takes the next number of the year's
 * sequence, fills the run's slot and writes the document in ONE transaction:
 * a number is used only by the document written with it (no gaps), a slot is
 * filled once (no duplicates), and two builders racing for the same number
 * see one of them retry with the next.
 */
export class DynamoInvoiceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly prefix: string,
  ) {}

  async issue(draft: DraftDocument): Promise<{ document: IssuedDocument; issuedNow: boolean }> {
    const counterKey = invoiceKeys.counter(this.prefix, financialYearLabel(draft.issueDate));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.slotNumber(draft.slot);
      if (existing) return { document: (await this.get(existing))!, issuedNow: false };

      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: counterKey, ConsistentRead: true }));
      const sequence = Number(Item?.next ?? 1);
      const document: IssuedDocument = { ...draft, number: formatDocumentNumber(this.prefix, draft.issueDate, sequence) };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: { ...invoiceKeys.slot(draft.slot), number: document.number },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
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
              {
                Put: {
                  TableName: this.table,
                  Item: { ...invoiceKeys.document(document.number), ...documentIndexKeys(document), document },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return { document, issuedNow: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // The slot was filled or the number taken meanwhile: look again.
        if (!(error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw error;
      }
    }
    throw new Error(`could not number ${draft.slot} after ${MAX_ATTEMPTS} attempts`);
  }

  private async slotNumber(slot: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: invoiceKeys.slot(slot), ConsistentRead: true }));
    return Item?.number as string | undefined;
  }

  async get(number: string): Promise<IssuedDocument | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: invoiceKeys.document(number) }));
    return Item?.document as IssuedDocument | undefined;
  }

  /** A council's documents charging or correcting months from `fromMonth` to `toMonth`. */
  async forCouncil(placingLa: string, fromMonth: Month, toMonth: Month): Promise<IssuedDocument[]> {
    return this.queryAll({
      IndexName: 'byCouncil',
      KeyConditionExpression: 'gsi1pk = :la AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':la': `LA#${placingLa}`, ':from': `${fromMonth}#`, ':to': `${toMonth}#~` },
    });
  }

  /** Every document a run issued (for one council, if given). */
  async forRun(runMonth: Month, placingLa?: string): Promise<IssuedDocument[]> {
    return this.queryAll({
      IndexName: 'byRun',
      KeyConditionExpression: placingLa ? 'gsi2pk = :run AND begins_with(gsi2sk, :la)' : 'gsi2pk = :run',
      ExpressionAttributeValues: { ':run': `RUN#${runMonth}`, ...(placingLa ? { ':la': `${placingLa}#` } : {}) },
    });
  }

  private async queryAll(query: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<IssuedDocument[]> {
    const documents: IssuedDocument[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ TableName: this.table, ...query, ExclusiveStartKey: cursor }));
      documents.push(...(page.Items ?? []).map((i) => i.document as IssuedDocument));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return documents.sort((a, b) => a.number.localeCompare(b.number));
  }

  /** Records the councils a run fans out to (first writer wins; a re-run keeps the first list). */
  async startRun(runMonth: Month, councils: readonly string[], at: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: invoiceKeys.run(runMonth),
          UpdateExpression: 'SET councils = if_not_exists(councils, :c), startedAt = if_not_exists(startedAt, :at)',
          ExpressionAttributeValues: { ':c': [...councils], ':at': at },
        }),
      );
  }

  async councilDone(runMonth: Month, placingLa: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: invoiceKeys.run(runMonth),
        UpdateExpression: 'ADD done :la',
        ExpressionAttributeValues: { ':la': new Set([placingLa]) },
      }),
    );
  }

  async runProgress(runMonth: Month): Promise<{ councils: string[]; done: string[]; startedAt?: string } | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: invoiceKeys.run(runMonth), ConsistentRead: true }));
    if (!Item) return undefined;
    return { councils: (Item.councils as string[]) ?? [], done: [...((Item.done as Set<string>) ?? [])].sort(), startedAt: Item.startedAt as string | undefined };
  }
}
