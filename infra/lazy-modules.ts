/**
 * The lazy modules (LAZY_MODULES, infra/function-bundling.ts) a function's bundle imports, bundled beside
 * it with the package.json that resolves their specifiers. A deployment runs this file after esbuild as
 * NodejsFunction's afterBundling hook (`node --import tsx infra/lazy-modules.ts <bundle dir>`); the local
 * prebundle builds the same files in its one build (infra/local/prebundle.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions, LAZY_MODULES, quotedSpecifier } from '#infra/function-bundling';
import { PROJECT_ROOT } from '#infra/local/constants';

/** The lazy modules a bundle's code imports. */
export function lazyModulesImportedBy(bundleCode: string): string[] {
  return Object.keys(LAZY_MODULES).filter((specifier) => bundleCode.includes(quotedSpecifier(specifier)));
}

/** The package.json beside a bundle: each lazy module's specifier mapped to its file there. */
export function lazyModulesPackageJson(specifiers: readonly string[]): string {
  const imports = Object.fromEntries(specifiers.map((specifier) => [specifier, `./${lazyModule(specifier).file}`]));
  return `${JSON.stringify({ imports }, null, 2)}\n`;
}

/** Bundles into `dir` each lazy module its index.mjs imports, with the package.json that resolves them; their specifiers. */
export async function bundleLazyModules(dir: string): Promise<string[]> {
  const specifiers = lazyModulesImportedBy(readFileSync(join(dir, 'index.mjs'), 'utf8'));
  if (specifiers.length === 0) return [];
  await Promise.all(
    specifiers.map((specifier) => {
      const { source, file } = lazyModule(specifier);
      return build({ ...esbuildOptions(join(PROJECT_ROOT, source), join(dir, file)), absWorkingDir: PROJECT_ROOT, logLevel: 'warning' });
    }),
  );
  writeFileSync(join(dir, 'package.json'), lazyModulesPackageJson(specifiers));
  return specifiers;
}

function lazyModule(specifier: string) {
  const module = LAZY_MODULES[specifier];
  if (!module) throw new Error(`${specifier} is not a lazy module (LAZY_MODULES, infra/function-bundling.ts)`);
  return module;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node --import tsx infra/lazy-modules.ts <bundle dir>');
  await bundleLazyModules(resolve(dir));
}
