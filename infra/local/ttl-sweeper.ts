/**
 * DynamoDB's time to live, on the stack's clock: items whose TTL attribute (epoch seconds) the
 * stack's clock has passed are deleted, every minute and whenever the clock is moved. DynamoDB Local
 * has a TTL of its own, but it deletes by the wall clock, so an item written on a clock set in the
 * past would vanish at once (a console sign-in, an alert claim) and one written on a clock set ahead
 * would outlive it; provision.ts leaves it off and records the attribute for this instead.
 *
 * Like AWS's, the deletion is late (up to a minute here, up to days there): code that needs an
 * item to be gone by a time checks the time itself.
 */
import { BatchWriteCommand, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#lib/clock';

export interface TtlTable {
  name: string;
  attribute: string;
  keys: string[];
}

const EVERY_MS = 60_000;
const BATCH = 25;

export class TtlSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: readonly TtlTable[],
    private readonly clock: Clock,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  start(): void {
    if (this.tables.length === 0) return;
    this.timer = setInterval(() => void this.sweep().catch((error: unknown) => this.log(`expiring items: ${(error as Error).message}`)), EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Deletes every item the stack's clock has passed the TTL of; returns how many. One sweep at a time. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    const nowSeconds = Math.floor(this.clock.nowMs() / 1000);
    let deleted = 0;
    for (const table of this.tables) {
      const expired: Array<Record<string, unknown>> = [];
      const pages = paginateScan(
        { client: this.db },
        {
          TableName: table.name,
          FilterExpression: '#ttl <= :now',
          ExpressionAttributeNames: { '#ttl': table.attribute, ...Object.fromEntries(table.keys.map((k, i) => [`#k${i}`, k])) },
          ExpressionAttributeValues: { ':now': nowSeconds },
          ProjectionExpression: table.keys.map((_, i) => `#k${i}`).join(', '),
        },
      );
      for await (const page of pages) expired.push(...(page.Items ?? []));
      for (let i = 0; i < expired.length; i += BATCH) {
        let requests = expired.slice(i, i + BATCH).map((Key) => ({ DeleteRequest: { Key } }));
        while (requests.length > 0) {
          const { UnprocessedItems } = await this.db.send(new BatchWriteCommand({ RequestItems: { [table.name]: requests } }));
          requests = (UnprocessedItems?.[table.name] ?? []) as typeof requests;
        }
      }
      deleted += expired.length;
    }
    if (deleted > 0) this.log(`${deleted} item(s) expired by the stack's clock (TTL)`);
    return deleted;
  }
}
