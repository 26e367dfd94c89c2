/**
 * How every function is bundled, in one place: CaredForFunction hands these to NodejsFunction
 * (which runs the esbuild CLI with them), and the bundle benchmark builds with the same options
 * through esbuild's API, so what it measures is what deploys.
 */

/**
 * Esbuild output is ESM, but some dependencies are CommonJS and call
 * `require`, which ESM does not define; this gives them one.
 */
export const CJS_REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export interface LazyModule {
  /** The module's source, relative to the project. */
  readonly source: string;
  /** Its bundle's file name, beside index.mjs. */
  readonly file: string;
}

/**
 * Modules a function reaches only through `await import()` and too heavy to parse at every cold start:
 * pdf-lib and its fonts are ~430 KB of the api's, the console's and the delivery sender's bundles, and
 * only drawing a PDF needs them. A function's bundle leaves each one external, importing it by the
 * specifier its source uses; the module is bundled into a file of its own beside the bundles that
 * import it, with a package.json there whose `imports` map the specifier to that file (Node's subpath
 * imports), so the import resolves in the bundle as it does in the source tree (infra/lazy-modules.ts).
 */
export const LAZY_MODULES: Readonly<Record<string, LazyModule>> = {
  // Imported only through `await import()`: the local prebundle refuses a static import of one.
  '#lib/invoicing/document-pdf': { source: 'lib/invoicing/document-pdf.ts', file: 'document-pdf.mjs' },
};

/**
 * How a bundle's code names a lazy module it imports: the specifier, quoted (esbuild keeps an external
 * import's specifier as written: `import("#lib/invoicing/document-pdf")`, minified or not).
 */
export function quotedSpecifier(specifier: string): string {
  return JSON.stringify(specifier);
}

export const FUNCTION_BUNDLING = {
  format: 'esm',
  target: 'node24',
  platform: 'node',
  minify: true,
  sourcemap: true,
  /**
   * Source maps without the sources' text: stack traces need only the mappings, and Node
   * (--enable-source-maps) parses the whole map when a function loads (2.5 MB with the text, 0.9 MB without).
   */
  sourcesContent: false,
  /** Non-ASCII characters (£, —, ’ in messages) written as themselves rather than \uXXXX escapes. */
  charset: 'utf8',
  mainFields: ['module', 'main'],
  banner: CJS_REQUIRE_SHIM,
  /**
   * The SDK is bundled (pins the version we test against; a tree-shaken bundle starts faster): only the
   * lazy modules are left out, each bundled beside the bundles that import it.
   */
  external: Object.keys(LAZY_MODULES),
} as const;

/** The same options for esbuild's `build()` API; the output file is `index.mjs`, as NodejsFunction names it. */
export function esbuildOptions(entry: string, outfile: string) {
  const { banner, external, mainFields, ...rest } = FUNCTION_BUNDLING;
  return { ...rest, entryPoints: [entry], outfile, bundle: true, banner: { js: banner }, external: [...external], mainFields: [...mainFields] };
}

/**
 * CDK context naming prebuilt bundles (a JSON object: entry file → directory holding index.mjs), which
 * CaredForFunction then takes as they are instead of bundling. Set only by the local runner and the
 * tests (infra/local/prebundle.ts bundles every function at once); a deployment bundles as always.
 */
export const PREBUNDLED_CODE_CONTEXT = 'cared-for:prebundled-code';
