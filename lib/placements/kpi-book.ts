import type { Placement } from './schema';
import { KpiPlacement, kpiPlacementOf } from './kpi-placement';

/**
 * A home's KPI book: the KPI facts of every placement ever made in the home,
 * in ONE item per home of the placements table, each placement under its own
 * attribute (`P#<placementId>`), as a JSON string: one string attribute is read
 * and parsed several times faster than a nested map of ten. A decision that writes placements sets their
 * entries in the same transaction (dynamo-placement-store.ts commit), so the book
 * never says other than the placements do; `npm run kpis:rebuild` rewrites
 * every book from the placements themselves.
 *
 * The KPIs of any period are then worked out from the homes and their books:
 * one item per home, however many beds and placements it has, instead of one
 * query per bed. Entries, not nightly counters: the planned figure is the book
 * as it stood on the period's first morning, which a count of nights cannot
 * give for a period beginning on any day.
 *
 * An entry is ~300 bytes: at 25 placements a year a home's book reaches 100 KB
 * after about 13 years; the item limit is 400 KB.
 *
 *   pk KPI_BOOK#<homeId>  sk KPI_BOOK  homeId  version (+1 each write)  P#<placementId> JSON of a KpiPlacement
 */

export const KPI_BOOK_SK = 'KPI_BOOK';
export const kpiBookKey = (homeId: string) => ({ pk: `KPI_BOOK#${homeId}`, sk: KPI_BOOK_SK });
export const entryAttribute = (placementId: string) => `P#${placementId}`;
const ENTRY_PREFIX = 'P#';

/** An entry as stored. */
export const storedEntry = (entry: KpiPlacement): string => JSON.stringify(entry);

/** The entries a decision's placements set, by home (a move between homes sets two books). */
export function bookEntriesOf(placements: readonly Placement[]): Map<string, KpiPlacement[]> {
  const byHome = new Map<string, KpiPlacement[]>();
  for (const p of placements) byHome.set(p.homeId, [...(byHome.get(p.homeId) ?? []), kpiPlacementOf(p)]);
  return byHome;
}

/** The placements a stored book holds. */
export function bookEntries(item: Record<string, unknown>): KpiPlacement[] {
  return Object.entries(item)
    .filter(([name]) => name.startsWith(ENTRY_PREFIX))
    .map(([, value]) => KpiPlacement.parse(JSON.parse(String(value))));
}

/** A book item holding exactly these entries, at `version`. */
export function bookItem(homeId: string, version: number, entries: readonly KpiPlacement[]): Record<string, unknown> {
  return { ...kpiBookKey(homeId), homeId, version, ...Object.fromEntries(entries.map((e) => [entryAttribute(e.placementId), storedEntry(e)])) };
}
