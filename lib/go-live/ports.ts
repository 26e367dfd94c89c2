import type { StoredState } from './import-plan';

/** What an import must know of the stored state before it plans (DynamoGoLiveReader). */
export interface StoredStateRequest {
  /** Homes named in the files: their profiles and calendars. */
  homeIds: readonly string[];
  /** Bed ids of the homes in the files: which home claims each. */
  bedIds: readonly string[];
  /** Beds that placements in the files are on: their histories. */
  beds: readonly { homeId: string; bedId: string }[];
  /** The ids the placements in the files would get. */
  placementIds: readonly string[];
}

export interface GoLiveReader {
  /** Every item asked for, read strongly consistently: what the import's conditions are then checked against. */
  read(request: StoredStateRequest): Promise<StoredState>;
}
