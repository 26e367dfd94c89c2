import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SENT_INDEX, sentMonthPk } from './alert-keys';
import { SentAlert } from './ports';

export { SentAlert } from './ports';

/** The alerts sent in these months (`YYYY-MM`), newest first, through the bySentMonth index. */
export async function sentAlerts(db: DynamoDBDocumentClient, table: string, months: readonly string[], limit: number): Promise<SentAlert[]> {
  const found: SentAlert[] = [];
  for (const month of [...months].sort().reverse()) {
    const { Items = [] } = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: SENT_INDEX,
        KeyConditionExpression: 'gsi1pk = :month',
        ExpressionAttributeValues: { ':month': sentMonthPk(month) },
        ScanIndexForward: false,
        Limit: limit - found.length,
      }),
    );
    for (const item of Items) {
      const [spellStart, threshold] = String(item.sk).slice('ALERT#'.length).split('#');
      found.push(
        SentAlert.parse({
          bedId: String(item.pk).slice('BED#'.length),
          homeId: item.homeId,
          voidSince: spellStart,
          threshold,
          sentAt: item.sentAt,
          subject: item.subject,
          nightsVoid: item.nightsVoid,
          incomeNotEarnedPence: item.incomeNotEarnedPence,
          referralIds: item.referralIds ?? [],
        }),
      );
    }
    if (found.length >= limit) break;
  }
  return found;
}
