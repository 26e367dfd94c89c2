import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
/** Small helpers shared by the benchmarks. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** Runs `count` tasks with at most `concurrency` in flight; returns each task's latency in ms and the wall time. */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = new Array(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        latencies[i] = performance.now() - t0;
      }
    }),
  );
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { latencies, wallMs, perSecond: (count / wallMs) * 1000 };
}

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows);
}

/** Adds ReturnConsumedCapacity TOTAL to every DynamoDB call and sums what comes back. */
export function countCapacity(client: DynamoDBClient) {
  const units = { read: 0, write: 0 };
  const WRITES = /^(Put|Update|Delete|BatchWrite|TransactWrite)/;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const write = WRITES.test(context.commandName ?? '');
      for (const c of [consumed].flat().filter(Boolean) as Array<{ CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }>) {
        if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
          units.read += c.ReadCapacityUnits ?? 0;
          units.write += c.WriteCapacityUnits ?? 0;
        } else if (write) units.write += c.CapacityUnits ?? 0;
        else units.read += c.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return { units, reset: () => Object.assign(units, { read: 0, write: 0 }) };
}
