/**
 * Bed ids are unique across the estate (the manager API addresses a bed by
 * its id alone), so each bed's id is claimed in the estate table by its home:
 *   pk BED#<bedId>  sk HOME  { homeId }
 * written and released in the same transaction as the home's profile. These
 * items carry no index keys, so listings of homes and calendars never see them.
 */
export const bedDirectoryKey = (bedId: string) => ({ pk: `BED#${bedId}`, sk: 'HOME' });
