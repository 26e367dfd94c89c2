import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The console's static files: GOV.UK Frontend's CSS and JavaScript (from the
 * govuk-frontend package, never a CDN), our own CSS, the start-up script and
 * the icon. Each is served under a name carrying a hash of its content, so it
 * can be cached for a year and a new release is fetched at once.
 *
 * In Lambda the files sit beside the bundle in `console-assets/` (copied there
 * at bundling: infra/constructs/console-area.ts); from source they are read
 * from node_modules and lib/console/static.
 *
 * The GDS Transport font is for GOV.UK's own domains only, so its @font-face
 * rules are taken out and text falls back to Arial, as the Design System
 * advises services outside GOV.UK to do.
 */

export interface Asset {
  /** `govuk-frontend.3f9a01c2.css` */
  name: string;
  contentType: string;
  body: string;
}

export interface Assets {
  /** The URL path under the assets prefix for a logical name (`govuk.css`, `govuk.js`, `console.css`, `init.js`, `favicon.svg`). */
  nameOf(logical: LogicalAsset): string;
  byName(name: string): Asset | undefined;
  all(): Asset[];
}

export type LogicalAsset = 'govuk.css' | 'govuk.js' | 'console.css' | 'init.js' | 'favicon.svg';

/** Where the copied files sit beside the bundle. */
export const BUNDLED_ASSETS_DIR = 'console-assets';

/** The files to copy beside the bundle: package-relative or project-relative source, and name there. */
export const ASSET_FILES = {
  govukCss: { package: 'govuk-frontend/dist/govuk/govuk-frontend.min.css', file: 'govuk-frontend.min.css' },
  govukJs: { package: 'govuk-frontend/dist/govuk/govuk-frontend.min.js', file: 'govuk-frontend.min.js' },
  consoleCss: { own: 'console.css', file: 'console.css' },
  favicon: { own: 'favicon.svg', file: 'favicon.svg' },
} as const;

const here = dirname(fileURLToPath(import.meta.url));

/** Where each file is read from: beside the bundle in Lambda, from the package and lib/console/static otherwise. */
export function assetSourcePaths(): Record<keyof typeof ASSET_FILES, string> {
  const bundled = join(here, BUNDLED_ASSETS_DIR);
  if (existsSync(bundled)) {
    return {
      govukCss: join(bundled, ASSET_FILES.govukCss.file),
      govukJs: join(bundled, ASSET_FILES.govukJs.file),
      consoleCss: join(bundled, ASSET_FILES.consoleCss.file),
      favicon: join(bundled, ASSET_FILES.favicon.file),
    };
  }
  const require = createRequire(import.meta.url);
  const ownDir = join(here, 'static');
  return {
    govukCss: require.resolve(ASSET_FILES.govukCss.package),
    govukJs: require.resolve(ASSET_FILES.govukJs.package),
    consoleCss: join(ownDir, ASSET_FILES.consoleCss.own),
    favicon: join(ownDir, ASSET_FILES.favicon.own),
  };
}

const hashOf = (body: string) => createHash('sha256').update(body).digest('hex').slice(0, 12);

const withoutSourceMap = (text: string) => text.replace(/\n?\/[*/]# sourceMappingURL=\S+( \*\/)?\s*$/, '');

/** GOV.UK Frontend's CSS without the GDS Transport font (see above) or its source map comment. */
export function adaptGovukCss(css: string): string {
  return withoutSourceMap(css).replace(/@font-face\{[^}]*\}/g, '').replace(/"?GDS Transport"?,\s*/g, '');
}

function named(base: string, ext: string, contentType: string, body: string): Asset {
  return { name: `${base}.${hashOf(body)}.${ext}`, contentType, body };
}

export function loadAssets(paths = assetSourcePaths()): Assets {
  const read = (path: string) => readFileSync(path, 'utf8');
  const govukCss = named('govuk-frontend', 'css', 'text/css; charset=utf-8', adaptGovukCss(read(paths.govukCss)));
  const govukJs = named('govuk-frontend', 'js', 'text/javascript; charset=utf-8', withoutSourceMap(read(paths.govukJs)));
  const consoleCss = named('console', 'css', 'text/css; charset=utf-8', read(paths.consoleCss));
  // Starts GOV.UK Frontend's components; a file, since the CSP allows no inline script but the one-line class switch.
  const init = named('init', 'js', 'text/javascript; charset=utf-8', `import { initAll } from './${govukJs.name}';\ninitAll();\n`);
  const favicon = named('favicon', 'svg', 'image/svg+xml', read(paths.favicon));
  const logical: Record<LogicalAsset, Asset> = { 'govuk.css': govukCss, 'govuk.js': govukJs, 'console.css': consoleCss, 'init.js': init, 'favicon.svg': favicon };
  const byName = new Map(Object.values(logical).map((a) => [a.name, a]));
  return {
    nameOf: (l) => logical[l].name,
    byName: (name) => byName.get(name),
    all: () => [...byName.values()],
  };
}
