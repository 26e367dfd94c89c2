import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../auth/caller';
import type { VerifyToken } from '../auth/token-verifier';
import type { Clock } from '../clock';
import type { HttpResponse } from '../http/problem';
import { Router, type ApiRequest } from '../http/router';
import { DynamoProposalStore } from '../matching/dynamo-proposal-store';
import { DynamoOccupancyReader } from '../placements/dynamo-occupancy-reader';
import { DynamoPlacementStore } from '../placements/dynamo-placement-store';
import { ManagerDecisions } from '../placements/manager-decisions';
import { DynamoReferralViews } from '../referrals/dynamo-referral-views';
import { problemFor } from './problems';
import { managerRoutes } from './routes';
import type { ApiServices } from './services';

export interface ManagerApiTables {
  estate: string;
  referrals: string;
  placements: string;
}

export function managerApiServices(db: DynamoDBDocumentClient, tables: ManagerApiTables, clock: Clock): ApiServices {
  const store = new DynamoPlacementStore(db, tables);
  return {
    store,
    decisions: new ManagerDecisions(store, clock),
    referrals: new DynamoReferralViews(db, tables.referrals, new DynamoProposalStore(db, tables.referrals)),
    reads: new DynamoOccupancyReader(db, tables),
    clock,
  };
}

export interface Handled {
  response: HttpResponse;
  /** Who called, once the token was verified. */
  caller?: Caller;
  /** The route template matched, e.g. `POST /api/offers/{offerId}/acceptance` (never the raw path: it holds ids). */
  route?: string;
  error?: unknown;
}

/** The manager API: one request in, one response out, every failure a problem+json. */
export class ManagerApi {
  private readonly router = new Router(managerRoutes);

  constructor(
    private readonly verify: VerifyToken,
    private readonly services: ApiServices,
  ) {}

  async handle(request: ApiRequest): Promise<Handled> {
    try {
      const { response, caller, route } = await this.router.dispatch(request, this.verify, this.services);
      return { response, caller, route: `${route.method} ${route.path}` };
    } catch (error) {
      return { response: problemFor(error), error };
    }
  }
}
