import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Route } from '#lib/http';
import { managerRoutes } from '#lib/api/routes/index';
import { openApiDocument } from './openapi';
import { rolesAndFieldsMarkdown } from './roles-and-fields';
import { section17GuidanceMarkdown } from './section17-guidance';

export const OPENAPI_FILE = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));

/** The manager API's generated documents, each with what produces it. `npm run docs:api` rewrites them. */
export const GENERATED_API_DOCS: readonly { file: string; generate(): string }[] = [
  { file: fileURLToPath(new URL('../../../docs/roles-and-fields.md', import.meta.url)), generate: () => rolesAndFieldsMarkdown() },
  { file: fileURLToPath(new URL('../../../docs/section17-guidance.md', import.meta.url)), generate: () => section17GuidanceMarkdown() },
  { file: OPENAPI_FILE, generate: () => `${JSON.stringify(openApiDocument(managerRoutes as readonly Route<unknown>[]), null, 2)}\n` },
];

export const published = (file: string): string => readFileSync(file, 'utf8');

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const doc of GENERATED_API_DOCS) writeFileSync(doc.file, doc.generate());
}
