/**
 * What every part of the local stack agrees on: the project it runs, where it listens, and the region
 * and account its emulators, ARNs, queue URLs and function environments name.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every local listener binds here, never another interface: children's data must not be reachable from the office network. */
export const LOOPBACK = '127.0.0.1';

export const LOCAL_REGION = 'eu-west-2';

/** The account id the emulators use in every ARN and queue URL. */
export const LOCAL_ACCOUNT = '000000000000';
