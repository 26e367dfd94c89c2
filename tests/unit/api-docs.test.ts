import { describe, expect, it } from 'vitest';
import { GENERATED_API_DOCS, published } from '#lib/api/docs/write';

describe('the manager API documents generated from the route table', () => {
  it.each(GENERATED_API_DOCS.map((doc) => [doc.file.replace(/.*\/docs\//, 'docs/'), doc] as const))('%s is current (run `npm run docs:api` after changing routes, roles or views)', (_name, doc) => {
    expect(published(doc.file)).toBe(doc.generate());
  });
});
