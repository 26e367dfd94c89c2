import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** JSON with every object's keys sorted, so equal items print equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Set) return canonical([...value].sort());
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * Every item of every table named, as sorted JSON lines per table (a test-only
 * scan): two snapshots differ exactly where something was written.
 */
export async function snapshotTables(db: DynamoDBDocumentClient, tables: Record<string, string>): Promise<Record<string, string[]>> {
  const entries = await Promise.all(
    Object.entries(tables).map(async ([name, table]) => {
      const items: string[] = [];
      for await (const page of paginateScan({ client: db }, { TableName: table, ConsistentRead: true })) {
        for (const item of page.Items ?? []) items.push(canonical(item));
      }
      return [name, items.sort()] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The tables whose items differ between two snapshots. */
export function changedTables(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
  return Object.keys({ ...before, ...after }).filter((name) => JSON.stringify(before[name] ?? []) !== JSON.stringify(after[name] ?? []));
}
