/**
 * A transaction's Put that writes only where no item has the key yet: a second writer's
 * transaction (or a retry's) is cancelled with ConditionalCheckFailed instead of overwriting.
 */
export const putIfAbsent = (TableName: string, Item: Record<string, unknown>) => ({
  Put: { TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
});
