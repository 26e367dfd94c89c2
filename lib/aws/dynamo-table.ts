import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { singleItemReads, type ItemReads } from './item-reads';

/** The item at `key` in `table`, read strongly consistent; undefined where there is none. */
export function getItem(db: DynamoDBDocumentClient, table: string, key: Record<string, unknown>): Promise<Record<string, any> | undefined> {
  return singleItemReads(db).get({ table, key });
}

/**
 * What an adapter over one table is built from: the document client and the table's name, with that table's
 * read by key: one GetItem each, unless `reads` says otherwise (e.g. the matcher's reads of one request
 * batched into one call).
 */
export abstract class DynamoTable {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly table: string,
    private readonly reads: ItemReads = singleItemReads(db),
  ) {}

  /** The item at `key`, read strongly consistent; undefined where there is none. */
  protected getItem(key: Record<string, unknown>): Promise<Record<string, any> | undefined> {
    return this.reads.get({ table: this.table, key });
  }
}
