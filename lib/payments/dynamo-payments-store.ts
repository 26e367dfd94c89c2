import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#lib/aws/query-all';
import type { DecidedAllocation } from './allocation';
import { Allocation, Remittance, type DocumentTally } from './payments';
import { councilIndexKeys, PAYMENTS_INDEX, paymentKeys } from './payment-keys';
import type { PaymentsStore } from './ports';
import { DynamoTable } from '#lib/aws/dynamo-table';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const strip = ({ pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest }: Record<string, unknown>) => rest;

/** Remittances, allocations and documents' tallies in DynamoDB (see payment-keys.ts). */
export class DynamoPaymentsStore extends DynamoTable implements PaymentsStore {
  async getRemittance(id: string): Promise<Remittance | undefined> {
    const item = await this.getItem(paymentKeys.remittance(id));
    return item ? Remittance.parse(strip(item)) : undefined;
  }

  /** Records a remittance once: a second record of the same id (a bank file imported again) changes nothing. */
  async recordRemittance(r: Remittance): Promise<'recorded' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...paymentKeys.remittance(r.remittanceId), ...councilIndexKeys.remittance(r.placingLa, r.date, r.remittanceId), ...r },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'recorded';
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'exists';
      throw error;
    }
  }

  /** Notes that a council has an account here (the same item every time: idempotent). */
  async registerCouncil(placingLa: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...paymentKeys.council(placingLa), laNumber: placingLa } }));
  }

  /** Every council that has paid us anything (one Query of the registry's partition). */
  async councilsWithPayments(): Promise<string[]> {
    const items = await queryAll(this.db, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': paymentKeys.council('').pk }, ConsistentRead: true });
    return items.map((i) => String(i.laNumber));
  }

  /** Its journal reached the ledger-postings queue (the ledger posts it once, by its key, however often it is sent). */
  async markPosted(id: string): Promise<void> {
    await this.db.send(new UpdateCommand({ TableName: this.table, Key: paymentKeys.remittance(id), UpdateExpression: 'SET posted = :yes', ExpressionAttributeValues: { ':yes': true } }));
  }

  /** Each document's tally; a document nothing was allocated to has 0 at version 0. */
  async tallies(numbers: readonly string[]): Promise<Map<string, DocumentTally>> {
    const found = new Map<string, DocumentTally>(numbers.map((n) => [n, { number: n, allocatedPence: 0, version: 0 }]));
    for (let i = 0; i < numbers.length; i += 100) {
      let keys: Record<string, unknown>[] = numbers.slice(i, i + 100).map((n) => paymentKeys.tally(n));
      while (keys.length > 0) {
        const { Responses, UnprocessedKeys } = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of Responses?.[this.table] ?? []) found.set(String(item.number), { number: String(item.number), allocatedPence: Number(item.allocatedPence), version: Number(item.version) });
        keys = (UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  /**
   * Writes an allocation in one transaction, each change conditioned on the
   * version it was decided from: the source's allocated total, each invoice's
   * tally, and the allocation lines. If anyone allocated meanwhile, nothing is
   * written and the caller decides again.
   */
  async commitAllocation(decided: DecidedAllocation): Promise<'committed' | 'conflict'> {
    const la = decided.placingLa;
    const items: TransactItem[] = [];
    if (decided.remittance) {
      const { before, allocatedPence } = decided.remittance;
      items.push({
        Update: {
          TableName: this.table,
          Key: paymentKeys.remittance(before.remittanceId),
          UpdateExpression: 'SET allocatedPence = :allocated, version = :next',
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':allocated': allocatedPence, ':next': before.version + 1, ':version': before.version },
        },
      });
    }
    const tallies = [...decided.invoices, ...(decided.creditNote ? [decided.creditNote] : [])];
    for (const { before, allocatedPence } of tallies) {
      items.push({
        Put: {
          TableName: this.table,
          Item: { ...paymentKeys.tally(before.number), ...councilIndexKeys.tally(la, before.number), number: before.number, placingLa: la, allocatedPence, version: before.version + 1 },
          ...(before.version === 0 ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': before.version } }),
        },
      });
    }
    for (const a of decided.allocations) {
      items.push({ Put: { TableName: this.table, Item: { ...paymentKeys.allocation(a.allocationId), ...councilIndexKeys.allocation(la, a.date, a.allocationId), ...a }, ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'committed';
    } catch (error) {
      if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) return 'conflict';
      throw error;
    }
  }

  async reminderRequested(number: string, stage: number): Promise<boolean> {
    const item = await this.getItem(paymentKeys.reminder(number, stage));
    return item !== undefined;
  }

  async markReminderRequested(number: string, stage: number, at: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...paymentKeys.reminder(number, stage), number, stage, requestedAt: at }, ConditionExpression: 'attribute_not_exists(pk)' })).catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
  }

  /** A council's remittances and allocations (one Query of the byCouncil index). */
  async councilPayments(placingLa: string): Promise<{ remittances: Remittance[]; allocations: Allocation[] }> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: PAYMENTS_INDEX.byCouncil,
      KeyConditionExpression: 'gsi1pk = :la',
      ExpressionAttributeValues: { ':la': `LA#${placingLa}` },
    });
    const remittances: Remittance[] = [];
    const allocations: Allocation[] = [];
    for (const item of items) {
      const sk = String(item.gsi1sk);
      if (sk.startsWith('REMIT#')) remittances.push(Remittance.parse(strip(item)));
      else if (sk.startsWith('ALLOC#')) allocations.push(Allocation.parse(strip(item)));
    }
    return { remittances, allocations };
  }
}
