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
