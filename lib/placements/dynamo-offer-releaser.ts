import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#lib/clock';
import { DynamoPlacementStore, type PlacementTables } from './dynamo-placement-store';
import { OfferReleases } from './offer-release';
import type { OfferReleaser } from './ports';

/**
 * The OfferReleaser the matcher uses when a referral is withdrawn. Needs on the
 * placements table Query (byReferral index), GetItem and PutItem; on the estate
 * table GetItem and PutItem (the calendar); ConditionCheckItem is not used.
 */
export function dynamoOfferReleaser(db: DynamoDBDocumentClient, tables: PlacementTables, clock: Clock): OfferReleaser {
  return new OfferReleases(new DynamoPlacementStore(db, tables), clock);
}
