import { paginateQuery, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';

/**
 * Every item a Query matches, page after page (the SDK's own paginator). For reads that need the whole result.
 * `onPage` sees each page's answer as it comes (its consumed capacity, say).
 */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput, onPage?: (page: QueryCommandOutput) => void): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  for await (const page of paginateQuery({ client: db }, input)) {
    onPage?.(page);
    items.push(...(page.Items ?? []));
  }
  return items;
}

/**
 * The newest `limit` items of partition `pk` whose sort key begins with `prefix`: the
 * partition read backwards, strongly consistent (a referral's latest proposal, its last history entries).
 */
export async function newestWithPrefix(db: DynamoDBDocumentClient, table: string, pk: string, prefix: string, limit: number): Promise<Record<string, any>[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ScanIndexForward: false,
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  return Items;
}
