import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * A council's monthly invoice can carry a thousand lines (~350 bytes each as
 * a DynamoDB map), and an item stops at 400 KB. Lines (and a council's staged
 * drafts) are therefore stored as gzipped JSON in one binary attribute, about
 * a tenth of the size since lines repeat themselves: a document stays one
 * item, written in one transaction with its number and read in one request.
 */
export function packJson(value: unknown): Uint8Array {
  return gzipSync(JSON.stringify(value));
}

export function unpackJson<T>(packed: Uint8Array): T {
  return JSON.parse(gunzipSync(packed).toString('utf8')) as T;
}
