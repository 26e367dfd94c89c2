import { isDeepStrictEqual } from 'node:util';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { addDays, firstDayOf, monthOf, nextMonth, previousMonth, type Month } from '#lib/time/calendar';
import { CHART } from './chart';
import { periodOf, type Journal } from './journal';
import { balanceItemsOf, monthBalanceFromItem, monthMovements, type MonthBalance, type Movement } from './balances';
import { ledgerKeys } from './ledger-keys';
import type { LedgerReads } from './ports';
import { queryAll } from '#lib/aws/query-all';
import { putIfAbsent } from '#lib/aws/conditional-writes';
import { DynamoTable } from '#lib/aws/dynamo-table';

/** As stored: no undefined members (key order is irrelevant to the comparison). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

export type PostResult = 'posted' | 'already-posted';

export class JournalConflict extends Error {
  constructor(readonly idempotencyKey: string, reason: string) {
    super(`journal ${idempotencyKey}: ${reason}`);
    this.name = 'JournalConflict';
  }
}

export interface BalancesRebuild {
  months: number;
  journals: number;
  /** Balance items (`pk sk`) that differed from their journals. */
  differing: string[];
  /** … of which those not rewritten: debits or credits differ, or a posting came meanwhile. */
  conflicting: string[];
}

/** An item's attributes but its key, numbers as numbers, for comparing. */
function attributesOf(item: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(item)
      .filter(([name]) => name !== 'pk' && name !== 'sk')
      .map(([name, value]) => [name, Number(value)] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

export interface StoredJournal {
  journal: Journal;
  postedAt: string;
}

/**
 * The ledger in DynamoDB. A posting writes the journal and adds its movements
 * to the month and day balances of each account in ONE transaction (the
 * month's by analysis too: balances.ts), so balances always equal the sum of
 * the postings, and a trial balance or a report of spend is a read of
 * balances, never a scan of journals.
 */
export class DynamoLedger extends DynamoTable implements LedgerReads {
  async post(journal: Journal, postedAt: string): Promise<PostResult> {
    const month = periodOf(journal);
    const balanceUpdates = [...monthMovements(journal)].flatMap(([account, m]) => {
      const analysis = [...m.analysis];
      return [
        {
          Update: {
            TableName: this.table,
            Key: ledgerKeys.monthBalance(account, month),
            UpdateExpression: `ADD debitPence :d, creditPence :c, #lines :n${analysis.map((_, i) => `, #a${i} :a${i}`).join('')}`,
            ExpressionAttributeNames: { '#lines': 'lines', ...Object.fromEntries(analysis.map(([name], i) => [`#a${i}`, name])) },
            ExpressionAttributeValues: { ':d': m.debitPence, ':c': m.creditPence, ':n': m.lines, ...Object.fromEntries(analysis.map(([, value], i) => [`:a${i}`, value])) },
          },
        },
        {
          Update: {
            TableName: this.table,
            Key: ledgerKeys.dayBalance(account, journal.date),
            UpdateExpression: 'ADD debitPence :d, creditPence :c',
            ExpressionAttributeValues: { ':d': m.debitPence, ':c': m.creditPence },
          },
        },
      ];
    });
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
    const item = await this.getItem(ledgerKeys.journal(key));
    return item ? { journal: item.journal as Journal, postedAt: item.postedAt as string } : undefined;
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

  /** An account's month balances from one month to another (both included), with their analysis. */
  async monthBalances(account: string, from: Month, to: Month): Promise<MonthBalance[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `BALANCE#${account}`, ':from': `M#${from}`, ':to': `M#${to}` },
      ConsistentRead: true,
    });
    return items.map(monthBalanceFromItem);
  }

  /**
   * An account's debits and credits dated from one day to another (both included): the whole
   * months between from the month balances, the days either side from the day balances.
   */
  async movementBetween(account: string, from: string, to: string): Promise<Movement> {
    if (to < from) return { debitPence: 0, creditPence: 0 };
    const firstWhole = from === firstDayOf(monthOf(from)) ? monthOf(from) : nextMonth(monthOf(from));
    const lastWhole = addDays(to, 1) === firstDayOf(nextMonth(monthOf(to))) ? monthOf(to) : previousMonth(monthOf(to));
    if (firstWhole > lastWhole) return this.sumRange(account, `D#${from}`, `D#${to}`);
    const parts = await Promise.all([
      this.sumRange(account, `M#${firstWhole}`, `M#${lastWhole}`),
      from < firstDayOf(firstWhole) ? this.sumRange(account, `D#${from}`, `D#${addDays(firstDayOf(firstWhole), -1)}`) : undefined,
      to >= firstDayOf(nextMonth(lastWhole)) ? this.sumRange(account, `D#${firstDayOf(nextMonth(lastWhole))}`, `D#${to}`) : undefined,
    ]);
    return {
      debitPence: parts.reduce((s, p) => s + (p?.debitPence ?? 0), 0),
      creditPence: parts.reduce((s, p) => s + (p?.creditPence ?? 0), 0),
    };
  }

  /**
   * Works the balance items of these months out again from their journals (balances.ts) and
   * compares them with what the postings kept. Unless `check`, writes the ones that are missing,
   * or that differ only in what they keep by analysis (balances kept before the analysis was),
   * each conditioned on the debits and credits read, so a posting meanwhile is never overwritten.
   * Items whose debits or credits differ are only reported (`conflicting`): the journals' index
   * may lag a posting by a moment, so run it again; if they still differ, the ledger is damaged.
   */
  async rebuildBalances(months: readonly Month[], { check }: { check: boolean }): Promise<BalancesRebuild> {
    const outcome: BalancesRebuild = { months: months.length, journals: 0, differing: [], conflicting: [] };
    for (const month of months) {
      const journals = await this.allJournalsInPeriod(month);
      outcome.journals += journals.length;
      const expected = balanceItemsOf(journals);
      const stored = await this.storedBalanceItems(month);
      for (const id of new Set([...expected.keys(), ...stored.keys()])) {
        const want = expected.get(id);
        const have = stored.get(id);
        if (want && have && isDeepStrictEqual(attributesOf(want), attributesOf(have))) continue;
        outcome.differing.push(id);
        if (check) continue;
        const sameMoney = want && have && want.debitPence === Number(have.debitPence) && want.creditPence === Number(have.creditPence);
        if (!want || (have && !sameMoney)) {
          outcome.conflicting.push(id);
          continue;
        }
        try {
          await this.db.send(
            new PutCommand(
              have
                ? { TableName: this.table, Item: want, ConditionExpression: 'debitPence = :d AND creditPence = :c', ExpressionAttributeValues: { ':d': have.debitPence, ':c': have.creditPence } }
                : { TableName: this.table, Item: want, ConditionExpression: 'attribute_not_exists(pk)' },
            ),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          outcome.conflicting.push(id);
        }
      }
    }
    return outcome;
  }

  /** Every balance item of a month, keyed `pk sk`: each account's month balance and its day balances. */
  private async storedBalanceItems(month: Month): Promise<Map<string, Record<string, unknown>>> {
    const perAccount = await Promise.all(
      [...CHART.keys()].map(async (account) => {
        const [days, monthItem] = await Promise.all([
          queryAll(this.db, {
            TableName: this.table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': `BALANCE#${account}`, ':from': `D#${month}-01`, ':to': `D#${month}-31` },
            ConsistentRead: true,
          }),
          this.getItem(ledgerKeys.monthBalance(account, month)),
        ]);
        return monthItem ? [...days, monthItem] : days;
      }),
    );
    return new Map(perAccount.flat().map((item) => [`${item.pk} ${item.sk}`, item]));
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
