import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What keeps the functions' bundles to what they use (see `npm run bench -- bundles`).
 *
 * The AWS SDK packages the functions bundle come from one release, so each bundle holds one copy of
 * the SDK's shared core (two releases side by side can each bring their own @aws-sdk/core and
 * @smithy/core, and the bundles carry both).
 */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string>; sideEffects: string[] };
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean }>;
};

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every TypeScript module of lib/ and then functions/ (what the functions bundle), as absolute paths. */
const ourModules = (): string[] =>
  ['lib', 'functions'].flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name)),
  );

describe('the AWS SDK in the functions', () => {
  it('every @aws-sdk package the project depends on is pinned to the same release', () => {
    const versions = Object.entries(pkg.dependencies).filter(([name]) => name.startsWith('@aws-sdk/'));
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions.map(([, version]) => version))).toEqual(new Set([versions[0]![1]]));
  });

  it.each(['@aws-sdk/core', '@smithy/core'])('the lock file holds one copy of %s among the runtime packages', (name) => {
    const copies = Object.entries(lock.packages).filter(([path, entry]) => path.endsWith(`node_modules/${name}`) && !entry.dev);
    expect(copies.map(([, entry]) => entry.version)).toHaveLength(1);
  });
});

describe('zod in the functions', () => {
  it('is imported as a namespace (import * as z), which lets esbuild leave out what a function does not use', () => {
    // `import { z } from 'zod'` keeps all of zod, every locale included: about 360 KB of each bundle.
    const named = ourModules().filter((file) => /import (type )?\{[^}]*\bz\b[^}]*\} from '(zod|#lib\/validation)'/.test(readFileSync(file, 'utf8')));
    expect(named.map((f) => f.slice(root.length))).toEqual([]);
  });

  it('is zod/mini, never classic zod, whose schemas carry every method and so bring all of zod (~95 KB) into each bundle', () => {
    const classic = ourModules().filter((file) => /from 'zod(\/v4)?'/.test(readFileSync(file, 'utf8')));
    expect(classic.map((f) => f.slice(root.length))).toEqual([]);
  });

  it('brings in one locale, English, not the locales namespace (which holds every language: ~260 KB)', () => {
    const everyLocale = ourModules().filter((file) => /\{[^}]*\blocales\b[^}]*\} from 'zod/.test(readFileSync(file, 'utf8')));
    expect(everyLocale.map((f) => f.slice(root.length))).toEqual([]);
  });
});

describe('side effects of our modules', () => {
  it('package.json names every module that does something when it loads, so esbuild may leave out any other a function imports but does not use', () => {
    // A statement at the top level that is a call (`config(...)`, `register(...)`): the module must run even when nothing of it is used.
    const acting = ourModules().filter((file) => /^[A-Za-z_$][\w$.]*\(/m.test(readFileSync(file, 'utf8')));
    const listedOfOurs = pkg.sideEffects.filter((path) => path.startsWith('./lib/') || path.startsWith('./functions/'));
    expect(acting.map((f) => `./${f.slice(root.length)}`).sort()).toEqual(listedOfOurs.sort());
  });

  it('lists besides them only modules of the tests that exist (the crash tests bundle their workers, tests/support/worker-process.ts)', () => {
    const others = pkg.sideEffects.filter((path) => !path.startsWith('./lib/') && !path.startsWith('./functions/'));
    expect(others.filter((path) => !path.startsWith('./tests/support/') || !existsSync(join(root, path)))).toEqual([]);
  });
});
