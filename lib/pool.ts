/**
 * Runs `task` on every item, at most `concurrency` at once, and returns the results in the items'
 * order; `onDone` hears how many have finished after each one. A task that throws rejects the whole.
 */
export async function inPool<T, R>(items: readonly T[], concurrency: number, task: (item: T) => Promise<R>, onDone?: (done: number) => void): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
        onDone?.(++done);
      }
    }),
  );
  return results;
}
