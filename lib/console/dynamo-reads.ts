import type { DynamoEstateStore } from '#lib/estate/dynamo-estate-store';
import type { ConsoleReads } from './reads';

/** The console's reads over the stack's tables (see reads.ts). */
export function dynamoConsoleReads(deps: { estate: DynamoEstateStore }): ConsoleReads {
  return {
    async estate() {
      const [homes, calendars] = await Promise.all([deps.estate.listHomes(), deps.estate.listCalendars()]);
      return { homes: homes.map((h) => h.home), calendars: new Map(calendars.map((c) => [c.homeId, c])) };
    },
  };
}
