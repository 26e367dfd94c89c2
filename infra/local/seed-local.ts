import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '#lib/aws/clients';
import type { Caller } from '#lib/auth/caller';
import { systemClock, type Clock } from '#lib/clock';
import { DynamoPlacementStore, type PlacementTables } from '#lib/placements/dynamo-placement-store';
import { ManagerDecisions } from '#lib/placements/manager-decisions';
import { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import { sampleEstate, seedEstate, type EstateSeedTarget, type SeedOutcome } from '#lib/estate/seed';

/**
 * `npm run seed`: the sample estate into the running local stack
 * (infra/local/cli/seed.ts passes its .local/stack.json description).
 */

/** What of the local stack's description the seed needs (LocalStackInfo has it). */
export interface LocalSeedStack {
  region: string;
  endpoints: { dynamodb: string };
  /** Local table names by logical id. */
  tables: Record<string, string>;
}

/** Recorded as the author of the seeded homes, like a manager's edit would be. */
export const SEED_CALLER: Caller = { subject: 'seed', name: 'npm run seed (sample estate)', roles: [] };

function tableName(stack: LocalSeedStack, logicalId: string): string {
  const name = stack.tables[logicalId];
  if (!name) throw new Error(`The local stack has no ${logicalId}`);
  return name;
}

/** Homes go in through the placements context's decisions, which claim each bed id with the home. */
export function estateSeedTarget(db: DynamoDBDocumentClient, tables: PlacementTables, clock: Clock = systemClock): EstateSeedTarget {
  const estate = new DynamoEstateStore(db, tables.estate);
  const decisions = new ManagerDecisions(new DynamoPlacementStore(db, tables), clock);
  return {
    homeExists: async (homeId) => (await estate.getHome(homeId)) !== undefined,
    createHome: async (home) => {
      await decisions.putHome(SEED_CALLER, home);
    },
  };
}

export async function seedLocalStack(stack: LocalSeedStack): Promise<SeedOutcome> {
  const db = documentClient({
    client: new DynamoDBClient({ region: stack.region, endpoint: stack.endpoints.dynamodb, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });
  const tables = { estate: tableName(stack, 'EstateTable'), referrals: tableName(stack, 'ReferralsTable'), placements: tableName(stack, 'PlacementsTable') };
  return seedEstate(sampleEstate(), estateSeedTarget(db, tables));
}
