import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolesAndFieldsMarkdown } from './roles-and-fields';

/** The manager API's generated documents, each with what produces it. `npm run docs:api` rewrites them. */
export const GENERATED_API_DOCS: readonly { file: string; generate(): string }[] = [
  { file: fileURLToPath(new URL('../../../docs/roles-and-fields.md', import.meta.url)), generate: () => rolesAndFieldsMarkdown() },
];

export const published = (file: string): string => readFileSync(file, 'utf8');

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const doc of GENERATED_API_DOCS) writeFileSync(doc.file, doc.generate());
}
