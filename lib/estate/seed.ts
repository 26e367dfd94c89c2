import sample from '#data/estate.sample.json' with { type: 'json' };
import * as z from '#lib/validation';
import { Home } from './schema';

/**
 * Loading the sample estate (lib/reference-data/estate.sample.json). The seed
 * only ever creates: a home that exists already, possibly edited by a manager
 * since, is left as it is, so running it twice leaves the same state. It
 * writes no calendars: a home without one has an empty calendar at version 0,
 * and the first hold creates it.
 */

const SampleEstate = z.object({ homes: z.array(Home).check(z.minLength(1)) });

/** The sample homes, validated as the API validates a home. */
export function sampleEstate(): Home[] {
  return SampleEstate.parse(sample).homes;
}

/** Where the seed puts homes: the estate's own write path, so each bed id is claimed as a manager's edit would. */
export interface EstateSeedTarget {
  homeExists(homeId: string): Promise<boolean>;
  createHome(home: Home): Promise<void>;
}

export interface SeedOutcome {
  created: string[];
  alreadyPresent: string[];
}

export async function seedEstate(homes: readonly Home[], target: EstateSeedTarget): Promise<SeedOutcome> {
  const outcome: SeedOutcome = { created: [], alreadyPresent: [] };
  for (const home of homes) {
    if (await target.homeExists(home.id)) {
      outcome.alreadyPresent.push(home.id);
      continue;
    }
    await target.createHome(home);
    outcome.created.push(home.id);
  }
  return outcome;
}
