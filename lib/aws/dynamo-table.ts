import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ItemReads } from './item-reads';

/** The item at `key` in `table`, read strongly consistent; undefined where there is none. */
export async function getItem(db: DynamoDBDocumentClient, table: string, key: Record<string, unknown>): Promise<Record<string, any> | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return Item;
}

/**
 * What an adapter over one table is built from: the document client and the table's name, with that table's
 * read by key, through `reads` where given (e.g. the matcher's reads of one request batched into one call).
 */
export abstract class DynamoTable {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly table: string,
    private readonly reads?: ItemReads,
  ) {}

  /** The item at `key`, read strongly consistent; undefined where there is none. */
  protected getItem(key: Record<string, unknown>): Promise<Record<string, any> | undefined> {
    return this.reads ? this.reads.get({ table: this.table, key }) : getItem(this.db, this.table, key);
  }
}
