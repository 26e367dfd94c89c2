import * as z from '#lib/validation';
import { IMPORT_FILES, ImportOutcome, ImportRefused } from '#lib/go-live';
import { IMPORT_ESTATE } from '#lib/api/access';
import { apiRoute } from '#lib/api/services';

/** The files' text travels in the JSON body: 2,000 placements are about 300 KB. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/**
 * Transactions one call writes before it answers `partial` (an API call has
 * seconds, not minutes): the caller posts the same files again to go on.
 */
export const IMPORT_TRANSACTIONS_PER_CALL = 150;

export const importRoutes = [
  apiRoute({
    method: 'POST',
    path: '/api/imports',
    roles: IMPORT_ESTATE,
    maxBodyBytes: MAX_IMPORT_BYTES,
    body: z.strictObject({
      files: z.partialRecord(z.enum(IMPORT_FILES), z.string().check(z.maxLength(MAX_IMPORT_BYTES))),
      /** Check every row and say what would be written, writing nothing. */
      check: z._default(z.boolean(), false),
    }),
    response: ImportOutcome,
    async handle({ body, caller }, { goLive }) {
      const outcome = await goLive.run(caller, body.files, { checkOnly: body.check, maxTransactions: IMPORT_TRANSACTIONS_PER_CALL });
      if (outcome.status === 'refused') throw new ImportRefused(outcome.problems);
      return outcome;
    },
  }),
];
