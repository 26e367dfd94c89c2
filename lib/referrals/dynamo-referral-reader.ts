import * as z from '#lib/validation';
import { ReferralStatus, type ReferralRecord } from './lifecycle';
import type { ReferralReader, ReferralVersionEntry } from './referral-reader';
import { referralKeys } from './referral-keys';
import { Referral } from './schema';
import { queryAll } from '#lib/aws/query-all';
import { DynamoTable } from '#lib/aws/dynamo-table';

/** A referral's current record as the referrals table stores it (read here and by the void-bed monitor's open referrals). */
export const StoredReferralRecord = z.object({
  referralId: z.string(),
  status: ReferralStatus,
  version: z.int().check(z.gte(1)),
  placingLa: z.string(),
  referral: z.optional(Referral),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const StoredVersionEntry = z.object({
  version: z.int().check(z.gte(1)),
  event: z.string(),
  receivedAt: z.optional(z.iso.datetime()),
  referral: z.optional(Referral),
});

/** The referral's item collection, read strongly consistent: the intake writes it before it queues the matching request. */
export class DynamoReferralReader extends DynamoTable implements ReferralReader {
  async getCurrent(referralId: string): Promise<ReferralRecord | undefined> {
    const item = await this.getItem(referralKeys.current(referralId));
    if (!item) return undefined;
    const { referral, ...record } = StoredReferralRecord.parse(item.record);
    return referral ? { ...record, referral } : record;
  }

  async versions(referralId: string, from: number, to: number): Promise<ReferralVersionEntry[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': referralKeys.history(referralId, from).pk,
        ':from': referralKeys.history(referralId, from).sk,
        ':to': referralKeys.history(referralId, to).sk,
      },
      ConsistentRead: true,
    });
    return items.map((item) => {
      const { referral, ...entry } = StoredVersionEntry.parse(item.entry);
      return referral ? { ...entry, referral } : entry;
    });
  }
}
