import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getItem } from '#lib/aws/dynamo-table';
import { newestWithPrefix } from '#lib/aws/query-all';
import { decodeCursor, encodeCursor, type CursorScope } from '#lib/http/cursor';
import { DecisionHistoryEntry } from './decision-history';
import type { ReferralHistoryEntry, ReferralRecord, ReferralStatus } from './lifecycle';
import { referralKeys } from './referral-keys';
import type { HistoryItem, Page, ReferralView, ReferralViews } from './ports';

export type { HistoryItem, Page, ReferralView } from './ports';

/** GSI `byStatus` of the referrals table (see referral-keys.ts). */
export const REFERRAL_STATUS_INDEX = 'byStatus';
/** A page of the status index continues only in the partition it came from. */
const statusListScope = (partition: string): CursorScope => ({ keys: { pk: 'any', sk: 'any', gsi1pk: { equals: partition }, gsi1sk: 'any' } });

/** How many history entries the referral view shows, newest first. */
const HISTORY_SHOWN = 100;

/** What managers read about referrals: lists by status through the index, one referral by key. */
export class DynamoReferralViews<P> implements ReferralViews<P> {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly proposals: { latest(referralId: string): Promise<P | undefined> },
  ) {}

  /** Referrals in a status, least recently changed first, a page at a time. */
  async listByStatus(status: ReferralStatus, limit: number, cursor?: string): Promise<Page<ReferralRecord>> {
    const partition = `STATUS#${status}`;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: REFERRAL_STATUS_INDEX,
        KeyConditionExpression: 'gsi1pk = :status',
        ExpressionAttributeValues: { ':status': partition },
        ExclusiveStartKey: decodeCursor(cursor, statusListScope(partition)),
        Limit: limit,
      }),
    );
    const next = encodeCursor(page.LastEvaluatedKey, statusListScope(partition));
    return { items: (page.Items ?? []).map((i) => i.record as ReferralRecord), ...(next ? { cursor: next } : {}) };
  }

  async getReferral(referralId: string): Promise<ReferralView<P> | undefined> {
    const [current, latestProposal, history] = await Promise.all([
      getItem(this.db, this.tableName, referralKeys.current(referralId)),
      this.proposals.latest(referralId),
      newestWithPrefix(this.db, this.tableName, referralKeys.current(referralId).pk, 'HISTORY#', HISTORY_SHOWN),
    ]);
    if (!current) return undefined;
    return {
      record: current.record as ReferralRecord,
      ...(latestProposal ? { latestProposal } : {}),
      history: history.map((item) => historyItem(item.entry)),
    };
  }
}

function historyItem(entry: unknown): HistoryItem {
  const decision = DecisionHistoryEntry.safeParse(entry);
  return decision.success ? { source: 'decision', entry: decision.data } : { source: 'webhook', entry: entry as ReferralHistoryEntry };
}
