import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withSchemaBlock } from '#lib/referrals/json-schema';

describe('README webhook contract', () => {
  it('publishes the JSON Schema generated from the current zod schema (run `npm run docs:schema` after changing it)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withSchemaBlock(readme));
  });
});
