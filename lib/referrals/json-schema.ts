import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ReferralEvent } from './schema';

/** The webhook body's JSON Schema (draft 2020-12), generated from the zod schema: one source of truth. */
export function referralEventJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(ReferralEvent, { io: 'input' }), null, 2);
}

const BEGIN = '<!-- referral-json-schema:begin -->';
const END = '<!-- referral-json-schema:end -->';

/** README text with the schema block replaced by the current schema. */
export function withSchemaBlock(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README has no ${BEGIN} … ${END} block`);
  return `${readme.slice(0, start + BEGIN.length)}\n\`\`\`json\n${referralEventJsonSchema()}\n\`\`\`\n${readme.slice(end)}`;
}

// `npm run docs:schema` rewrites the README block; `npm run schema:referral` prints the schema.
if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--readme')) {
    const path = new URL('../../README.md', import.meta.url);
    writeFileSync(path, withSchemaBlock(readFileSync(path, 'utf8')));
  } else {
    process.stdout.write(`${referralEventJsonSchema()}\n`);
  }
}
