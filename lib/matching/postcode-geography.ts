import * as z from 'zod/mini';
import centroidData from '#data/postcode-district-centroids.json' with { type: 'json' };

/**
 * Postcode geography for matching: the parts of a postcode, and straight-line
 * miles between district centroids. The centroids are an approximate,
 * hand-compiled file (see lib/reference-data/README.md) until a council loads
 * an ONS Postcode Directory extract in its place.
 */

export interface PostcodeParts {
  readonly area: string;
  readonly district: string;
  readonly sector: string | undefined;
}

/** Parts already worked out, by postcode: ranking asks for the same homes' and child's postcodes for every referral. */
const partsSeen = new Map<string, PostcodeParts>();
const PARTS_REMEMBERED = 10_000;

/** "NE29 6DL" → area NE, district NE29, sector "NE29 6". Accepts a full postcode or a sector. */
export function postcodeParts(postcodeOrSector: string): PostcodeParts {
  const seen = partsSeen.get(postcodeOrSector);
  if (seen) return seen;
  const [outward = '', inward = ''] = postcodeOrSector.trim().toUpperCase().split(/\s+/);
  const area = outward.match(/^[A-Z]{1,2}/)?.[0] ?? outward;
  const parts: PostcodeParts = Object.freeze({ area, district: outward, sector: inward ? `${outward} ${inward[0]}` : undefined });
  if (partsSeen.size >= PARTS_REMEMBERED) partsSeen.clear();
  partsSeen.set(postcodeOrSector, parts);
  return parts;
}

const Centroids = z.object({
  districts: z.record(z.string(), z.object({ lat: z.number().check(
    z.gte(-90),
    z.lte(90),
  ), lon: z.number().check(
    z.gte(-180),
    z.lte(180),
  ) })),
});
export type DistrictCentroids = ReadonlyMap<string, { lat: number; lon: number }>;

export const northEastCentroids: DistrictCentroids = new Map(Object.entries(Centroids.parse(centroidData).districts));

const EARTH_RADIUS_MILES = 3958.8;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle miles between two points (haversine). */
export function milesBetweenPoints(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

export type DistanceResult =
  | { kind: 'known'; miles: number }
  | { kind: 'unknown'; missingDistricts: string[] };

/** Straight-line miles between the centroids of two postcodes' districts, to one decimal. */
export function districtDistance(from: string, to: string, centroids: DistrictCentroids = northEastCentroids): DistanceResult {
  const a = postcodeParts(from).district;
  const b = postcodeParts(to).district;
  const pa = centroids.get(a);
  const pb = centroids.get(b);
  if (!pa || !pb) return { kind: 'unknown', missingDistricts: [...new Set([pa ? [] : [a], pb ? [] : [b]].flat())] };
  return { kind: 'known', miles: Math.round(milesBetweenPoints(pa, pb) * 10) / 10 };
}
