import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { ReferralEvent } from './schema';

/** The webhook body's JSON Schema (draft 2020-12), generated from the zod schema: one source of truth. */
export function referralEventJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(ReferralEvent, { io: 'input' }), null, 2)}\n`;
}

/** Where the published schema lives (linked from docs/webhook.md); a test keeps it current. */
export const REFERRAL_SCHEMA_FILE = fileURLToPath(new URL('../../docs/referral-event.schema.json', import.meta.url));

export const publishedReferralSchema = (): string => readFileSync(REFERRAL_SCHEMA_FILE, 'utf8');

// `npm run docs:schema` rewrites docs/referral-event.schema.json; `npm run schema:referral` prints the schema.
if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--write')) writeFileSync(REFERRAL_SCHEMA_FILE, referralEventJsonSchema());
  else process.stdout.write(referralEventJsonSchema());
}
