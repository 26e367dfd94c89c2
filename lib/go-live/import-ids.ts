import { createHash } from 'node:crypto';

/**
 * The id a placement loaded at go-live gets: a UUID (version 8, RFC 9562's
 * name-based layout for a hash of our choosing) made from the council's own
 * reference for the stay. The same reference always gives the same id, so a
 * second import of the same files finds what the first wrote.
 */
export function importedPlacementId(placementRef: string): string {
  const hex = createHash('sha256').update(`cared-for:go-live:placement:${placementRef}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
