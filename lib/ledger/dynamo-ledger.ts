import { isDeepStrictEqual } from 'node:util';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { firstDayOf, monthOf, previousMonth } from '#lib/time/calendar';
import { CHART } from './chart';
import { movements, periodOf, type Journal } from './journal';
import { ledgerKeys } from './ledger-keys';
import type { LedgerReads } from './ports';
import { queryAll } from '#lib/aws/query-all';
import { putIfAbsent } from '#lib/aws/conditional-writes';

/** As stored: no undefined members (key order is irrelevant to the comparison). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

export type PostResult = 'posted' | 'already-posted';

export class JournalConflict extends Error {
  constructor(readonly idempotencyKey: string, reason: string) {
    super(`journal ${idempotencyKey}: ${reason}`);
    this.name = 'JournalConflict';
  }
}

export interface StoredJournal {
  journal: Journal;
  postedAt: string;
}

/**
 * The ledger in DynamoDB. A posting writes the journal and adds its movements
 * to the month and day balances of each account in ONE transaction, so
 * balances always equal the sum of the postings and a trial balance is a
 * read of balances, never a scan of journals.
 */
export class DynamoLedger implements LedgerReads {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async post(journal: Journal, postedAt: string): Promise<PostResult> {
    const month = periodOf(journal);
    const balanceUpdates = [...movements(journal)].flatMap(([account, m]) =>
      [ledgerKeys.monthBalance(account, month), ledgerKeys.dayBalance(account, journal.date)].map((Key) => ({
        Update: {
          TableName: this.table,
          Key,
          UpdateExpression: 'ADD debitPence :d, creditPence :c',
          ExpressionAttributeValues: { ':d': m.debitPence, ':c': m.creditPence },
        },
      })),
    );
    const reversal = journal.reverses
      ? [
          { ConditionCheck: { TableName: this.table, Key: ledgerKeys.journal(journal.reverses), ConditionExpression: 'attribute_exists(pk)' } },
          putIfAbsent(this.table, { ...ledgerKeys.reversal(journal.reverses), reversedBy: journal.idempotencyKey }),
        ]
      : [];
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            putIfAbsent(this.table, { ...ledgerKeys.journal(journal.idempotencyKey), ...ledgerKeys.period(month, journal.date, journal.idempotencyKey), journal, postedAt }),
            ...reversal,
            ...balanceUpdates,
          ],
        }),
      );
      return 'posted';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return this.replayed(journal);
      if (journal.reverses && reasons[1]?.Code === 'ConditionalCheckFailed') {
        throw new JournalConflict(journal.idempotencyKey, `reverses ${journal.reverses}, which is not in the ledger`);
      }
      if (journal.reverses && reasons[2]?.Code === 'ConditionalCheckFailed') {
        throw new JournalConflict(journal.idempotencyKey, `${journal.reverses} has already been reversed`);
      }
      throw error;
    }
  }

  /** A replay of the same journal changes nothing; the same key with other content is refused. */
  private async replayed(journal: Journal): Promise<PostResult> {
    const stored = await this.getJournal(journal.idempotencyKey);
    if (stored && isDeepStrictEqual(plain(stored.journal), plain(journal))) return 'already-posted';
    throw new JournalConflict(journal.idempotencyKey, 'the key was already posted with different content');
  }

  async getJournal(key: string): Promise<StoredJournal | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: ledgerKeys.journal(key), ConsistentRead: true }));
    return Item ? { journal: Item.journal as Journal, postedAt: Item.postedAt as string } : undefined;
  }

  /** Journals dated in a month, in date order, a page at a time. */
  async journalsInPeriod(month: string, cursor?: Record<string, unknown>, limit = 100) {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byPeriod',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': `PERIOD#${month}` },
        ExclusiveStartKey: cursor,
        Limit: limit,
      }),
    );
    return { journals: (page.Items ?? []).map((i) => i.journal as Journal), cursor: page.LastEvaluatedKey };
  }

  /** Every journal of a month (for the GL export). */
  async allJournalsInPeriod(month: string): Promise<Journal[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      IndexName: 'byPeriod',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': `PERIOD#${month}` },
    });
    return items.map((i) => i.journal as Journal);
  }

  /**
   * Each account's debits and credits up to and including `asAt`: the whole
   * months before it from the month balances, the days of its month from the
   * day balances. Two short queries per account in the chart.
   */
  async sumsAsAt(asAt: string): Promise<Map<string, { debitPence: number; creditPence: number }>> {
    const month = monthOf(asAt);
    const entries = await Promise.all(
      [...CHART.keys()].map(async (account) => {
        const [months, days] = await Promise.all([
          this.sumRange(account, 'M#0000-00', `M#${previousMonth(month)}`),
          this.sumRange(account, `D#${firstDayOf(month)}`, `D#${asAt}`),
        ]);
        return [account, { debitPence: months.debitPence + days.debitPence, creditPence: months.creditPence + days.creditPence }] as const;
      }),
    );
    return new Map(entries);
  }

  private async sumRange(account: string, from: string, to: string) {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `BALANCE#${account}`, ':from': from, ':to': to },
      ConsistentRead: true,
    });
    return {
      debitPence: items.reduce((s, item) => s + Number(item.debitPence ?? 0), 0),
      creditPence: items.reduce((s, item) => s + Number(item.creditPence ?? 0), 0),
    };
  }
}
