import type { Clock } from '../clock';
import { routesFor } from '../http/router';
import type { DynamoOccupancyReader } from '../placements/dynamo-occupancy-reader';
import type { ManagerDecisions } from '../placements/manager-decisions';
import type { PlacementStore } from '../placements/placement-store';
import type { DynamoReferralViews } from '../referrals/dynamo-referral-views';
import type { DynamoLedger } from '../ledger/dynamo-ledger';
import type { Section17Service } from '../section17/section17-service';

/** What the manager API's routes use, built once per container. */
export interface ApiServices {
  decisions: ManagerDecisions;
  store: PlacementStore;
  referrals: DynamoReferralViews;
  reads: DynamoOccupancyReader;
  section17: Section17Service;
  ledger: DynamoLedger;
  clock: Clock;
}

/** Declares one of the manager API's routes. */
export const apiRoute = routesFor<ApiServices>();
